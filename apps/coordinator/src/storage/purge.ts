// Autopurge: keep the newest snapRetainCount valid snapshots, delete older snapshots (and corrupt ones no
// newer than the oldest kept), then the log records that no kept snapshot needs. Snapshots go first, so a
// crash in between leaves only extra log, never a snapshot without the log after it.
import { hexZxid, type Logger } from '../util/logger';
import type { LogStore } from './log-store';
import type { SnapshotStore } from './snapshot-store';

export interface PurgeReport {
  snapshotsDeleted: number;
  txnsDeleted: number;
  /** The log now starts after this zxid; undefined when nothing was purged. */
  logPurgedThroughZxid?: bigint;
}

export async function purgeOld(snapshots: SnapshotStore, log: LogStore, snapRetainCount: number): Promise<PurgeReport> {
  const rows = await snapshots.list();
  const kept = rows.filter((row) => row.status === 'valid').slice(0, snapRetainCount);
  if (kept.length < snapRetainCount) return { snapshotsDeleted: 0, txnsDeleted: 0 };
  const oldestKept = kept[kept.length - 1];
  const keptIds = new Set(kept.map((row) => row.id));
  const doomed = rows.filter((row) => !keptIds.has(row.id) && row.lastZxid <= oldestKept.lastZxid).map((row) => row.id);
  await snapshots.delete(doomed);
  const txnsDeleted = await log.purgeThrough(oldestKept.lastZxid);
  return { snapshotsDeleted: doomed.length, txnsDeleted, logPurgedThroughZxid: oldestKept.lastZxid };
}

/** purgeOld, with one log line when it deleted anything: both storage modes purge this way. */
export async function purgeOldAndLog(snapshots: SnapshotStore, log: LogStore, snapRetainCount: number, logger: Logger): Promise<PurgeReport> {
  const report = await purgeOld(snapshots, log, snapRetainCount);
  if (report.logPurgedThroughZxid !== undefined) {
    logger.info('purged old snapshots and log', {
      snapshotsDeleted: report.snapshotsDeleted,
      txnsDeleted: report.txnsDeleted,
      logPurgedThroughZxid: hexZxid(report.logPurgedThroughZxid),
    });
  }
  return report;
}

/** autopurge.purgeInterval: purges every `hours` (0 = never); a failed purge is logged, the next one tries again. */
export function startPurgeTimer(hours: number, purge: () => Promise<unknown>, logger: Logger): NodeJS.Timeout | undefined {
  if (hours <= 0) return undefined;
  const timer = setInterval(() => void purge().catch((error: unknown) => logger.error('purge failed', { error: String(error) })), hours * 3_600_000);
  timer.unref();
  return timer;
}
