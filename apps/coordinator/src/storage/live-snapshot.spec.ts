import { afterEach, describe, expect, it } from 'vitest';
import { DataTree } from '@zk/datatree';
import { StorageClosedError } from './errors';
import { DurableWaiters, LiveSnapshotWriter } from './live-snapshot';
import { makeTempDirs, withSnapshots, Workload, type TempDirs } from './test-support';

let dirs: TempDirs;
afterEach(() => dirs?.remove());

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('live snapshots of the serving tree', () => {
  it('hold the tree as it was when they began while txns go on between slices, and are written once the log holds them', async () => {
    dirs = makeTempDirs();
    await withSnapshots(dirs, async (snapshots) => {
      const workload = new Workload(31);
      for (let i = 0; i < 400; i++) workload.next();
      const tree = workload.tree;
      const expected = tree.serialize();
      const digestAtStart = tree.digest();
      const zxidAtStart = tree.lastZxid;
      // The log holds nothing yet; the writer asks once, when every node is written.
      let durableAsked = 0;
      // Five nodes a turn: the writes below land between slices, on nodes written and not yet written.
      const writer = new LiveSnapshotWriter(snapshots, { tree: () => tree, zxidDurable: () => (durableAsked++, 0n) }, 5);
      let built = false;
      const building = writer.build(1_234).then((result) => ((built = true), result));
      let turns = 0;
      while (durableAsked === 0) {
        workload.next();
        workload.next();
        turns++;
        await nextTurn();
      }
      expect(turns).toBeGreaterThan(10);
      expect(durableAsked).toBe(1);
      writer.logDurable(zxidAtStart - 1n);
      await nextTurn();
      expect(built).toBe(false);
      expect(await snapshots.list()).toEqual([]); // nothing written before the log holds it
      writer.logDurable(zxidAtStart);
      const { meta, timings } = await building;
      expect(meta.lastZxid).toBe(zxidAtStart);
      expect(meta.digest).toBe(digestAtStart);
      expect(meta.nodeCount).toBe(DataTree.deserialize(expected).nodeCount);
      expect(timings.catchUpMs).toBe(0);
      expect(Buffer.from(await snapshots.readBytes(meta)).equals(Buffer.from(expected))).toBe(true);
      // The tree is free for the next one, which holds everything since.
      const next = await new LiveSnapshotWriter(snapshots, { tree: () => tree, zxidDurable: () => tree.lastZxid }).build(1_235);
      expect(Buffer.from(await snapshots.readBytes(next.meta)).equals(Buffer.from(tree.serialize()))).toBe(true);
    });
  });

  it('gives up at its next turn when the storage closes or the tree is replaced, or when the log closes before it is durable, and lets go of the tree', async () => {
    dirs = makeTempDirs();
    await withSnapshots(dirs, async (snapshots) => {
      const workload = new Workload(32);
      for (let i = 0; i < 200; i++) workload.next();
      let tree = workload.tree;
      const closing = new LiveSnapshotWriter(snapshots, { tree: () => tree, zxidDurable: () => tree.lastZxid }, 5);
      const closed = closing.build(1);
      closing.close();
      await expect(closed).rejects.toBeInstanceOf(StorageClosedError);
      const replacing = new LiveSnapshotWriter(snapshots, { tree: () => tree, zxidDurable: () => tree.lastZxid }, 5);
      const replaced = replacing.build(2);
      const original = tree;
      tree = new DataTree();
      await expect(replaced).rejects.toThrow(/replaced/);
      const waiting = new LiveSnapshotWriter(snapshots, { tree: () => original, zxidDurable: () => 0n }, 5);
      const abandoned = waiting.build(3);
      for (let i = 0; i < 100; i++) await nextTurn(); // ~100 nodes, 5 a turn: written, waiting for the log
      waiting.logClosed();
      await expect(abandoned).rejects.toBeInstanceOf(StorageClosedError);
      expect(await snapshots.list()).toEqual([]);
      original.beginSnapshot().abort(); // no snapshot is left observing it
    });
  });
});

describe('DurableWaiters', () => {
  it('resolves each wait once the log holds its zxid, and rejects the rest when failed', async () => {
    const waiters = new DurableWaiters();
    const resolved: string[] = [];
    await waiters.wait(5n, 5n); // already durable
    void waiters.wait(7n, 5n).then(() => resolved.push('7'));
    void waiters.wait(9n, 5n).then(() => resolved.push('9'));
    const failed = waiters.wait(12n, 5n);
    waiters.reached(8n);
    await nextTurn();
    expect(resolved).toEqual(['7']);
    waiters.reached(10n);
    await nextTurn();
    expect(resolved).toEqual(['7', '9']);
    waiters.failAll(new Error('closed'));
    await expect(failed).rejects.toThrow('closed');
  });
});
