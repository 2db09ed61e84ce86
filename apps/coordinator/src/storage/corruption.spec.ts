import { copyFileSync, existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageRefusedError } from './errors';
import { LOG_FILE_NAME, LogStore } from './log-store';
import { DurableStorage, type StorageOptions } from './storage';
import { capturingLogger, makeTempDirs, testStorageOptions, withLog, withSnapshots, Workload, type TempDirs } from './test-support';

let dirs: TempDirs;
afterEach(() => dirs?.remove());

async function open(overrides: Partial<StorageOptions> = {}): Promise<{ storage: DurableStorage; lines: string[] }> {
  const { logger, lines } = capturingLogger();
  return { storage: await DurableStorage.open(testStorageOptions(dirs, overrides), logger), lines };
}

/** Writes `count` txns and returns the tree digest after each zxid (index = zxid). */
async function populate(count: number, snapshotsAt: number[] = []): Promise<bigint[]> {
  const { storage } = await open();
  const workload = new Workload(21, storage.tree);
  const digests: bigint[] = [storage.tree.digest()];
  for (let zxid = 1; zxid <= count; zxid++) {
    const { header, txn } = workload.next();
    await storage.txnLog.append(header, txn);
    digests.push(storage.tree.digest());
    if (snapshotsAt.includes(zxid)) await storage.snapshotNow();
  }
  await storage.close();
  return digests;
}

async function payloadOf(log: LogStore, zxid: number): Promise<Buffer> {
  const rows = (await log.rawQuery('SELECT payload FROM txn_log WHERE zxid = ?', [zxid])) as { payload: Buffer }[];
  return rows[0].payload;
}

async function logCount(): Promise<number> {
  return withLog(dirs, (log) => log.count());
}

