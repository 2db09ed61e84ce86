// Checkpoints the transaction log's WAL from a second SQLite connection, beside the writer.
// With SQLite's automatic checkpoint, the commit that crosses 1,000 WAL pages copies them into the database
// file and fsyncs it before its own callback runs: a client waiting on that commit waits for the copy too
// (with 512 KiB values, one commit in eight paid 4 MiB of copying and a second fsync). The writer's
// automatic checkpoint is turned off (wal_autocheckpoint=0) and this connection runs a PASSIVE checkpoint,
// which never blocks the writer, once enough was committed since the last one. Durability does not change:
// a commit is durable once the WAL is fsynced (synchronous=FULL); a checkpoint only moves pages.
import sqlite3 from 'sqlite3';

export interface WalCheckpointLimits {
  /** WAL bytes (estimated) written since the last checkpoint that start the next (SQLite's default is 1,000 pages). */
  startAfterBytes: number;
  /**
   * WAL size (bytes) past which a checkpoint is RESTART instead of PASSIVE: under a steady write load a
   * passive checkpoint may never catch the WAL's end, so the WAL never starts over and keeps growing; RESTART
   * waits for the writer's current commit and makes the next one start the WAL from its beginning.
   */
  restartAboveBytes: number;
}

/**
 * What one commit adds to the WAL besides its payload: at least the table's last leaf page and the commit's
 * page of the index, whole pages however small the txn. Without it 100 B commits counted 100 B each, and the WAL
 * grew to hundreds of MiB before the first checkpoint (slower commits, and a restart that reads it all).
 */
const COMMIT_PAGES_ESTIMATE = 2;

export const WAL_CHECKPOINT_LIMITS_DEFAULT: WalCheckpointLimits = { startAfterBytes: 4 * 1024 * 1024, restartAboveBytes: 64 * 1024 * 1024 };

/** One checkpoint's outcome, as SQLite reports it (frames of the WAL, frames copied into the database). */
export interface CheckpointResult {
  mode: 'PASSIVE' | 'RESTART';
  walFrames: number;
  framesCheckpointed: number;
  ms: number;
}

export class WalCheckpointer {
  private bytesSinceCheckpoint = 0;
  private running: Promise<void> | undefined;
  private walBytes = 0;
  private closed = false;
  private readonly listeners: Array<(result: CheckpointResult) => void> = [];
  private readonly errorListeners: Array<(error: Error) => void> = [];

  private constructor(
    private readonly db: sqlite3.Database,
    private readonly pageSize: number,
    private readonly limits: WalCheckpointLimits,
  ) {}

  /** A connection of its own to the database at `path` (already in WAL mode: its writer opened it). */
  static async open(path: string, busyTimeoutMs: number, limits: WalCheckpointLimits = WAL_CHECKPOINT_LIMITS_DEFAULT): Promise<WalCheckpointer> {
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const opened: sqlite3.Database = new sqlite3.Database(path, sqlite3.OPEN_READWRITE, (error) => (error ? reject(error) : resolve(opened)));
    });
    db.configure('busyTimeout', busyTimeoutMs);
    const [{ page_size: pageSize }] = await all<{ page_size: number }>(db, 'PRAGMA page_size');
    return new WalCheckpointer(db, pageSize, limits);
  }

  /**
   * How long the WAL gets under these limits, short of a reader holding it: the RESTART starts at the first commit
   * after a checkpoint found it past restartAboveBytes, which is up to one checkpoint interval later, and commits
   * go on while it waits for them (another interval allowed for).
   */
  get walBytesMax(): number {
    return this.limits.restartAboveBytes + 2 * this.limits.startAfterBytes;
  }

  /** Hears every checkpoint that completed (for logs and tests). */
  onCheckpoint(listener: (result: CheckpointResult) => void): void {
    this.listeners.push(listener);
  }

  /** Hears a checkpoint that failed (the WAL keeps the pages; the next one tries again). */
  onError(listener: (error: Error) => void): void {
    this.errorListeners.push(listener);
  }

  /** The writer committed one transaction of `bytes` payload: starts a checkpoint once enough accumulated and none is running. */
  committed(bytes: number): void {
    this.bytesSinceCheckpoint += bytes + COMMIT_PAGES_ESTIMATE * this.pageSize;
    if (this.running || this.closed || this.bytesSinceCheckpoint < this.limits.startAfterBytes) return;
    this.bytesSinceCheckpoint = 0;
    const mode = this.walBytes > this.limits.restartAboveBytes ? 'RESTART' : 'PASSIVE';
    const run = this.checkpoint(mode).then(
      (result) => {
        // After a RESTART the next commit starts the WAL over: count it as empty until told otherwise.
        this.walBytes = mode === 'RESTART' ? 0 : result.walFrames * this.pageSize;
        for (const listener of this.listeners) listener(result);
      },
      (error: unknown) => {
        for (const listener of this.errorListeners) listener(error instanceof Error ? error : new Error(String(error)));
      },
    );
    this.running = run;
    void run.finally(() => {
      if (this.running === run) this.running = undefined;
    });
  }

  /** Waits for a checkpoint under way (tests; close). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Waits for a running checkpoint, then closes the connection (before the writer's, which folds the WAL back in). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.idle();
    await new Promise<void>((resolve, reject) => this.db.close((error) => (error ? reject(error) : resolve())));
  }

  private async checkpoint(mode: CheckpointResult['mode']): Promise<CheckpointResult> {
    const startedMs = performance.now();
    const [row] = await all<{ busy: number; log: number; checkpointed: number }>(this.db, `PRAGMA wal_checkpoint(${mode})`);
    return { mode, walFrames: row?.log ?? 0, framesCheckpointed: row?.checkpointed ?? 0, ms: performance.now() - startedMs };
  }
}

function all<T>(db: sqlite3.Database, sql: string): Promise<T[]> {
  return new Promise((resolve, reject) => db.all(sql, (error: Error | null, rows: T[]) => (error ? reject(error) : resolve(rows))));
}
