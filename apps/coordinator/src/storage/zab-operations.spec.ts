import { afterEach, describe, expect, it } from 'vitest';
import { decodeTxn, encodeTxn } from '@zk/datatree';
import { LogStore } from './log-store';
import { SnapshotStore } from './snapshot-store';
import { DurableStorage, type StorageOptions } from './storage';
import { capturingLogger, makeTempDirs, testStorageOptions, Workload, type TempDirs } from './test-support';

let dirs: TempDirs;
afterEach(() => dirs?.remove());

const open = (overrides: Partial<StorageOptions> = {}): Promise<DurableStorage> => DurableStorage.open(testStorageOptions(dirs, overrides), capturingLogger().logger);

/** Appends count txns as ZAB would hand them over (encoded), returning the digest after each zxid. */
async function replicate(storage: DurableStorage, workload: Workload, count: number, digests: Map<bigint, bigint> = new Map()): Promise<Map<bigint, bigint>> {
  for (let i = 0; i < count; i++) {
    const { header, txn } = workload.next();
    await storage.appendEncoded(header.zxid, encodeTxn(header, txn));
    digests.set(header.zxid, workload.tree.digest());
  }
  return digests;
}

async function snapshotZxids(): Promise<[bigint, string][]> {
  const snapshots = await SnapshotStore.open(dirs.dataDir);
  try {
    return (await snapshots.list()).map((meta) => [meta.lastZxid, meta.status]);
  } finally {
    await snapshots.close();
  }
}

describe('storage operations for ZAB', () => {
  it('appends encoded txns durably and reads them back in order', async () => {
    dirs = makeTempDirs();
    const storage = await open();
    const workload = new Workload(51, storage.tree);
    await replicate(storage, workload, 50);
    const entries = await storage.readLogAfter(20n, 5);
    expect(entries.map((e) => e.zxid)).toEqual([21n, 22n, 23n, 24n, 25n]);
    expect(decodeTxn(entries[0].payload).header.zxid).toBe(21n);
    const next = workload.next();
    expect(() => storage.appendEncoded(next.header.zxid + 1n, encodeTxn(next.header, next.txn))).toThrow(/holds the txn of/);
    await storage.close();
    const reopened = await open();
    expect(reopened.tree.digest()).toBe(workload.tree.digest());
    expect(reopened.tree.lastZxid).toBe(50n);
    await reopened.close();
  });

  it('truncateAfter drops the txns and snapshots above the zxid, reloads the tree, and the log goes on from there', async () => {
    dirs = makeTempDirs(true);
    const storage = await open();
    const workload = new Workload(52, storage.tree);
    const digests = await replicate(storage, workload, 60);
    await storage.snapshotNow();
    await replicate(storage, workload, 20, digests);
    await storage.snapshotNow();
    await replicate(storage, workload, 20, digests);

    const tree = await storage.truncateAfter(70n);
    expect(tree).toBe(storage.tree);
    expect(tree.lastZxid).toBe(70n);
    expect(tree.digest()).toBe(digests.get(70n));
    expect(await snapshotZxids()).toEqual([[60n, 'valid']]);

    const fork = new Workload(53, tree);
    await replicate(storage, fork, 15);
    const digest = tree.digest();
    await storage.close();
    const reopened = await open();
    expect(reopened.tree.lastZxid).toBe(85n);
    expect(reopened.tree.digest()).toBe(digest);
    await reopened.close();
  });

  it('installSnapshot replaces state, snapshots and log with the leader\'s snapshot', async () => {
    dirs = makeTempDirs(true);
    const storage = await open();
    await replicate(storage, new Workload(54, storage.tree), 40);
    await storage.snapshotNow();

    const leader = new Workload(55);
    for (let i = 0; i < 300; i++) leader.next();
    const tree = await storage.installSnapshot(leader.tree.serialize());
    expect(tree.lastZxid).toBe(300n);
    expect(tree.digest()).toBe(leader.tree.digest());
    expect(await snapshotZxids()).toEqual([[300n, 'valid']]);
    expect(await storage.readLogAfter(0n, 10)).toEqual([]);

    const follower = new Workload(56, tree);
    await replicate(storage, follower, 10);
    const digest = tree.digest();
    await storage.close();
    const reopened = await open();
    expect(reopened.tree.lastZxid).toBe(310n);
    expect(reopened.tree.digest()).toBe(digest);
    expect(reopened.recovery.snapshot?.lastZxid).toBe(300n);
    await reopened.close();
  });

  it('refuses snapshot bytes that are not a whole tree, changing nothing', async () => {
    dirs = makeTempDirs();
    const storage = await open();
    await replicate(storage, new Workload(57, storage.tree), 10);
    const bytes = new Workload(58).tree.serialize();
    bytes[bytes.length - 1] ^= 1; // the digest no longer matches
    await expect(storage.installSnapshot(bytes)).rejects.toThrow();
    expect(storage.tree.lastZxid).toBe(10n);
    await storage.close();
  });

  it('a crash before the install\'s commit point restarts on the old state', async () => {
    dirs = makeTempDirs();
    const storage = await open();
    const digests = await replicate(storage, new Workload(59, storage.tree), 30);
    await storage.close();
    const leader = new Workload(60);
    for (let i = 0; i < 100; i++) leader.next();
    const snapshots = await SnapshotStore.open(dirs.dataDir);
    await snapshots.write({ lastZxid: 100n, digest: leader.tree.digest(), nodeCount: leader.tree.nodeCount, sessionCount: 0, createdAtMs: 1 }, leader.tree.serialize(), { token: 'crashed-install' });
    await snapshots.close();

    const reopened = await open();
    expect(reopened.tree.lastZxid).toBe(30n);
    expect(reopened.tree.digest()).toBe(digests.get(30n));
    await reopened.close();
    expect(await snapshotZxids()).toEqual([]);
  });

  it('a crash after the install\'s commit point finishes the install on restart', async () => {
    dirs = makeTempDirs();
    const storage = await open();
    await replicate(storage, new Workload(61, storage.tree), 30);
    await storage.snapshotNow();
    await replicate(storage, new Workload(62, storage.tree), 0);
    await storage.close();
    const leader = new Workload(63);
    for (let i = 0; i < 100; i++) leader.next();
    const snapshots = await SnapshotStore.open(dirs.dataDir);
    await snapshots.write({ lastZxid: 100n, digest: leader.tree.digest(), nodeCount: leader.tree.nodeCount, sessionCount: 0, createdAtMs: 1 }, leader.tree.serialize(), { token: 'committed-install' });
    await snapshots.close();
    const log = await LogStore.open(dirs.dataLogDir);
    await log.restartAfter(100n, 'committed-install');
    await log.close();

    const reopened = await open();
    expect(reopened.tree.lastZxid).toBe(100n);
    expect(reopened.tree.digest()).toBe(leader.tree.digest());
    await reopened.close();
    expect(await snapshotZxids()).toEqual([[100n, 'valid']]);
  });
});
