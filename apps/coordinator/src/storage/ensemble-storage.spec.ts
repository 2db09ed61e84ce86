import { afterEach, describe, expect, it } from 'vitest';
import { DataTree, decodeTxn, encodeTxn } from '@zk/datatree';
import type { DurableState, LogEntry } from '@zk/zab';
import { RefusedSnapshotError, type EnsembleStorage } from './ensemble-storage';
import { StorageRefusedError } from './errors';
import { DurableStorage, type StorageOptions } from './storage';
import { capturingLogger, makeTempDirs, testStorageOptions, withLog, withSnapshots, Workload, type TempDirs } from './test-support';

let dirs: TempDirs;
afterEach(() => dirs?.remove());

async function open(overrides: Partial<StorageOptions> = {}): Promise<{ storage: EnsembleStorage; lines: string[] }> {
  const { logger, lines } = capturingLogger();
  return { storage: await DurableStorage.openForEnsemble(testStorageOptions(dirs, overrides), logger), lines };
}

const TREE_OPTIONS = { maxDataBytes: 0xfffff };

/** storage.takeDurableState(), taken once and remembered (the tests look at it more than once). */
const taken = new WeakMap<EnsembleStorage, DurableState>();
function durableOf(storage: EnsembleStorage): DurableState {
  let durable = taken.get(storage);
  if (durable === undefined) taken.set(storage, (durable = storage.takeDurableState()));
  return durable;
}

/** The leader's side: txns as ZAB replicates them (encodeTxn at their zxid), with the leader's digest after each. */
class Leader {
  readonly workload: Workload;
  readonly entries: LogEntry[] = [];
  readonly digests = new Map<bigint, bigint>();

  constructor(seed: number, tree?: DataTree) {
    this.workload = new Workload(seed, tree);
    this.digests.set(this.workload.tree.lastZxid, this.workload.tree.digest());
  }

  next(count: number): LogEntry[] {
    const made: LogEntry[] = [];
    for (let i = 0; i < count; i++) {
      const { header, txn } = this.workload.next();
      const entry = { zxid: header.zxid, payload: encodeTxn(header, txn) };
      made.push(entry);
      this.entries.push(entry);
      this.digests.set(header.zxid, this.workload.tree.digest());
    }
    return made;
  }
}

/** What the quorum module does on ZAB's deliver: apply to the live tree, then tell storage. */
function deliver(storage: EnsembleStorage, entries: readonly LogEntry[]): void {
  for (const entry of entries) {
    const { header, txn } = decodeTxn(entry.payload);
    storage.tree.apply(header, txn);
    storage.delivered(entry.zxid, entry.payload.length);
  }
}

/** Every snapshot row: zxid, digest, status. */
async function snapshotRows(): Promise<{ zxid: bigint; digest: bigint; status: string }[]> {
  return withSnapshots(dirs, async (snapshots) => (await snapshots.list()).map((meta) => ({ zxid: meta.lastZxid, digest: meta.digest, status: meta.status })));
}

const zxidsOf = (entries: readonly LogEntry[]): bigint[] => entries.map((entry) => entry.zxid);
const range = (from: number, to: number): bigint[] => Array.from({ length: to - from + 1 }, (_, i) => BigInt(from + i));

