// A real three-process ensemble from zoo.cfg files on loopback: a leader is elected, writes through every
// member are read on every member, the leader is SIGKILLed under a write load and a new one takes over with
// no acknowledged write lost, and the old leader restarts and catches up.
import { describe, expect, it } from 'vitest';
import * as zookeeper from 'node-zookeeper-client';
import { waitForMode } from './support/ensemble';
import { useEnsemble } from './support/use-ensemble';
import { pollUntil, sleep } from './support/wait';
import { connectClient, createNode, readNode, roundTrip, setNode } from './support/zk-client';

describe('a three-process ensemble', () => {
  const ensemble = useEnsemble({ participants: 3, tickTimeMs: 200, initLimit: 10, syncLimit: 5, name: 'ensemble-failover' });

  it('elects, replicates, survives a leader SIGKILL under load, and lets the old leader catch up', async () => {
    const members = ensemble().members;
    const leader = await ensemble().waitForLeader();

    // Writes through every member, read back on every member.
    for (const member of members) {
      const client = await connectClient(member.connectString);
      await createNode(client, `/via-${member.id}`, `from ${member.id}`);
      client.close();
    }
    for (const member of members) {
      const client = await connectClient(member.connectString);
      await roundTrip(client);
      for (const writer of members) {
        const value = await pollUntil(async () => readNode(client, `/via-${writer.id}`), { timeoutMs: 5_000, what: `/via-${writer.id} on member ${member.id}` });
        expect(value).toBe(`from ${writer.id}`);
      }
      client.close();
    }

    // A writer on a survivor keeps writing while the leader is SIGKILLed; every acknowledged write must survive.
    const survivors = members.filter((m) => m.id !== leader.id).map((m) => m.id);
    const writer = await connectClient(ensemble().connectString(survivors));
    const acknowledged: string[] = [];
    let writing = true;
    const load = (async () => {
      for (let i = 0; writing; i++) {
        try {
          acknowledged.push(await createNode(writer, `/load-${i}`, `v${i}`));
        } catch {
          await sleep(50); // connection loss during the election: the outcome is unknown, try the next one
        }
      }
    })();
    await sleep(500);
    await leader.kill();
    const newLeader = await ensemble().waitForLeader({ among: survivors });
    expect(newLeader.id).not.toBe(leader.id);
    const countAtNewLeader = acknowledged.length;
    await pollUntil(async () => (acknowledged.length > countAtNewLeader + 20 ? true : undefined), { timeoutMs: 15_000, what: 'writes through the new leader' });
    writing = false;
    await load;
    writer.close();

    // The old leader restarts, follows, and catches up.
    leader.start();
    await waitForMode(leader, (mode) => mode === 'follower', { timeoutMs: 20_000, what: 'the old leader to follow' });
    for (const member of members) {
      const client = await connectClient(member.connectString);
      await roundTrip(client);
      for (const path of acknowledged) expect(await readNode(client, path), `${path} on member ${member.id}`).toBeDefined();
      client.close();
    }
    expect(acknowledged.length).toBeGreaterThan(20);
  }, 120_000);

  it('keeps a node-zookeeper-client session, its ephemeral and its watch across a leader kill', async () => {
    // Runs on the ensemble the test above left running (all three members back).
    const members = ensemble().members;
    const leader = await ensemble().waitForLeader();
    // node-zookeeper-client shuffles its servers: reconnect until it sits on the leader.
    let client: zookeeper.Client | undefined;
    for (let attempt = 0; attempt < 30 && !client; attempt++) {
      const candidate = await connectClient(ensemble().connectString());
      const port = (candidate as unknown as { connectionManager: { socket: { remotePort: number } } }).connectionManager.socket.remotePort;
      if (port === leader.clientPort) client = candidate;
      else candidate.close();
    }
    if (!client) throw new Error('never connected to the leader');
    const sessionBefore = client.getSessionId().toString('hex');
    await createNode(client, '/mine', 'e', zookeeper.CreateMode.EPHEMERAL);
    await createNode(client, '/watched', 'v0');
    const events: string[] = [];
    await new Promise<void>((resolve, reject) =>
      (client as zookeeper.Client).getData('/watched', (event) => events.push(`${event.getName()} ${event.getPath()}`), (error) => (error ? reject(error) : resolve())),
    );

    await leader.kill();
    const survivors = members.filter((m) => m.id !== leader.id).map((m) => m.id);
    await ensemble().waitForLeader({ among: survivors });
    const other = await connectClient(ensemble().connectString(survivors));
    await setNode(other, '/watched', 'v1');
    await pollUntil(async () => (events.length > 0 ? true : undefined), { timeoutMs: 15_000, what: 'the watch to fire after the reconnect' });
    expect(events).toEqual(['NODE_DATA_CHANGED /watched']);
    expect(client.getSessionId().toString('hex')).toBe(sessionBefore);
    expect(await readNode(other, '/mine')).toBe('e');
    client.close();
    other.close();
    leader.start();
  }, 90_000);
});
