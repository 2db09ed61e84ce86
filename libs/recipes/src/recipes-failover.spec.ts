// The recipes through a leader failover: a real 3-member coordinator ensemble whose leader is killed (SIGKILL)
// mid-run. Clients are connected to the leader first, so they are suspended for sure; sessions outlive the
// election, so lock holders, leaders and caches resume (a lost lock or leadership would be reported through its
// callback); and a service consumer never returns a provider whose session expired more than a session timeout ago.
import { toText, ZooKeeperClient, type StateEvent } from '@zk/sdk';
import { sleep, startTcpProxy, useServer, waitFor, type TestMember } from '@zk/sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { LeaderLatch } from './leader-latch';
import { LeaderSelector } from './leader-selector';
import { Mutex } from './mutex';
import { NodeCache } from './node-cache';
import { ServiceCache, ServiceUnavailableError } from './service-discovery';
import { registerInstance } from './service-registry';
import { TreeCache } from './tree-cache';

const SESSION_TIMEOUT_MS = 8_000;

describe('recipes through a leader failover (coordinator ensemble)', () => {
  const server = useServer('coordinator');
  const cleanups: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    // Back to three serving members for the next test.
    for (const member of server.get().members) if (!member.isRunning) member.start();
    await server.get().waitForLeader(45_000);
  }, 60_000);

  /** A client that tries the current leader first (so the kill suspends it), then the others in order. */
  const leaderFirstClient = async (leader: TestMember, options: { sessionTimeoutMs?: number } = {}): Promise<{ client: ZooKeeperClient; events: StateEvent[] }> => {
    const others = server.get().members.filter((member) => member !== leader);
    // random() near 1 keeps the connect string's order.
    const client = await ZooKeeperClient.connect([leader, ...others].map((member) => member.connectString).join(','), {
      sessionTimeoutMs: options.sessionTimeoutMs ?? SESSION_TIMEOUT_MS,
      random: () => 0.999,
    });
    cleanups.push(() => client.close());
    const events: StateEvent[] = [];
    client.on('state', (event) => events.push(event));
    return { client, events };
  };

  /** A client on the followers only: it keeps working through the kill, apart from the election itself. */
  const followerClient = async (leader: TestMember): Promise<ZooKeeperClient> => {
    const followers = server.get().members.filter((member) => member !== leader);
    const client = await ZooKeeperClient.connect(followers.map((member) => member.connectString).join(','), { sessionTimeoutMs: SESSION_TIMEOUT_MS });
    cleanups.push(() => client.close());
    return client;
  };

  const killLeader = async (leader: TestMember): Promise<TestMember> => {
    await leader.kill();
    return server.get().waitForLeader(30_000);
  };

  it('a lock holder is suspended, then resumes holding the lock; its successor gets it only after the release', async () => {
    const leader = await server.get().waitForLeader();
    const { client: holderClient, events } = await leaderFirstClient(leader);
    const waiterClient = await followerClient(leader);
    const lockPath = `/failover-lock-${Date.now()}`;
    const lost: StateEvent[] = [];
    const holder = new Mutex(holderClient, lockPath, { onLost: (reason) => lost.push(reason) });
    const waiter = new Mutex(waiterClient, lockPath);
    expect(await holder.acquire()).toBe(true);
    let waiterHolds = false;
    const waiting = waiter.acquire().then((acquired) => {
      waiterHolds = acquired;
    });
    // Awaited below; marked handled so that a failed assertion before that does not also report it.
    waiting.catch(() => undefined);
    await sleep(100);

    await killLeader(leader);
    await waitFor(() => holderClient.state === 'connected', 'the holder to reconnect', 20_000);
    // Suspended, then resumed (perhaps twice: a follower that has not yet noticed the leader's death takes the
    // session, then drops it when it starts looking for a new leader), never expired.
    expect(events.join(',')).toMatch(/^(suspended,reconnected,?)+$/);
    // Resumed: the same session, so the lock was never lost and nobody else got it.
    expect(lost).toEqual([]);
    expect(holder.isHeld).toBe(true);
    await sleep(300);
    expect(waiterHolds).toBe(false);

    await holder.release();
    await waiting;
    expect(waiterHolds).toBe(true);
    await waiter.release();
  }, 60_000);

  it('a leader latch gives leadership up on suspension and takes it back on reconnection; never two leaders', async () => {
    const leader = await server.get().waitForLeader();
    const latchPath = `/failover-latch-${Date.now()}`;
    const changes: string[] = [];
    const latches: LeaderLatch[] = [];
    const clients: ZooKeeperClient[] = [];
    for (const id of ['a', 'b', 'c']) {
      const { client } = await leaderFirstClient(leader);
      clients.push(client);
      const latch = new LeaderLatch(client, latchPath, { id, onLeadershipChange: (isLeader) => changes.push(`${id}:${isLeader}`) });
      cleanups.push(() => latch.close());
      await latch.start();
      latches.push(latch);
    }
    await waitFor(() => latches[0].hasLeadership, 'the first candidate to lead');
    let mostLeadersAtOnce = 0;
    const sampler = setInterval(() => {
      mostLeadersAtOnce = Math.max(mostLeadersAtOnce, latches.filter((latch) => latch.hasLeadership).length);
    }, 5);
    try {
      await killLeader(leader);
      await waitFor(() => changes.length >= 3 && clients.every((client) => client.state === 'connected') && latches.some((latch) => latch.hasLeadership), 'a leader again', 20_000);
      await sleep(300);
    } finally {
      clearInterval(sampler);
    }
    expect(mostLeadersAtOnce).toBe(1);
    // The sessions survived, so the election order did too: the same candidate leads again. Perhaps after two
    // suspensions (a member that has not yet noticed the leader's death takes the session, then drops it when it
    // starts looking for a new leader), but leadership is given up on each and only ever taken back by 'a'.
    expect(changes.join(',')).toMatch(/^a:true(,a:false,a:true)+$/);
    expect(latches.map((latch) => latch.hasLeadership)).toEqual([true, false, false]);
    expect(await latches[1].participants()).toEqual(['a', 'b', 'c']);
  }, 60_000);

  it('a leader selector aborts the term on suspension and starts a new one when it leads again', async () => {
    const leader = await server.get().waitForLeader();
    const electionPath = `/failover-selector-${Date.now()}`;
    const log: string[] = [];
    let running = 0;
    let overlaps = 0;
    const selectors: LeaderSelector[] = [];
    const clients: ZooKeeperClient[] = [];
    for (const id of ['a', 'b']) {
      const { client } = await leaderFirstClient(leader);
      clients.push(client);
      const selector = new LeaderSelector(client, electionPath, async (signal) => {
        running += 1;
        if (running > 1) overlaps += 1;
        log.push(`${id} starts`);
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        log.push(`${id} aborted`);
        running -= 1;
      }, { id });
      cleanups.push(() => selector.close());
      await selector.start();
      selectors.push(selector);
    }
    await waitFor(() => log.includes('a starts'), 'the first term');
    await killLeader(leader);
    await waitFor(() => log.filter((line) => line.endsWith('starts')).length >= 2 && clients.every((client) => client.state === 'connected') && running === 1, 'a second term', 20_000);
    // As with the latch: perhaps suspended twice, each term aborted before the next starts, always 'a's.
    expect(log.join(',')).toMatch(/^a starts(,a aborted,a starts)+$/);
    expect(overlaps).toBe(0);
  }, 60_000);

  it('node and tree caches mirror the changes made around the election', async () => {
    const leader = await server.get().waitForLeader();
    const root = `/failover-caches-${Date.now()}`;
    const writer = await followerClient(leader);
    await writer.create(root, 'v0');
    await writer.create(`${root}/a`, 'a0');
    const { client, events } = await leaderFirstClient(leader);
    await writer.create(`${root}-node`, 'v0');
    // The node cache watches a node outside the tree cache's root: on ZooKeeper 3.8 (and our coordinator, which
    // follows it) a one-shot watch on a path replaces the same connection's persistent watch there (ZOOKEEPER-4466).
    const nodeCache = await NodeCache.start(client, `${root}-node`);
    cleanups.push(async () => nodeCache.close());
    const treeCache = await TreeCache.start(client, root);
    cleanups.push(() => treeCache.close());

    await killLeader(leader);
    // Written as soon as the new leader serves, while the cache's client may still be reconnecting. (Writes in flight
    // at the kill itself would fail with ConnectionLossError: followers drop their clients when the leader goes.)
    await writer.setData(`${root}-node`, 'v1');
    await writer.setData(root, 'v1');
    await writer.create(`${root}/b`, 'b0');
    await writer.delete(`${root}/a`);
    await waitFor(() => nodeCache.node !== undefined && toText(nodeCache.node.data) === 'v1', 'the node cache to see v1', 20_000);
    await waitFor(() => treeCache.get(`${root}/b`) !== undefined && treeCache.get(`${root}/a`) === undefined, 'the tree cache to see b and not a', 20_000);
    await writer.setData(`${root}/b`, 'b1');
    await waitFor(() => toText(treeCache.get(`${root}/b`)?.data ?? new Uint8Array()) === 'b1', 'a change after the election');
    expect(treeCache.paths()).toEqual([root, `${root}/b`]);
    expect(toText(treeCache.get(root)?.data ?? new Uint8Array())).toBe('v1');
    expect(events.join(',')).toMatch(/^(suspended,reconnected,?)+$/);
  }, 60_000);

  it('a consumer never returns a provider whose session expired more than a session timeout ago', async () => {
    const leader = await server.get().waitForLeader();
    const service = `failover-${Date.now()}`;
    const providerSessionTimeoutMs = 2_000;
    // The doomed provider reaches a follower through a proxy, so it can be cut off at the moment of the kill.
    const follower = server.get().members.find((member) => member !== leader) as TestMember;
    const proxy = await startTcpProxy(follower.port);
    cleanups.push(() => proxy.close());
    const doomedClient = await ZooKeeperClient.connect(proxy.connectString, { sessionTimeoutMs: providerSessionTimeoutMs, renewSessionOnExpiry: false });
    cleanups.push(() => doomedClient.close());
    const doomed = registerInstance(doomedClient, service, { id: 'doomed', host: '127.0.0.1', port: 9001 });
    cleanups.push(() => doomed.close());
    await doomed.ready();
    const survivorClient = await followerClient(leader);
    const survivor = registerInstance(survivorClient, service, { id: 'survivor', host: '127.0.0.1', port: 9002 });
    cleanups.push(() => survivor.close());
    await survivor.ready();
    const { client: consumerClient } = await leaderFirstClient(leader, { sessionTimeoutMs: 4_000 });
    const cache = await ServiceCache.start(consumerClient, service);
    cleanups.push(() => cache.close());
    expect(cache.instances().map((instance) => instance.id)).toEqual(['doomed', 'survivor']);
    const observer = await followerClient(leader);
    const doomedPath = `/services/${service}/providers/doomed`;

    proxy.setRefusing(true);
    proxy.cutConnections();
    await leader.kill();
    let expiredAtMs: number | undefined;
    let picks = 0;
    const violations: string[] = [];
    const deadline = Date.now() + 25_000;
    while (Date.now() < deadline) {
      if (expiredAtMs === undefined && (await observer.exists(doomedPath).catch(() => 'unknown')) === null) expiredAtMs = Date.now();
      try {
        const picked = cache.pick();
        picks += 1;
        const late = expiredAtMs === undefined ? 0 : Date.now() - expiredAtMs;
        if (picked.id === 'doomed' && late > consumerClient.sessionTimeoutMs) violations.push(`doomed picked ${late} ms after its session expired`);
      } catch (error) {
        // A stale cache (cut off longer than a session timeout) refuses to answer: that is allowed.
        if (!(error instanceof ServiceUnavailableError)) throw error;
      }
      if (expiredAtMs !== undefined && Date.now() - expiredAtMs > consumerClient.sessionTimeoutMs + 1_000) break;
      await sleep(20);
    }
    expect(expiredAtMs).toBeDefined();
    expect(violations).toEqual([]);
    expect(picks).toBeGreaterThan(0);
    expect(cache.instances().map((instance) => instance.id)).toEqual(['survivor']);
    expect(cache.pick().id).toBe('survivor');
  }, 60_000);
});