describe('ensemble storage: open', () => {
  it('starts a new data directory with an empty tree, no log and epochs 0', async () => {
    dirs = makeTempDirs();
    const { storage } = await open();
    expect(storage.tree.lastZxid).toBe(0n);
    expect(storage.takeDurableState()).toEqual({ acceptedEpoch: 0, currentEpoch: 0, snapshotZxid: 0n, log: [] });
    expect(() => storage.takeDurableState()).toThrow(/taken already/);
    await storage.close();
  });

  it('restart: the tree is the snapshot only, and the log after it is handed over unapplied, bytes unchanged', async () => {
    dirs = makeTempDirs(true);
    const leader = new Leader(101);
    const { storage } = await open();
    await storage.persistEntries(leader.next(100));
    deliver(storage, leader.entries.slice(0, 60));
    const snapshot = await storage.snapshotNow();
    expect(snapshot.lastZxid).toBe(60n);
    await storage.persistEntries(leader.next(20));
    deliver(storage, leader.entries.slice(60, 70));
    await storage.close();

    const { storage: reopened, lines } = await open();
    expect(reopened.tree.lastZxid).toBe(60n);
    expect(reopened.tree.digest()).toBe(leader.digests.get(60n));
    expect(durableOf(reopened).snapshotZxid).toBe(60n);
    expect(zxidsOf(durableOf(reopened).log)).toEqual(range(61, 120));
    expect(durableOf(reopened).log).toEqual(leader.entries.slice(60).map((e) => ({ zxid: e.zxid, payload: new Uint8Array(e.payload) })));
    expect(reopened.recovery.txnsReplayed).toBe(0);
    expect(lines.some((line) => line.includes('storage loaded (ensemble)') && line.includes('logEntries=60'))).toBe(true);
    // The peer delivers the committed ones later; the tree then follows the leader's.
    deliver(reopened, durableOf(reopened).log.slice(0, 40));
    expect(reopened.tree.digest()).toBe(leader.digests.get(100n));
    await reopened.close();
  });

  it('restart without any snapshot: an empty tree and the whole log', async () => {
    dirs = makeTempDirs();
    const leader = new Leader(102);
    const { storage } = await open();
    await storage.persistEntries(leader.next(50));
    deliver(storage, leader.entries);
    await storage.close();
    const { storage: reopened } = await open();
    expect(reopened.tree.lastZxid).toBe(0n);
    expect(reopened.tree.nodeCount).toBe(new DataTree(TREE_OPTIONS).nodeCount);
    expect(zxidsOf(durableOf(reopened).log)).toEqual(range(1, 50));
    await reopened.close();
  });

  it('a torn tail is cut: the log handed over ends at the last good record', async () => {
    dirs = makeTempDirs();
    const leader = new Leader(103);
    const { storage } = await open();
    await storage.persistEntries(leader.next(40));
    deliver(storage, leader.entries.slice(0, 20));
    await storage.snapshotNow();
    await storage.close();
    await withLog(dirs, async (log) => {
      const [{ payload }] = (await log.rawQuery('SELECT payload FROM txn_log WHERE zxid = 35')) as { payload: Buffer }[];
      await log.rawQuery('UPDATE txn_log SET payload = ? WHERE zxid = 35', [payload.subarray(0, payload.length - 4)]);
    });
    const { storage: reopened, lines } = await open();
    expect(durableOf(reopened).snapshotZxid).toBe(20n);
    expect(zxidsOf(durableOf(reopened).log)).toEqual(range(21, 34));
    expect(reopened.recovery.txnsQuarantined).toBe(6);
    expect(lines.filter((line) => line.includes('truncated at the last good txn'))).toHaveLength(1);
    // Appends go on after the last good record.
    const again = new Leader(104, replayedTree(leader.entries.slice(0, 34)));
    expect(await reopened.persistEntries(again.next(3))).toBe(37n);
    await reopened.close();
  });

  it('a corrupt newest snapshot falls back to the previous one, whose log after it is still there', async () => {
    dirs = makeTempDirs();
    const leader = new Leader(105);
    const { storage } = await open();
    await storage.persistEntries(leader.next(90));
    deliver(storage, leader.entries.slice(0, 30));
    await storage.snapshotNow();
    deliver(storage, leader.entries.slice(30, 60));
    await storage.snapshotNow();
    await storage.close();
    await withSnapshots(dirs, async (snapshots) => {
      const newest = (await snapshots.list())[0];
      expect(newest.lastZxid).toBe(60n);
      await snapshots.rawQuery('UPDATE snapshot_chunk SET bytes = ? WHERE snapshot_id = ?', [Buffer.from('not a snapshot'), newest.id]);
    });
    const { storage: reopened } = await open();
    expect(durableOf(reopened).snapshotZxid).toBe(30n);
    expect(reopened.tree.digest()).toBe(leader.digests.get(30n));
    // 31..60 were delivered before; the peer delivers them again once it knows they are committed.
    expect(zxidsOf(durableOf(reopened).log)).toEqual(range(31, 90));
    expect(reopened.recovery.snapshotsCorrupt).toBe(1);
    await reopened.close();
  });

  it('refuses when the snapshot to fall back to is older than the purged log', async () => {
    dirs = makeTempDirs();
    const leader = new Leader(106);
    const { storage } = await open({ snapRetainCount: 3 });
    await storage.persistEntries(leader.next(80));
    for (const at of [20, 40, 60]) {
      deliver(storage, leader.entries.slice(Number(storage.zxids.delivered), at));
      await storage.snapshotNow();
    }
    expect((await storage.purge()).logPurgedThroughZxid).toBe(20n);
    await storage.close();
    await withSnapshots(dirs, (snapshots) => snapshots.rawQuery("UPDATE snapshot_chunk SET bytes = x'00'"));
    const refusal = await open().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(StorageRefusedError);
    expect((refusal as Error).message).toMatch(/no valid snapshot remains .* purged through 0x14/);
  });

  it('reads a standalone data directory: its whole log goes to the peer', async () => {
    dirs = makeTempDirs();
    const standalone = await DurableStorage.open(testStorageOptions(dirs), capturingLogger().logger);
    const workload = new Workload(107, standalone.tree);
    for (let i = 0; i < 30; i++) {
      const { header, txn } = workload.next();
      await standalone.txnLog.append(header, txn);
    }
    await standalone.close();
    const { storage } = await open();
    expect(storage.tree.lastZxid).toBe(0n);
    expect(zxidsOf(durableOf(storage).log)).toEqual(range(1, 30));
    await storage.close();
  });
});

