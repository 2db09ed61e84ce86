// The mutex against real servers (our coordinator and Apache ZooKeeper): safety under contention, no herd,
// reentrancy, timeouts, and loss on session expiry.
import { ZooKeeperClient, toText } from '@zk/sdk';
import { selectedTargets, sleep, startTcpProxy, useServer, waitFor } from '@zk/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mutex } from './mutex';

const CLIENTS = 20;
const ACQUISITIONS_PER_CLIENT = 50;

describe.each(selectedTargets())('Mutex against %s', (target) => {
  const server = useServer(target);
  let admin: ZooKeeperClient;
  let base: string;

  beforeAll(async () => {
    admin = await ZooKeeperClient.connect(server.get().connectString);
    base = `/recipes-mutex-${Date.now()}`;
    await admin.create(base);
  });
  afterAll(async () => {
    await admin?.close();
  });

  it(`${CLIENTS} clients × ${ACQUISITIONS_PER_CLIENT} acquisitions: no overlap, no lost update, only successors woken`, async () => {
    const lockPath = `${base}/safety`;
    const counterPath = `${base}/counter`;
    await admin.create(counterPath, '0');
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => ZooKeeperClient.connect(server.get().connectString)));
    // Every wake-up any waiter gets, by the predecessor it names: a release must wake at most one client.
    const wakeUpsByDeletedNode = new Map<string, number>();
    const onWakeUp = (predecessor: string): void => {
      wakeUpsByDeletedNode.set(predecessor, (wakeUpsByDeletedNode.get(predecessor) ?? 0) + 1);
    };
    const mutexes = clients.map((client) => new Mutex(client, lockPath, { onWakeUp }));
    const stateEvents: string[] = [];
    for (const client of clients) client.on('state', (event) => stateEvents.push(event));
    let inside = 0;
    let overlaps = 0;
    let waits = 0;
    try {
      await Promise.all(
        mutexes.map(async (mutex, i) => {
          for (let n = 0; n < ACQUISITIONS_PER_CLIENT; n++) {
            const before = mutex.wakeUps;
            await mutex.acquire();
            if (mutex.wakeUps > before) waits += 1;
            inside += 1;
            if (inside !== 1) overlaps += 1;
            // A read-modify-write that loses updates if two holders ever overlap.
            const { data } = await clients[i].getData(counterPath);
            await clients[i].setData(counterPath, String(Number(toText(data)) + 1));
            inside -= 1;
            await mutex.release();
          }
        }),
      );
    } finally {
      for (const client of clients) await client.close().catch(() => undefined);
    }
    const wakeUps = mutexes.reduce((sum, mutex) => sum + mutex.wakeUps, 0);
    expect(stateEvents.filter((event) => event !== 'closed')).toEqual([]);
    expect(overlaps).toBe(0);
    await admin.sync(counterPath); // the clients wrote through other members: catch up before reading
    expect(toText((await admin.getData(counterPath)).data)).toBe(String(CLIENTS * ACQUISITIONS_PER_CLIENT));
    // Each wake-up is one predecessor's deletion seen by its one successor: never more than one per acquisition.
    expect(wakeUps).toBeLessThanOrEqual(CLIENTS * ACQUISITIONS_PER_CLIENT);
    expect(wakeUps).toBe(waits);
    expect(wakeUps).toBeGreaterThan(0);
    expect(Math.max(...wakeUpsByDeletedNode.values())).toBe(1);
    expect(wakeUpsByDeletedNode.size).toBe(wakeUps);
    expect(await admin.getChildren(lockPath)).toEqual([]);
  }, 120_000);

  it('is reentrant and releases only on the last release', async () => {
    const a = await ZooKeeperClient.connect(server.get().connectString);
    const b = await ZooKeeperClient.connect(server.get().connectString);
    try {
      const lockPath = `${base}/reentrant`;
      const mine = new Mutex(a, lockPath);
      const theirs = new Mutex(b, lockPath);
      expect(await mine.acquire()).toBe(true);
      expect(await mine.acquire()).toBe(true);
      await mine.release();
      expect(await theirs.acquire({ timeoutMs: 300 })).toBe(false);
      await mine.release();
      expect(await theirs.acquire({ timeoutMs: 5_000 })).toBe(true);
      await theirs.release();
      await admin.sync(lockPath);
      expect(await admin.getChildren(lockPath)).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('tells the holder when the lock is lost with its session, and the next contender gets it', async () => {
    const proxy = await startTcpProxy(server.get().port);
    const holderClient = await ZooKeeperClient.connect(proxy.connectString, { sessionTimeoutMs: 2_000, renewSessionOnExpiry: false });
    const waiterClient = await ZooKeeperClient.connect(server.get().connectString);
    try {
      const lockPath = `${base}/lost`;
      const lost: string[] = [];
      const holder = new Mutex(holderClient, lockPath, { onLost: (reason) => lost.push(reason) });
      const waiter = new Mutex(waiterClient, lockPath);
      await holder.acquire();
      const waiting = waiter.acquire({ timeoutMs: 20_000 });
      await sleep(100);
      proxy.setRefusing(true);
      proxy.cutConnections();
      expect(await waiting).toBe(true);
      proxy.setRefusing(false);
      await waitFor(() => lost.length > 0, 'the holder to hear that the lock is lost', 15_000);
      expect(lost).toEqual(['expired']);
      expect(holder.isHeld).toBe(false);
      await waiter.release();
    } finally {
      await holderClient.close();
      await waiterClient.close();
      await proxy.close();
    }
  }, 40_000);
});
