// Opening the two files of a server's storage, the same way in standalone and ensemble mode: both
// directories locked, the snapshot database first, a missing log refused before an empty one is made.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirLock } from './data-dir-lock';
import type { JournalMode } from './database';
import { StorageRefusedError } from './errors';
import { LOG_FILE_NAME, LogStore } from './log-store';
import { SnapshotStore } from './snapshot-store';
import type { Logger } from '../util/logger';

export interface StorageFiles {
  log: LogStore;
  snapshots: SnapshotStore;
  locks: DataDirLock[];
}

/** Runs `use` on the opened files; when it throws, the files are closed and the locks released. */
export async function withStorageFiles<T>(
  options: { dataDir: string; dataLogDir: string; journalMode?: JournalMode },
  logger: Logger,
  use: (files: StorageFiles) => Promise<T>,
): Promise<T> {
  mkdirSync(options.dataDir, { recursive: true });
  mkdirSync(options.dataLogDir, { recursive: true });
  const locks = [DataDirLock.acquire(options.dataDir)];
  let snapshots: SnapshotStore | undefined;
  let log: LogStore | undefined;
  try {
    if (options.dataLogDir !== options.dataDir) locks.push(DataDirLock.acquire(options.dataLogDir));
    snapshots = await SnapshotStore.open(options.dataDir, { journalMode: options.journalMode });
    await refuseMissingLog(options.dataLogDir, snapshots);
    log = await LogStore.open(options.dataLogDir, {
      journalMode: options.journalMode,
      onCheckpointError: (error) => logger.warn('WAL checkpoint of the transaction log failed; the next one tries again', { error: error.message }),
    });
    return await use({ log, snapshots, locks });
  } catch (error) {
    await Promise.allSettled([log?.close(), snapshots?.close()]);
    for (const lock of locks) lock.release();
    throw error;
  }
}

/** Checked before the log is opened, so that refusing does not leave a new empty log behind. */
export async function refuseMissingLog(dataLogDir: string, snapshots: SnapshotStore): Promise<void> {
  const path = join(dataLogDir, LOG_FILE_NAME);
  const logId = await snapshots.getState('logId');
  if (existsSync(path) || logId === undefined) return;
  throw new StorageRefusedError(
    `the transaction log ${path} is missing, but ${snapshots.path} belongs to log ${logId}`,
    'point dataLogDir at the directory that holds the right txnlog.sqlite, or restore it; to really start over, move both files aside',
  );
}