describe('ensemble storage: snapshots hold delivered state only', () => {
  // The snapshot process replays the durable log; a live snapshot holds the delivered tree and waits for the log.
  for (const snapshotMode of ['inline', 'live'] as const) {
    it(`periodic snapshots stop at the delivered zxid, never at a logged-but-uncommitted one (${snapshotMode})`, async () => {
      dirs = makeTempDirs();
      const leader = new Leader(111);
      // snapCount 20, random 0: a snapshot after more than 10 delivered txns.
      const { storage } = await open({ snapCount: 20, random: () => 0, snapshotMode });
      const compacted: bigint[] = [];
      storage.onSnapshot((zxid) => compacted.push(zxid));
      await storage.persistEntries(leader.next(100)); // all logged, none committed
      expect(await snapshotRows()).toEqual([]);
      deliver(storage, leader.entries.slice(0, 11));
      await waitFor(() => compacted.length === 1);
      expect(compacted).toEqual([11n]);
      deliver(storage, leader.entries.slice(11, 23));
      await waitFor(() => compacted.length === 2);
      expect(compacted).toEqual([11n, 22n]);
      const rows = await snapshotRows();
      expect(rows.map((row) => row.zxid)).toEqual([22n, 11n]);
      for (const row of rows) expect(row.digest).toBe(leader.digests.get(row.zxid));
      expect(storage.zxids).toEqual({ durable: 100n, delivered: 23n, snapshot: 22n });
      await storage.close();
      const { storage: reopened } = await open();
      expect(durableOf(reopened).snapshotZxid).toBe(22n);
      expect(zxidsOf(durableOf(reopened).log)).toEqual(range(23, 100));
      await reopened.close();
    });

    it(`a txn delivered before it is durable here is snapshotted only once it is (${snapshotMode})`, async () => {
      dirs = makeTempDirs();
      const leader = new Leader(112);
      const { storage } = await open({ snapCount: 20, random: () => 0, snapshotMode });
      const compacted: bigint[] = [];
      storage.onSnapshot((zxid) => compacted.push(zxid));
      const entries = leader.next(15);
      // An observer's INFORM: deliver comes out before persistEntries of the same step.
      deliver(storage, entries);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(compacted).toEqual([]); // due, but nothing delivered is durable here yet
      expect(await storage.persistEntries(entries)).toBe(15n);
      await waitFor(() => compacted.length === 1);
      // The process snapshots once the delivered txns are durable (15); a live snapshot began when it came due
      // (the 11th delivery) and was written once the log held that.
      const zxid = snapshotMode === 'live' ? 11n : 15n;
      expect(compacted).toEqual([zxid]);
      expect((await snapshotRows())[0].digest).toBe(leader.digests.get(zxid));
      await storage.close();
    });
  }

  it('snapshots in the worker thread, and snapshotBytes gives the delivered state from it', async () => {
    dirs = makeTempDirs(true);
    const leader = new Leader(113);
    const { storage } = await open({ snapshotMode: 'worker' });
    await storage.persistEntries(leader.next(600));
    deliver(storage, leader.entries.slice(0, 400));
    const meta = await storage.snapshotNow();
    expect(meta.lastZxid).toBe(400n);
    expect(meta.digest).toBe(leader.digests.get(400n));
    deliver(storage, leader.entries.slice(400, 500));
    const { zxid, bytes } = await storage.snapshotBytes();
    expect(zxid).toBe(500n);
    const tree = DataTree.deserialize(bytes, TREE_OPTIONS);
    expect(tree.digest()).toBe(leader.digests.get(500n));
    expect(tree.digest()).toBe(storage.tree.digest());
    expect(await snapshotRows()).toHaveLength(1); // snapshotBytes writes nothing
    await storage.close();
  }, 60_000);
});

