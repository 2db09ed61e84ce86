import { afterEach, describe, expect, it, vi } from 'vitest';
import { LogStore } from './log-store';
import { SnapshotStore } from './snapshot-store';
import { DurableStorage } from './storage';
import { capturingLogger, makeTempDirs, testStorageOptions, Workload, type TempDirs } from './test-support';

describe('autopurge', () => {
  let dirs: TempDirs;
  afterEach(() => dirs?.remove());

  it('keeps snapRetainCount snapshots and the log after the oldest kept; a restart still recovers the tree', async () => {
    dirs = makeTempDirs(true);
    const options = testStorageOptions(dirs, { snapRetainCount: 3 });
    const storage = await DurableStorage.open(options, capturingLogger().logger);
    const workload = new Workload(31, storage.tree);
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 40; i++) {
        const { header, txn } = workload.next();
        await storage.txnLog.append(header, txn);
      }
      await storage.snapshotNow();
    }
    for (let i = 0; i < 10; i++) {
      const { header, txn } = workload.next();
      await storage.txnLog.append(header, txn);
    }
    const report = await storage.purge();
    expect(report).toEqual({ snapshotsDeleted: 2, txnsDeleted: 120, logPurgedThroughZxid: 120n });
    expect(await storage.purge()).toEqual({ snapshotsDeleted: 0, txnsDeleted: 0, logPurgedThroughZxid: 120n });
    const digest = storage.tree.digest();
    await storage.close();

    const snapshots = await SnapshotStore.open(dirs.dataDir);
    expect((await snapshots.list()).map((s) => s.lastZxid)).toEqual([200n, 160n, 120n]);
    await snapshots.close();
    const log = await LogStore.open(dirs.dataLogDir);
    expect(await log.firstZxid()).toBe(121n);
    expect(await log.lastZxid()).toBe(210n);
    expect(await log.purgedThroughZxid()).toBe(120n);
    await log.close();

    const reopened = await DurableStorage.open(options, capturingLogger().logger);
    expect(reopened.tree.digest()).toBe(digest);
    expect(reopened.recovery.snapshot?.lastZxid).toBe(200n);
    await reopened.close();
  });

  it('deletes nothing while fewer than snapRetainCount snapshots exist', async () => {
    dirs = makeTempDirs();
    const storage = await DurableStorage.open(testStorageOptions(dirs, { snapRetainCount: 3 }), capturingLogger().logger);
    const workload = new Workload(32, storage.tree);
    for (let i = 0; i < 20; i++) {
      const { header, txn } = workload.next();
      await storage.txnLog.append(header, txn);
    }
    await storage.snapshotNow();
    await storage.snapshotNow();
    expect(await storage.purge()).toEqual({ snapshotsDeleted: 0, txnsDeleted: 0 });
    await storage.close();
  });

  it('purges by itself every autopurge.purgeInterval hours', async () => {
    dirs = makeTempDirs();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const { logger, lines } = capturingLogger();
      const storage = await DurableStorage.open(testStorageOptions(dirs, { snapRetainCount: 3, purgeIntervalHours: 2 }), logger);
      const workload = new Workload(33, storage.tree);
      for (let round = 0; round < 4; round++) {
        for (let i = 0; i < 10; i++) {
          const { header, txn } = workload.next();
          await storage.txnLog.append(header, txn);
        }
        await storage.snapshotNow();
      }
      vi.advanceTimersByTime(2 * 3_600_000);
      await vi.waitFor(() => expect(lines.some((line) => line.includes('purged old snapshots and log'))).toBe(true), { timeout: 5_000, interval: 20 });
      expect(lines.find((line) => line.includes('purged old snapshots and log'))).toMatch(/snapshotsDeleted=1 txnsDeleted=20 logPurgedThroughZxid=0x14/);
      await storage.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