describe('start-up with a damaged log', () => {
  it('a flipped byte in the last record: the log is truncated before it, with one clear log line', async () => {
    dirs = makeTempDirs();
    const digests = await populate(50);
    await withLog(dirs, async (log) => {
      const payload = await payloadOf(log, 50);
      payload[payload.length - 3] ^= 0x40;
      await log.rawQuery('UPDATE txn_log SET payload = ? WHERE zxid = 50', [payload]);
    });

    const { storage, lines } = await open();
    expect(storage.tree.lastZxid).toBe(49n);
    expect(storage.tree.digest()).toBe(digests[49]);
    expect(storage.recovery.txnsQuarantined).toBe(1);
    const logged = lines.filter((line) => line.includes('truncated at the last good txn'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/lastGoodZxid=0x31 .*checksum mismatch at 0x32/);
    // The server goes on from there; the quarantined record is kept for the operator, never replayed.
    const workload = new Workload(99, storage.tree);
    const { header, txn } = workload.next();
    expect(header.zxid).toBe(50n);
    await storage.txnLog.append(header, txn);
    const digest = storage.tree.digest();
    await storage.close();

    const { storage: again } = await open();
    expect(again.tree.digest()).toBe(digest);
    expect(again.recovery.txnsQuarantined).toBe(0);
    await again.close();
    const quarantined = await withLog(dirs, (log) => log.quarantined());
    expect(quarantined.map((q) => q.zxid)).toEqual([50n]);
    expect(quarantined[0].reason).toMatch(/checksum mismatch/);
  });

  it('a truncated (torn) last record is cut off the same way', async () => {
    dirs = makeTempDirs();
    const digests = await populate(30);
    await withLog(dirs, async (log) => {
      const payload = await payloadOf(log, 30);
      await log.rawQuery('UPDATE txn_log SET payload = ? WHERE zxid = 30', [payload.subarray(0, Math.floor(payload.length / 2))]);
    });
    const { storage, lines } = await open();
    expect(storage.tree.lastZxid).toBe(29n);
    expect(storage.tree.digest()).toBe(digests[29]);
    expect(lines.some((line) => line.includes('truncated at the last good txn'))).toBe(true);
    await storage.close();
  });

  it('a bad record in the middle ends the log there: it and every record after it are quarantined', async () => {
    dirs = makeTempDirs();
    const digests = await populate(40);
    await withLog(dirs, async (log) => {
      const payload = await payloadOf(log, 25);
      payload[0] ^= 0xff;
      await log.rawQuery('UPDATE txn_log SET payload = ? WHERE zxid = 25', [payload]);
    });
    const { storage } = await open();
    expect(storage.tree.lastZxid).toBe(24n);
    expect(storage.tree.digest()).toBe(digests[24]);
    expect(storage.recovery.txnsQuarantined).toBe(16);
    await storage.close();
    expect(await logCount()).toBe(24);
  });

  it('a missing record (a hole) ends the log before it', async () => {
    dirs = makeTempDirs();
    const digests = await populate(20);
    await withLog(dirs, (log) => log.rawQuery('DELETE FROM txn_log WHERE zxid = 12'));
    const { storage, lines } = await open();
    expect(storage.tree.lastZxid).toBe(11n);
    expect(storage.tree.digest()).toBe(digests[11]);
    expect(lines.find((line) => line.includes('truncated'))).toMatch(/hole in the log: 0xd follows 0xb/);
    await storage.close();
  });

  it('refuses to start empty when the very first record is bad and there is no snapshot, changing nothing', async () => {
    dirs = makeTempDirs();
    await populate(10);
    await withLog(dirs, (log) => log.rawQuery('UPDATE txn_log SET checksum = checksum + 1 WHERE zxid = 1'));
    await expect(open()).rejects.toThrow(StorageRefusedError);
    await expect(open()).rejects.toThrow(/nothing valid remains/);
    expect(await logCount()).toBe(10);
  });

  it('refuses a data directory whose log file is not a database', async () => {
    dirs = makeTempDirs(true);
    await populate(5);
    writeFileSync(join(dirs.dataLogDir, LOG_FILE_NAME), Buffer.alloc(8192, 0x5a));
    const refusal = await open().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(StorageRefusedError);
    expect(String((refusal as Error).message)).toMatch(/is not a readable SQLite database/);
  });

  it('refuses when the log is missing but the snapshots belong to one', async () => {
    dirs = makeTempDirs(true);
    await populate(5, [5]);
    renameSync(join(dirs.dataLogDir, LOG_FILE_NAME), join(dirs.root, 'moved-away.sqlite'));
    await expect(open()).rejects.toThrow(/txnlog.sqlite is missing, but .* belongs to log/);
    expect(existsSync(join(dirs.dataLogDir, LOG_FILE_NAME))).toBe(false); // refusing creates nothing
  });
});

describe('start-up with a swapped log', () => {
  it('refuses a log file that belongs to another data directory', async () => {
    dirs = makeTempDirs(true);
    await populate(5, [5]);
    const mine = dirs;
    const other = makeTempDirs(true);
    try {
      dirs = other;
      await populate(7);
      copyFileSync(join(other.dataLogDir, LOG_FILE_NAME), join(mine.dataLogDir, LOG_FILE_NAME));
    } finally {
      dirs = mine;
      other.remove();
    }
    await expect(open()).rejects.toThrow(/txnlog.sqlite \(id [0-9a-f-]+\) is not the one .* belongs to/);
  });
});

describe('start-up with a damaged snapshot', () => {
  it('a corrupt newest snapshot falls back to the previous one and the log after it', async () => {
    dirs = makeTempDirs();
    const digests = await populate(90, [30, 60]);
    await withSnapshots(dirs, async (snapshots) => {
      const newest = (await snapshots.list())[0];
      expect(newest.lastZxid).toBe(60n);
      await snapshots.rawQuery('UPDATE snapshot_chunk SET bytes = ? WHERE snapshot_id = ?', [Buffer.from('not a snapshot'), newest.id]);
    });
    const { storage, lines } = await open();
    expect(storage.recovery.snapshot?.lastZxid).toBe(30n);
    expect(storage.recovery.snapshotsCorrupt).toBe(1);
    expect(storage.recovery.txnsReplayed).toBe(60);
    expect(storage.tree.digest()).toBe(digests[90]);
    expect(lines.filter((line) => line.includes('snapshot is corrupt; falling back to the previous one'))).toHaveLength(1);
    await storage.close();

    const statuses = await withSnapshots(dirs, async (snapshots) => (await snapshots.list()).map((s) => [s.lastZxid, s.status]));
    expect(statuses).toEqual([
      [60n, 'corrupt'],
      [30n, 'valid'],
    ]);
    const { storage: again, lines: againLines } = await open();
    expect(againLines.some((line) => line.includes('snapshot is corrupt'))).toBe(false);
    expect(again.tree.digest()).toBe(digests[90]);
    await again.close();
  });

  it('a snapshot whose bytes decode but whose digest does not match is refused as corrupt', async () => {
    dirs = makeTempDirs();
    const digests = await populate(40, [20, 40]);
    await withSnapshots(dirs, async (snapshots) => {
      const newest = (await snapshots.list())[0];
      await snapshots.rawQuery("UPDATE snapshot SET digest = '12345' WHERE id = ?", [newest.id]);
    });
    const { storage } = await open();
    expect(storage.recovery.snapshot?.lastZxid).toBe(20n);
    expect(storage.tree.digest()).toBe(digests[40]);
    await storage.close();
  });

  it('refuses to start when no snapshot is valid and the log before them was purged', async () => {
    dirs = makeTempDirs();
    await populate(60, [20, 40, 60]);
    const { storage } = await open({ snapRetainCount: 3 });
    await storage.purge(); // keeps the three, log purged through 20
    await storage.close();
    await withSnapshots(dirs, (snapshots) => snapshots.rawQuery("UPDATE snapshot_chunk SET bytes = x'00'"));
    const refusal = await open().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(StorageRefusedError);
    expect((refusal as Error).message).toMatch(/no valid snapshot remains .* purged through 0x14/);
    expect((refusal as StorageRefusedError).remedy).toMatch(/restore/);
    const statuses = await withSnapshots(dirs, async (snapshots) => (await snapshots.list()).map((s) => s.status));
    expect(statuses).toEqual(['valid', 'valid', 'valid']); // refusing changes nothing
  });

  it('rebuilds from the whole log when every snapshot is corrupt but the log was never purged', async () => {
    dirs = makeTempDirs();
    const digests = await populate(50, [25]);
    await withSnapshots(dirs, (snapshots) => snapshots.rawQuery("UPDATE snapshot_chunk SET bytes = x'00'"));
    const { storage } = await open();
    expect(storage.recovery.snapshot).toBeUndefined();
    expect(storage.recovery.txnsReplayed).toBe(50);
    expect(storage.tree.digest()).toBe(digests[50]);
    await storage.close();
  });
});