describe('ensemble storage: the ordered queue', () => {
  it('group-commits persistEntries of one turn into one SQLite transaction; each resolves to its last zxid', async () => {
    dirs = makeTempDirs();
    const leader = new Leader(121);
    const { storage } = await open();
    const batches = [leader.next(20), leader.next(20), leader.next(20), leader.next(20), leader.next(20)];
    const resolved: bigint[] = [];
    await Promise.all(batches.map((batch) => storage.persistEntries(batch).then((zxid) => resolved.push(zxid))));
    expect(resolved).toEqual([20n, 40n, 60n, 80n, 100n]);
    expect(storage.groupCommitStats).toMatchObject({ batches: 1, txns: 100, batchTxnsLargest: 100 });
    // Appends made while a flush runs go into the next one together.
    const first = storage.persistEntries(leader.next(5));
    await new Promise((resolve) => setImmediate(resolve));
    const during = [storage.persistEntries(leader.next(5)), storage.persistEntries(leader.next(5))];
    await Promise.all([first, ...during]);
    expect(storage.groupCommitStats.batches).toBeLessThanOrEqual(3);
    expect(storage.zxids.durable).toBe(115n);
    await storage.close();
  });

  it('barriers wait for the appends before them and hold back the appends after them, without the caller awaiting', async () => {
    dirs = makeTempDirs();
    const leader = new Leader(122);
    const { storage } = await open();
    const order: string[] = [];
    const track = <T>(name: string, promise: Promise<T>): Promise<T> => promise.then((value) => (order.push(name), value));
    const proposals = leader.next(30);
    // A follower that logged 30, then TRUNC to 20 and a new epoch's history from there.
    const replacement = new Leader(124, replayedTree(proposals.slice(0, 20)));
    const newHistory = replacement.next(10);
    const done = Promise.all([
      track('append 1-30', storage.persistEntries(proposals)),
      track('epochs', storage.persistEpochs(2, 1)),
      track('truncate', storage.truncateLog(20n)),
      track('append 21-30 again', storage.persistEntries(newHistory)),
      track('epochs 2', storage.persistEpochs(2, 2)),
    ]);
    await done;
    expect(order).toEqual(['append 1-30', 'epochs', 'truncate', 'append 21-30 again', 'epochs 2']);
    await storage.close();
    const { storage: reopened } = await open();
    expect(durableOf(reopened).acceptedEpoch).toBe(2);
    expect(durableOf(reopened).currentEpoch).toBe(2);
    expect(durableOf(reopened).log.map((e) => e.payload)).toEqual([...proposals.slice(0, 20), ...newHistory].map((e) => new Uint8Array(e.payload)));
    deliver(reopened, durableOf(reopened).log);
    expect(reopened.tree.digest()).toBe(replacement.workload.tree.digest());
    await reopened.close();
  });

  it('refuses every later write once one failed', async () => {
    dirs = makeTempDirs();
    const leader = new Leader(125);
    const { storage, lines } = await open();
    await storage.persistEntries(leader.next(10));
    const wrong = leader.next(1)[0];
    await expect(storage.persistEntries([{ zxid: wrong.zxid + 1n, payload: wrong.payload }])).rejects.toThrow(/holds the txn of/);
    await expect(storage.persistEpochs(1, 1)).rejects.toThrow(/holds the txn of/);
    expect(lines.some((line) => line.includes('storage failed; refusing every later write'))).toBe(true);
    await storage.close();
  });
});

