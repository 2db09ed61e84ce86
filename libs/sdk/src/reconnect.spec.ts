// Connection loss without an ensemble: a TCP proxy between client and server is cut to simulate a network
// failure. Same session afterwards, watches replayed with SetWatches2, expiry detected and renewed.
import { freePort, selectedTargets, sleep, startTcpProxy, useServer, waitFor, type TcpProxy } from './testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ZooKeeperClient } from './client';
import { ConnectionLossError, SessionExpiredError } from './errors';

describe.each(selectedTargets())('reconnecting against %s', (target) => {
  const server = useServer(target);
  let direct: ZooKeeperClient;
  let proxy: TcpProxy;
  let base: string;
  let counter = 0;
  const fresh = (): string => `${base}/t${++counter}`;
  const clients: ZooKeeperClient[] = [];

  const viaProxy = async (options: { sessionTimeoutMs?: number; renewSessionOnExpiry?: boolean } = {}): Promise<{ client: ZooKeeperClient; states: string[] }> => {
    const client = await ZooKeeperClient.connect(proxy.connectString, { sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000, ...options });
    clients.push(client);
    const states: string[] = [];
    client.on('state', (event) => states.push(event));
    return { client, states };
  };

  beforeAll(async () => {
    direct = await ZooKeeperClient.connect(server.get().connectString);
    proxy = await startTcpProxy(server.get().port);
    base = `/sdk-reconnect-${Date.now()}`;
    await direct.create(base);
  });
  afterEach(async () => {
    proxy.setRefusing(false);
    for (const client of clients.splice(0)) await client.close();
  });
  afterAll(async () => {
    await direct?.close();
    await proxy?.close();
  });

  it('suspends on a cut connection and resumes the same session; its ephemeral survives', async () => {
    const { client, states } = await viaProxy();
    const sessionId = client.sessionId;
    const path = fresh();
    await client.create(path, null, { mode: 'ephemeral' });
    proxy.cutConnections();
    await waitFor(() => states.includes('reconnected'), 'reconnected');
    expect(states).toEqual(['suspended', 'reconnected']);
    expect(client.sessionId).toBe(sessionId);
    await direct.sync(path); // created through the proxy's member, perhaps not direct's: catch up before reading
    expect((await direct.exists(path))?.ephemeralOwner).toBe(sessionId);
    expect((await client.exists(path))?.ephemeralOwner).toBe(sessionId);
  });

  it('fails requests in flight with ConnectionLoss and sends requests made while suspended after reconnecting', async () => {
    const { client, states } = await viaProxy();
    const path = fresh();
    await client.create(path, 'x');
    proxy.setRefusing(true);
    const inFlight = client.getData(path);
    proxy.cutConnections();
    await expect(inFlight).rejects.toBeInstanceOf(ConnectionLossError);
    expect(client.state).toBe('suspended');
    const queued = client.setData(path, 'while suspended');
    await sleep(300);
    proxy.setRefusing(false);
    expect((await queued).version).toBe(1);
    expect(states).toEqual(['suspended', 'reconnected']);
  });

  it('replays watches after a reconnect, so changes made while disconnected still fire', async () => {
    const { client, states } = await viaProxy();
    const path = fresh();
    await client.create(path, 'a');
    const events: string[] = [];
    await client.getData(path, (event) => events.push(`data:${event.type}`));
    await client.getChildren(path, (event) => events.push(`child:${event.type}`));
    await client.exists(`${path}-later`, (event) => events.push(`exists:${event.type}`));
    await client.addWatch(path, (event) => events.push(`recursive:${event.type}:${event.path}`), { recursive: true });
    proxy.setRefusing(true);
    proxy.cutConnections();
    await waitFor(() => client.state === 'suspended', 'suspended');
    await direct.setData(path, 'b');
    await direct.create(`${path}/c`);
    await direct.create(`${path}-later`);
    proxy.setRefusing(false);
    await waitFor(() => events.length >= 4, 'four events').catch((error: Error) => {
      throw new Error(`${error.message}; got ${JSON.stringify(events)}`);
    });
    await client.sync(path);
    expect(events.sort()).toEqual(
      [
        'child:nodeChildrenChanged',
        'data:nodeDataChanged',
        'exists:nodeCreated',
        // ZooKeeper re-arms persistent watches without catch-up events: the recursive watch misses the child
        // created while disconnected, and sees the data change only because the one-shot data watch's catch-up
        // event is delivered to every watcher of that path (as ZooKeeper's own client does).
        `recursive:nodeDataChanged:${path}`,
      ].sort(),
    );
    expect(states).toEqual(['suspended', 'reconnected']);
  });

  it('keeps an idle session alive with pings', async () => {
    const { client, states } = await viaProxy({ sessionTimeoutMs: 1_500 });
    const path = fresh();
    await client.create(path, null, { mode: 'ephemeral' });
    await sleep(4_000);
    expect(states).toEqual([]);
    expect(client.state).toBe('connected');
    await direct.sync(path); // created through the proxy's member, perhaps not direct's: catch up before reading
    expect((await direct.exists(path))?.ephemeralOwner).toBe(client.sessionId);
  });

  it('expires a session that cannot reconnect within its timeout, then starts a new one', async () => {
    const { client, states } = await viaProxy({ sessionTimeoutMs: 2_000 });
    const oldSession = client.sessionId;
    const path = fresh();
    await client.create(path, null, { mode: 'ephemeral' });
    const stream = await client.watch(path);
    proxy.setRefusing(true);
    proxy.cutConnections();
    await waitFor(async () => (await direct.exists(path)) === null, 'the server to expire the session', 15_000);
    proxy.setRefusing(false);
    await waitFor(() => states.includes('connected'), 'a new session', 15_000).catch((error: Error) => {
      throw new Error(`${error.message}; states ${JSON.stringify(states)}, state ${client.state}\n${server.get().members.map((m) => m.logTail(15)).join('\n---\n')}`);
    });
    expect(states).toEqual(['suspended', 'expired', 'connecting', 'connected']);
    expect(client.sessionId).not.toBe(oldSession);
    await expect(stream.next()).rejects.toBeInstanceOf(SessionExpiredError);
    await client.create(path, null, { mode: 'ephemeral' });
  });

  it('stays expired when renewal is off', async () => {
    const { client, states } = await viaProxy({ sessionTimeoutMs: 2_000, renewSessionOnExpiry: false });
    const path = fresh();
    await client.create(path, null, { mode: 'ephemeral' });
    proxy.setRefusing(true);
    proxy.cutConnections();
    await waitFor(async () => (await direct.exists(path)) === null, 'the server to expire the session', 15_000);
    proxy.setRefusing(false);
    await waitFor(() => states.includes('expired'), 'expired', 15_000);
    expect(client.state).toBe('expired');
    await expect(client.exists('/')).rejects.toBeInstanceOf(SessionExpiredError);
  });

  it('tries the next host when one is down', async () => {
    const deadPort = await freePort();
    // random() = 0 keeps the order: the dead host is tried first.
    const client = await ZooKeeperClient.connect(`127.0.0.1:${deadPort},${server.get().connectString}`, { sessionTimeoutMs: 4_000, random: () => 0.999 });
    clients.push(client);
    expect(client.state).toBe('connected');
  });
});
