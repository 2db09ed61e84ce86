// Every recipe's example from libs/recipes/README.md, run against both targets (our 3-member ensemble and Apache
// ZooKeeper 3.8) so the documentation cannot rot: each block between the "README" markers is the README's text,
// with the paths prefixed by a per-run root and the results checked after it.
import { toText, ZooKeeperClient } from '@zk/sdk';
import { selectedTargets, useServer, waitFor } from '@zk/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtomicValue, Barrier, DistributedQueue, DoubleBarrier, GroupMember, LeaderLatch, LeaderSelector, MultiLock, Mutex, NodeCache, PersistentEphemeralNode, ReadWriteLock, Semaphore, SharedCounter, TreeCache, watchConfig } from './index';
import { configPath, encodeConfigData } from './config-watcher';

describe.each(selectedTargets())('the README examples against %s', (target) => {
  const server = useServer(target);
  let zk: ZooKeeperClient;
  let root: string;
  const p = (path: string): string => `${root}${path}`;

  beforeAll(async () => {
    zk = await ZooKeeperClient.connect(server.get().connectString);
    root = `/readme-${Date.now()}`;
    await zk.create(root);
  });
  afterAll(async () => {
    await zk?.close();
  });

  it('locks', async () => {
    let ranAlone = false;
    // --- README: Locks ---
    const mutex = new Mutex(zk, p('/locks/orders'), { onLost: (why) => console.warn('lock lost:', why) });
    await mutex.withLock(async () => {
      ranAlone = true; /* one process at a time */
    });
    if (await mutex.acquire({ timeoutMs: 5_000 })) {
      try {
        /* … */
      } finally {
        await mutex.release();
      }
    }

    const rw = new ReadWriteLock(zk, p('/locks/catalog'));
    await rw.readLock.acquire(); /* shared */
    await rw.readLock.release();
    await rw.writeLock.acquire(); /* exclusive */
    await rw.writeLock.release();

    const lease = await new Semaphore(zk, p('/semaphores/db'), 5).acquire(10_000); // ≤ 5 holders
    await lease?.release();

    const both = new MultiLock(zk, [p('/locks/a'), p('/locks/b')]); // all or none, deadlock-free order
    if (await both.acquire(5_000)) await both.release();
    // --- end ---
    expect(ranAlone).toBe(true);
    expect(lease).toBeDefined();
    expect(await zk.getChildren(p('/locks/orders'))).toEqual([]);
  });

  it('leader election', async () => {
    const compactOnce = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 10));
    let led = false;
    // --- README: Leader election ---
    const latch = new LeaderLatch(zk, p('/election/scheduler'), { id: 'node-1', onLeadershipChange: (leader) => console.log({ leader }) });
    await latch.start();
    if (await latch.awaitLeadership(10_000)) {
      led = latch.hasLeadership; /* lead while latch.hasLeadership */
    }

    const selector = new LeaderSelector(zk, p('/election/compactor'), async (signal) => {
      while (!signal.aborted) await compactOnce(); // aborted when leadership is lost; returning ends the term
    });
    await selector.start();
    // --- end ---
    expect(led).toBe(true);
    await waitFor(async () => (await zk.getChildren(p('/election/compactor'))).length === 1, 'the selector to stand');
    await selector.close();
    await latch.close();
  });

  it('barriers, queues, counters', async () => {
    // --- README: Barriers, queues, counters ---
    const gate = new Barrier(zk, p('/barriers/deploy'));
    await gate.set(); /* … */
    await gate.remove(); // others: await gate.wait(30_000)

    const phase = new DoubleBarrier(zk, p('/barriers/phase-1'), 1, 'worker-7');
    await phase.enter(); /* all members work together */
    await phase.leave();

    const queue = new DistributedQueue(zk, p('/queues/mail'), { priorities: true });
    await queue.put('{"to":"a@b"}', 1);
    const item = await queue.take(5_000); // each item to exactly one consumer

    const hits = new SharedCounter(zk, p('/counters/hits'));
    await hits.add(1); // versioned compare-and-set, retried
    await new AtomicValue(zk, p('/values/config-hash')).update(() => 'new');
    // --- end ---
    expect(await gate.wait(1_000)).toBe(true);
    expect(toText(item ?? new Uint8Array())).toBe('{"to":"a@b"}');
    expect((await hits.get()).value).toBe(1);
    expect(toText((await zk.getData(p('/values/config-hash'))).data)).toBe('new');
  });

  it('caches, membership, persistent nodes', async () => {
    await zk.create(p('/feature-flags'), 'on');
    await zk.mkdirp(p('/services/orders'));
    const seen: string[] = [];
    // --- README: Caches, membership, persistent nodes ---
    const node = await NodeCache.start(zk, p('/feature-flags'), (n) => console.log('now', n?.data));
    const tree = await TreeCache.start(zk, p('/services/orders'), (change) => seen.push(`${change.type} ${change.path}`));
    const member = new GroupMember(zk, p('/groups/workers'), 'worker-7', 'host-7:8080');
    await member.ready();
    console.log(await member.members());
    const marker = new PersistentEphemeralNode(zk, p('/alive/worker-7'), 'up'); // re-created after expiry
    // --- end ---
    await marker.ready();
    expect(toText(node.node?.data ?? new Uint8Array())).toBe('on');
    expect(await member.members()).toEqual(new Map([['worker-7', 'host-7:8080']]));
    await zk.create(p('/services/orders/x'));
    await waitFor(() => seen.includes(`added ${p('/services/orders/x')}`), 'the tree cache to see x');
    expect((await zk.exists(p('/alive/worker-7')))?.ephemeralOwner).toBe(zk.sessionId);
    node.close();
    await tree.close();
    await member.close();
    await marker.close();
  });

  it('config watching', async () => {
    const key = { namespace: `readme${Date.now()}`, group: 'db', key: 'pool' };
    await zk.mkdirp(configPath(key).slice(0, configPath(key).lastIndexOf('/')));
    await zk.create(configPath(key), encodeConfigData('10', 'json'));
    const values: string[] = [];
    // --- README: Config watching ---
    const watcher = await watchConfig(zk, key, ({ value, contentType, version }) => {
      console.log(`pool = ${value} (${contentType}, version ${version})`); // now, then on every change
      values.push(value ?? '(deleted)');
    });
    // --- end ---
    await zk.setData(configPath(key), encodeConfigData('20', 'json'));
    await waitFor(() => values.includes('20'), 'the change');
    expect(values).toEqual(['10', '20']);
    watcher.close();
  });
});