describe('ensemble storage: truncateLog', () => {
  it('drops the uncommitted tail; a restart hands over the log as truncated and then extended', async () => {
    dirs = makeTempDirs(true);
    const leader = new Leader(131);
    const { storage } = await open();
    await storage.persistEntries(leader.next(100));
    deliver(storage, leader.entries.slice(0, 50));
    await storage.snapshotNow();
    const before = storage.tree;
    await storage.truncateLog(70n);
    expect(storage.tree).toBe(before); // the tree holds delivered state only: nothing to undo
    expect(storage.zxids).toEqual({ durable: 70n, delivered: 50n, snapshot: 50n });
    const fork = new Leader(132, replayedTree(leader.entries.slice(0, 70)));
    await storage.persistEntries(fork.next(10));
    await storage.close();

    const { storage: reopened } = await open();
    expect(reopened.tree.digest()).toBe(leader.digests.get(50n));
    expect(zxidsOf(durableOf(reopened).log)).toEqual(range(51, 80));
    expect(durableOf(reopened).log.slice(20).map((e) => e.payload)).toEqual(fork.entries.map((e) => new Uint8Array(e.payload)));
    deliver(reopened, durableOf(reopened).log);
    expect(reopened.tree.digest()).toBe(fork.workload.tree.digest());
    await reopened.close();
  });

  it('refuses to truncate below the delivered zxid (ZAB never does: it would be a bug)', async () => {
    dirs = makeTempDirs();
    const leader = new Leader(133);
    const { storage } = await open();
    await storage.persistEntries(leader.next(30));
    deliver(storage, leader.entries.slice(0, 20));
    await expect(storage.truncateLog(10n)).rejects.toThrow(/would cut delivered state/);
    await storage.close();
  });
});

