// Leader latch against real servers (our coordinator and Apache ZooKeeper): one leader at a time,
// hand-over on close, leadership given up on suspension and regained on reconnection.
import { ZooKeeperClient } from '@zk/sdk';
import { selectedTargets, startTcpProxy, useServer, waitFor } from '@zk/sdk/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { LeaderLatch } from './leader-latch';

describe.each(selectedTargets())('LeaderLatch against %s', (target) => {
  const server = useServer(target);
  let base: string;
  beforeAll(() => {
    base = `/recipes-latch-${Date.now()}`;
  });

  it('elects exactly one leader and hands over when it leaves', async () => {
    const clients = await Promise.all([0, 1, 2].map(() => ZooKeeperClient.connect(server.get().connectString)));
    const changes: string[] = [];
    const latches = clients.map((client, i) => new LeaderLatch(client, `${base}/a`, { id: `c${i}`, onLeadershipChange: (leader) => changes.push(`c${i}:${leader}`) }));
    try {
      for (const latch of latches) await latch.start();
      expect(await latches[0].awaitLeadership(5_000)).toBe(true);
      expect(latches.map((latch) => latch.hasLeadership)).toEqual([true, false, false]);
      expect(await latches[2].participants()).toEqual(['c0', 'c1', 'c2']);
      await latches[0].close();
      expect(await latches[1].awaitLeadership(5_000)).toBe(true);
      expect(latches[2].hasLeadership).toBe(false);
      expect(changes).toEqual(['c0:true', 'c0:false', 'c1:true']);
    } finally {
      for (const latch of latches) await latch.close();
      for (const client of clients) await client.close();
    }
  });

  it('gives up leadership while suspended and takes it back on reconnection', async () => {
    const proxy = await startTcpProxy(server.get().port);
    const client = await ZooKeeperClient.connect(proxy.connectString, { sessionTimeoutMs: 10_000 });
    const changes: boolean[] = [];
    const latch = new LeaderLatch(client, `${base}/b`, { onLeadershipChange: (leader) => changes.push(leader) });
    try {
      await latch.start();
      expect(await latch.awaitLeadership(5_000)).toBe(true);
      proxy.cutConnections();
      await waitFor(() => changes.length === 3, 'leadership to be lost and regained');
      expect(changes).toEqual([true, false, true]);
    } finally {
      await latch.close();
      await client.close();
      await proxy.close();
    }
  });

  it('after its session expires, the old leader stands again behind the new one', async () => {
    const proxy = await startTcpProxy(server.get().port);
    const a = await ZooKeeperClient.connect(proxy.connectString, { sessionTimeoutMs: 2_000 });
    const b = await ZooKeeperClient.connect(server.get().connectString);
    const changesA: boolean[] = [];
    const changesB: boolean[] = [];
    const latchA = new LeaderLatch(a, `${base}/c`, { id: 'a', onLeadershipChange: (leader) => changesA.push(leader) });
    const latchB = new LeaderLatch(b, `${base}/c`, { id: 'b', onLeadershipChange: (leader) => changesB.push(leader) });
    try {
      await latchA.start();
      expect(await latchA.awaitLeadership(5_000)).toBe(true);
      await latchB.start();
      proxy.setRefusing(true);
      proxy.cutConnections();
      expect(await latchB.awaitLeadership(15_000)).toBe(true);
      proxy.setRefusing(false);
      await waitFor(async () => (await latchB.participants()).join() === 'b,a', 'a to stand again with its new session', 15_000);
      expect(changesA).toEqual([true, false]);
      expect(changesB).toEqual([true]);
      expect(latchA.hasLeadership).toBe(false);
    } finally {
      await latchA.close();
      await latchB.close();
      await a.close();
      await b.close();
      await proxy.close();
    }
  });
});
