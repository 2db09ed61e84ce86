import { afterEach, describe, expect, it } from 'vitest';
import { encodeTxn } from '@zk/datatree';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { SNAPSHOT_FILE_NAME } from './snapshot-store';
import { DurableStorage } from './storage';
import { capturingLogger, makeTempDirs, testStorageOptions, Workload, type TempDirs } from './test-support';
import type { StorageOptions } from './storage';

/** Appends `count` txns of the workload (which applies them to the tree it was given) and waits until durable. */
async function writeThrough(storage: DurableStorage, workload: Workload, count: number): Promise<void> {
  const appends: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const { header, txn } = workload.next();
    appends.push(storage.txnLog.append(header, txn));
  }
  await Promise.all(appends);
}

describe('durable storage', () => {
  let dirs: TempDirs;
  const open = (overrides: Partial<StorageOptions> = {}): Promise<DurableStorage> =>
    DurableStorage.open(testStorageOptions(dirs, overrides), capturingLogger().logger);
  afterEach(() => dirs?.remove());

  it('starts empty on a new data directory', async () => {
    dirs = makeTempDirs();
    const storage = await open();
    expect(storage.tree.lastZxid).toBe(0n);
    expect(storage.recovery).toMatchObject({ txnsReplayed: 0, txnsQuarantined: 0, snapshotsCorrupt: 0 });
    await storage.close();
  });

  it('recovers after a restart to the same tree (digest), from the log alone', async () => {
    dirs = makeTempDirs(true);
    const storage = await open();
    const workload = new Workload(11, storage.tree);
    await writeThrough(storage, workload, 1_500);
    const digest = storage.tree.digest();
    await storage.close();

    const reopened = await open();
    expect(reopened.tree.lastZxid).toBe(1_500n);
    expect(reopened.tree.digest()).toBe(digest);
    expect(reopened.tree.serialize()).toEqual(workload.tree.serialize());
    expect(reopened.recovery).toMatchObject({ txnsReplayed: 1_500, snapshot: undefined });
    await reopened.close();
  });

  for (const snapshotMode of ['inline', 'live'] as const) {
    it(`recovers from the newest snapshot plus the log after it, and keeps going from there (${snapshotMode} snapshots)`, async () => {
      dirs = makeTempDirs();
      const storage = await open({ snapshotMode });
      const workload = new Workload(12, storage.tree);
      await writeThrough(storage, workload, 700);
      const snapshot = await storage.snapshotNow();
      expect(snapshot.lastZxid).toBe(700n);
      expect(snapshot.digest).toBe(storage.tree.digest());
      await writeThrough(storage, workload, 300);
      await storage.close();

      const reopened = await open();
      expect(reopened.recovery.snapshot?.id).toBe(snapshot.id);
      expect(reopened.recovery.txnsReplayed).toBe(300);
      expect(reopened.tree.digest()).toBe(workload.tree.digest());
      const more = new Workload(13, reopened.tree);
      await writeThrough(reopened, more, 200);
      const digest = reopened.tree.digest();
      await reopened.close();

      const again = await open();
      expect(again.tree.lastZxid).toBe(1_200n);
      expect(again.tree.digest()).toBe(digest);
      await again.close();
    });
  }

  it('a live snapshot holds the tree of its start while writes go on between its slices; a restart loads it and replays the rest', async () => {
    dirs = makeTempDirs();
    // 20 nodes a turn: the snapshot of ~1,000 nodes takes ~50 turns, the 300 writes below land between them.
    const storage = await open({ snapshotMode: 'live', snapshotSliceNodes: 20 });
    const workload = new Workload(19, storage.tree);
    await writeThrough(storage, workload, 6_000);
    const digestAtStart = storage.tree.digest();
    const snapshotting = storage.snapshotNow();
    let zxidWhenWritten = 0n;
    void snapshotting.then(() => (zxidWhenWritten = storage.tree.lastZxid));
    await writeThrough(storage, workload, 300);
    const snapshot = await snapshotting;
    expect(zxidWhenWritten).toBeGreaterThan(6_000n); // writes were applied while it was being taken
    expect(snapshot.lastZxid).toBe(6_000n);
    expect(snapshot.digest).toBe(digestAtStart);
    await storage.close();

    const reopened = await open({ snapshotMode: 'live', snapshotSliceNodes: 20 });
    expect(reopened.recovery.snapshot?.id).toBe(snapshot.id);
    expect(reopened.recovery.txnsReplayed).toBe(300);
    expect(reopened.tree.serialize()).toEqual(workload.tree.serialize());
    await reopened.close();
  });

  it('snapshots by itself after snapCount/2 + random(snapCount/2) txns', async () => {
    dirs = makeTempDirs();
    const storage = await open({ snapCount: 200, random: () => 0.5 }); // threshold 100 + 50
    const workload = new Workload(14, storage.tree);
    await writeThrough(storage, workload, 140);
    expect(await listSnapshots(storage)).toHaveLength(0);
    await writeThrough(storage, workload, 20);
    await storage.snapshotNow(); // waits for the automatic one first
    const zxids = (await listSnapshots(storage)).map((s) => s.lastZxid);
    expect(zxids).toHaveLength(2);
    expect(zxids[1]).toBeGreaterThan(150n);
    expect(zxids[1]).toBeLessThanOrEqual(160n);
    await storage.close();
  });

  it('snapshots by itself after snapSize/2 + random(snapSize/2) logged payload bytes, long before snapCount', async () => {
    dirs = makeTempDirs();
    const storage = await open({ snapCount: 1_000_000, snapSizeBytes: 20_000, random: () => 0.5 }); // threshold 10,000 + 5,000 bytes
    const workload = new Workload(17, storage.tree);
    let logged = 0;
    let txns = 0;
    while (logged <= 15_000) {
      const { header, txn } = workload.next();
      await storage.txnLog.append(header, txn);
      logged += encodeTxn(header, txn).length;
      txns++;
    }
    await storage.snapshotNow(); // waits for the automatic one first
    const zxids = (await listSnapshots(storage)).map((s) => s.lastZxid);
    expect(zxids).toHaveLength(2);
    expect(zxids[0]).toBe(BigInt(txns)); // the one the byte bound made due, at the txn that crossed it
    await storage.close();
  });

  it('starts a snapshot that came due while one was being built once that one ends, instead of skipping it', async () => {
    dirs = makeTempDirs();
    const storage = await open({ snapCount: 20, random: () => 0 }); // due after more than 10 txns
    const engine = (storage as unknown as { engine: { build(zxid: bigint, nowMs: number): Promise<unknown> } }).engine;
    const build = engine.build.bind(engine);
    let releaseFirst: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const targets: bigint[] = [];
    engine.build = async (zxid, nowMs) => {
      targets.push(zxid);
      if (targets.length === 1) await firstHeld; // the first snapshot is still being built ...
      return build(zxid, nowMs);
    };
    const workload = new Workload(18, storage.tree);
    await writeThrough(storage, workload, 11);
    expect(targets).toEqual([11n]);
    await writeThrough(storage, workload, 11); // ... when the next one comes due
    expect(targets).toEqual([11n]);
    releaseFirst();
    // No further write and no snapshotNow: the deferred snapshot starts by itself.
    const deadline = Date.now() + 10_000;
    while ((await listSnapshots(storage)).length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(targets).toEqual([11n, 22n]);
    expect((await listSnapshots(storage)).map((s) => s.lastZxid)).toEqual([11n, 22n]);
    await storage.close();
  });

  it('builds snapshots in a worker thread that equal the serving tree', async () => {
    dirs = makeTempDirs(true);
    const storage = await open({ snapshotMode: 'worker' });
    const workload = new Workload(15, storage.tree);
    await writeThrough(storage, workload, 800);
    const first = await storage.snapshotNow();
    await writeThrough(storage, workload, 400);
    const second = await storage.snapshotNow();
    expect(first.digest).not.toBe(second.digest);
    expect(second.lastZxid).toBe(1_200n);
    expect(second.digest).toBe(storage.tree.digest());
    await storage.close();

    const reopened = await open();
    expect(reopened.recovery.snapshot?.id).toBe(second.id);
    expect(reopened.recovery.txnsReplayed).toBe(0);
    expect(reopened.tree.serialize()).toEqual(workload.tree.serialize());
    await reopened.close();
  }, 60_000);

  it('runs the snapshot process only while a snapshot is built, and starts a new one after one died', async () => {
    dirs = makeTempDirs();
    const storage = await open({ snapshotMode: 'worker' });
    const engine = (storage as unknown as { engine: { running: boolean; worker?: { kill(signal: string): boolean } } }).engine;
    // No thread (and no replica of the tree) between snapshots.
    expect(engine.running).toBe(false);
    const workload = new Workload(16, storage.tree);
    await writeThrough(storage, workload, 100);
    await storage.snapshotNow();
    expect(engine.running).toBe(false);
    // A worker that dies under a snapshot fails that snapshot only.
    await writeThrough(storage, workload, 50);
    const dying = storage.snapshotNow();
    expect(engine.running).toBe(true);
    engine.worker?.kill('SIGKILL');
    await expect(dying).rejects.toThrow(/snapshot worker exited/);
    await writeThrough(storage, workload, 50);
    const meta = await storage.snapshotNow();
    expect(meta.lastZxid).toBe(200n);
    expect(meta.digest).toBe(storage.tree.digest());
    expect(engine.running).toBe(false);
    await storage.close();
  }, 60_000);

  it('stores ZAB epochs while the snapshot process holds the write lock, by waiting for it (regression: SQLITE_BUSY at once)', async () => {
    dirs = makeTempDirs();
    const storage = await open();
    await storage.writeEpochs({ acceptedEpoch: 1n, currentEpoch: 1n });
    // Another connection writing snapshots.sqlite, as the snapshot process does while it stores a snapshot.
    const other = await new Promise<sqlite3.Database>((resolve, reject) => {
      const db: sqlite3.Database = new sqlite3.Database(join(dirs.dataDir, SNAPSHOT_FILE_NAME), (error) => (error ? reject(error) : resolve(db)));
    });
    const exec = (sql: string): Promise<void> => new Promise((resolve, reject) => other.exec(sql, (error) => (error ? reject(error) : resolve())));
    await exec("BEGIN IMMEDIATE; INSERT INTO server_state (key, value) VALUES ('probe', 'x') ON CONFLICT (key) DO UPDATE SET value = excluded.value;");
    const written = storage.writeEpochs({ acceptedEpoch: 2n, currentEpoch: 2n });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await exec('COMMIT');
    await written;
    await new Promise<void>((resolve) => other.close(() => resolve()));
    expect(await storage.readEpochs()).toEqual({ acceptedEpoch: 2n, currentEpoch: 2n });
    await storage.close();
  });

  it('stores ZAB epochs durably', async () => {
    dirs = makeTempDirs();
    const storage = await open();
    expect(await storage.readEpochs()).toEqual({ acceptedEpoch: 0n, currentEpoch: 0n });
    await storage.writeEpochs({ acceptedEpoch: 5n });
    await storage.writeEpochs({ currentEpoch: 4n });
    await storage.close();
    const reopened = await open();
    expect(await reopened.readEpochs()).toEqual({ acceptedEpoch: 5n, currentEpoch: 4n });
    await reopened.close();
  });
});

async function listSnapshots(storage: DurableStorage): Promise<{ lastZxid: bigint }[]> {
  // Through the storage's own connection: the rows a restart would see.
  const rows = (await (storage as unknown as { snapshots: { list(): Promise<{ lastZxid: bigint }[]> } }).snapshots.list()).reverse();
  return rows;
}