describe('ensemble storage: installSnapshot', () => {
  it('replaces tree, snapshots and log; a restart comes back on the installed state and the log after it', async () => {
    dirs = makeTempDirs(true);
    const follower = new Leader(141);
    const { storage } = await open();
    await storage.persistEntries(follower.next(40));
    deliver(storage, follower.entries.slice(0, 30));
    await storage.snapshotNow();

    const leader = new Leader(142);
    leader.next(300);
    const tree = await storage.installSnapshot(300n, leader.workload.tree.serialize());
    expect(tree).toBe(storage.tree);
    expect(tree.digest()).toBe(leader.digests.get(300n));
    expect(storage.zxids).toEqual({ durable: 300n, delivered: 300n, snapshot: 300n });
    expect((await snapshotRows()).map((row) => [row.zxid, row.status])).toEqual([[300n, 'valid']]);
    await storage.persistEntries(leader.next(10));
    deliver(storage, leader.entries.slice(300, 305));
    await storage.close();

    const { storage: reopened } = await open();
    expect(durableOf(reopened).snapshotZxid).toBe(300n);
    expect(reopened.tree.digest()).toBe(leader.digests.get(300n));
    expect(zxidsOf(durableOf(reopened).log)).toEqual(range(301, 310));
    await reopened.close();
  });

  it('refuses bytes that are not a whole tree at that zxid, changing nothing; the storage stays usable', async () => {
    dirs = makeTempDirs();
    const follower = new Leader(143);
    const { storage } = await open();
    await storage.persistEntries(follower.next(10));
    const leader = new Leader(144);
    leader.next(50);
    await expect(storage.installSnapshot(49n, leader.workload.tree.serialize())).rejects.toBeInstanceOf(RefusedSnapshotError);
    const bytes = leader.workload.tree.serialize();
    bytes[bytes.length - 1] ^= 1;
    await expect(storage.installSnapshot(50n, bytes)).rejects.toBeInstanceOf(RefusedSnapshotError);
    expect(storage.tree.lastZxid).toBe(0n);
    expect(await storage.persistEntries(follower.next(1))).toBe(11n);
    await storage.close();
  });

  it('a crash before the install\'s commit point restarts on the old snapshot and log', async () => {
    dirs = makeTempDirs();
    const follower = new Leader(145);
    const { storage } = await open();
    await storage.persistEntries(follower.next(30));
    deliver(storage, follower.entries.slice(0, 20));
    await storage.snapshotNow();
    await storage.close();
    const leader = new Leader(146);
    leader.next(100);
    await withSnapshots(dirs, (snapshots) =>
      snapshots.write({ lastZxid: 100n, digest: leader.workload.tree.digest(), nodeCount: leader.workload.tree.nodeCount, sessionCount: 0, createdAtMs: 1 }, leader.workload.tree.serialize(), {
        token: 'crashed-install',
      }),
    );

    const { storage: reopened } = await open();
    expect(durableOf(reopened).snapshotZxid).toBe(20n);
    expect(reopened.tree.digest()).toBe(follower.digests.get(20n));
    expect(zxidsOf(durableOf(reopened).log)).toEqual(range(21, 30));
    await reopened.close();
    expect((await snapshotRows()).map((row) => row.zxid)).toEqual([20n]);
  });

  it('a crash after the install\'s commit point finishes the install on restart', async () => {
    dirs = makeTempDirs();
    const follower = new Leader(147);
    const { storage } = await open();
    await storage.persistEntries(follower.next(30));
    deliver(storage, follower.entries.slice(0, 20));
    await storage.snapshotNow();
    await storage.close();
    const leader = new Leader(148);
    leader.next(100);
    await withSnapshots(dirs, (snapshots) =>
      snapshots.write({ lastZxid: 100n, digest: leader.workload.tree.digest(), nodeCount: leader.workload.tree.nodeCount, sessionCount: 0, createdAtMs: 1 }, leader.workload.tree.serialize(), {
        token: 'committed-install',
      }),
    );
    await withLog(dirs, (log) => log.restartAfter(100n, 'committed-install'));

    const { storage: reopened } = await open();
    expect(durableOf(reopened).snapshotZxid).toBe(100n);
    expect(reopened.tree.digest()).toBe(leader.digests.get(100n));
    expect(durableOf(reopened).log).toEqual([]);
    await reopened.close();
    expect((await snapshotRows()).map((row) => [row.zxid, row.status])).toEqual([[100n, 'valid']]);
  });
});

describe('ensemble storage: epochs', () => {
  it('survive a restart', async () => {
    dirs = makeTempDirs();
    const { storage } = await open();
    await storage.persistEpochs(3, 2);
    await storage.close();
    const { storage: reopened } = await open();
    expect(durableOf(reopened)).toMatchObject({ acceptedEpoch: 3, currentEpoch: 2 });
    await reopened.persistEpochs(3, 3);
    await reopened.close();
    const { storage: again } = await open();
    expect(durableOf(again)).toMatchObject({ acceptedEpoch: 3, currentEpoch: 3 });
    await again.close();
  });

  it('refuses epochs ZabPeer could not have made (currentEpoch above acceptedEpoch)', async () => {
    dirs = makeTempDirs();
    const { storage } = await open();
    await expect(storage.persistEpochs(1, 2)).rejects.toThrow(/cannot be stored/);
    await storage.close();
  });
});

/** A tree with these entries applied, from empty. */
function replayedTree(entries: readonly LogEntry[]): DataTree {
  const tree = new DataTree(TREE_OPTIONS);
  for (const entry of entries) {
    const { header, txn } = decodeTxn(entry.payload);
    tree.apply(header, txn);
  }
  return tree;
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const startedMs = Date.now();
  while (!condition()) {
    if (Date.now() - startedMs > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
