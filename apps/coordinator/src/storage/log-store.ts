// The transaction log database (txnlog.sqlite under dataLogDir): batches of records appended in one
// SQLite transaction each, ranges read in zxid order, the tail quarantined, the head purged.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { DataSource, QueryRunner } from 'typeorm';
import { LOG_ENTITIES, type QuarantinedTxnRow } from './entities';
import { BUSY_TIMEOUT_MS_DEFAULT, chunkRows, inTransaction, journalModeOf, openDatabase, SerialQueue, type JournalMode } from './database';
import { WalCheckpointer } from './wal-checkpointer';
import { preallocateWal } from './wal-preallocation';
import { LOG_MIGRATIONS } from './schema-migrations';
import { StorageClosedError } from './errors';
import { zxidFromSql, zxidToSql } from './zxid';

export const LOG_FILE_NAME = 'txnlog.sqlite';

export interface LogRecord {
  zxid: bigint;
  txnType: number;
  payload: Uint8Array;
  checksum: number;
}

export interface QuarantinedRecord extends LogRecord {
  id: number;
  reason: string;
  quarantinedAtMs: number;
}

/** 4 parameters a row, 200 rows a statement: far below SQLite's 32766-parameter limit. */
const ROWS_PER_INSERT = 200;

/** Batches up to this many payload bytes go as one script (hex literals); larger ones bind their blobs. */
const SCRIPT_BATCH_BYTES_MAX = 256 * 1024;

/** The node-sqlite3 connection under TypeORM's driver: only exec is used, for multi-statement scripts. */
interface RawConnection {
  exec(sql: string, callback: (error: Error | null) => void): void;
}

/** Integers and hex blob literals only: nothing in the script comes from outside as text. */
function appendScript(records: readonly LogRecord[]): string {
  const parts = ['BEGIN;'];
  for (const rows of chunkRows(records, ROWS_PER_INSERT)) {
    const values = rows.map((r) => {
      const payload = Buffer.from(r.payload.buffer, r.payload.byteOffset, r.payload.byteLength).toString('hex');
      return `(${zxidToSql(r.zxid)}, ${Math.trunc(r.txnType)}, X'${payload}', ${Math.trunc(r.checksum)})`;
    });
    parts.push(`INSERT INTO txn_log (zxid, txn_type, payload, checksum) VALUES ${values.join(', ')};`);
  }
  parts.push('COMMIT;');
  return parts.join('\n');
}

interface RawLogRow {
  zxid: number;
  txnType: number;
  payload: Buffer;
  checksum: number;
}

export interface LogStoreOptions {
  readOnly?: boolean;
  journalMode?: JournalMode;
  /** Hears a WAL checkpoint that failed (the pages stay in the WAL; the next checkpoint tries again). */
  onCheckpointError?: (error: Error) => void;
  /** Bytes of WAL zero-filled at open (wal-preallocation.ts); 0 for none. Default: as far as the checkpoints let it grow (WalCheckpointer.walBytesMax). */
  walPreallocateBytes?: number;
}

export class LogStore {
  private readonly queue = new SerialQueue();
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly dataSource: DataSource,
    private readonly runner: QueryRunner,
    /** The writer's WAL checkpoints, off its commits (wal-checkpointer.ts); none when read-only or not in WAL mode. */
    private readonly checkpointer: WalCheckpointer | undefined,
  ) {}

  static async open(dataLogDir: string, options: LogStoreOptions = {}): Promise<LogStore> {
    const path = join(dataLogDir, LOG_FILE_NAME);
    const { onCheckpointError, walPreallocateBytes, ...databaseOptions } = options;
    const dataSource = await openDatabase({ path, entities: LOG_ENTITIES, migrations: LOG_MIGRATIONS, ...databaseOptions });
    let checkpointer: WalCheckpointer | undefined;
    if (!options.readOnly && journalModeOf(options.journalMode) === 'wal') {
      try {
        checkpointer = await WalCheckpointer.open(path, BUSY_TIMEOUT_MS_DEFAULT);
        await dataSource.query('PRAGMA wal_autocheckpoint = 0');
        // Before the first append: nothing writes to the WAL while it is filled.
        const fillBytes = walPreallocateBytes ?? checkpointer.walBytesMax;
        if (fillBytes > 0) await preallocateWal(`${path}-wal`, fillBytes);
      } catch (error) {
        await checkpointer?.close().catch(() => undefined);
        await dataSource.destroy().catch(() => undefined);
        throw error;
      }
      if (onCheckpointError) checkpointer.onError(onCheckpointError);
    }
    return new LogStore(path, dataSource, dataSource.createQueryRunner(), checkpointer);
  }

  /** Hears every WAL checkpoint that completed (tests, tools). */
  onCheckpoint(listener: Parameters<WalCheckpointer['onCheckpoint']>[0]): void {
    this.checkpointer?.onCheckpoint(listener);
  }

  /**
   * One SQLite transaction: when it resolves, every record is on disk (synchronous=FULL). BEGIN, the INSERTs
   * and COMMIT go to SQLite as one script in one call: each statement run separately is a round trip through
   * libuv's thread pool, and at one write in flight those hops were most of a commit's time.
   */
  async appendBatch(records: readonly LogRecord[]): Promise<void> {
    if (records.length === 0) return;
    // Large values would double as hex text in the script: those batches bind their blobs instead.
    const bytes = records.reduce((sum, r) => sum + r.payload.length, 0);
    if (bytes <= SCRIPT_BATCH_BYTES_MAX) {
      await this.exclusive(() => this.execScript(appendScript(records)));
    } else {
      await this.exclusive(() =>
        inTransaction(this.runner, async () => {
          for (const rows of chunkRows(records, ROWS_PER_INSERT)) {
            const params: unknown[] = [];
            for (const r of rows) params.push(zxidToSql(r.zxid), r.txnType, Buffer.from(r.payload.buffer, r.payload.byteOffset, r.payload.byteLength), r.checksum);
            await this.runner.query(`INSERT INTO txn_log (zxid, txn_type, payload, checksum) VALUES ${rows.map(() => '(?, ?, ?, ?)').join(', ')}`, params);
          }
        }),
      );
    }
    this.checkpointer?.committed(bytes);
  }

  /** Runs a BEGIN…COMMIT script; on failure rolls back what it began, so the connection is usable again. */
  private execScript(script: string): Promise<void> {
    const connection = (this.dataSource.driver as unknown as { databaseConnection: RawConnection }).databaseConnection;
    return new Promise((resolve, reject) => {
      connection.exec(script, (error) => {
        if (!error) {
          resolve();
          return;
        }
        connection.exec('ROLLBACK', () => reject(error));
      });
    });
  }

  /** Up to `limit` records with zxid > after (and ≤ through when given), in zxid order. */
  readAfter(after: bigint, limit: number, through?: bigint): Promise<LogRecord[]> {
    return this.exclusive(async () => {
      const rows = (await this.runner.query(
        `SELECT zxid, txn_type AS txnType, payload, checksum FROM txn_log WHERE zxid > ?${through === undefined ? '' : ' AND zxid <= ?'} ORDER BY zxid LIMIT ?`,
        through === undefined ? [zxidToSql(after), limit] : [zxidToSql(after), zxidToSql(through), limit],
      )) as RawLogRow[];
      return rows.map(toRecord);
    });
  }

  lastZxid(): Promise<bigint | undefined> {
    return this.zxidAggregate('max');
  }

  firstZxid(): Promise<bigint | undefined> {
    return this.zxidAggregate('min');
  }

  count(): Promise<number> {
    return this.exclusive(async () => {
      const rows = (await this.runner.query('SELECT count(*) AS n FROM txn_log')) as { n: number }[];
      return rows[0].n;
    });
  }

  /** Moves every record with zxid ≥ from into the quarantine table (one transaction); returns how many. */
  quarantineFrom(from: bigint, reason: string, nowMs: number): Promise<number> {
    return this.exclusive(() =>
      inTransaction(this.runner, async () => {
        const at = zxidToSql(from);
        await this.runner.query(
          'INSERT INTO txn_log_quarantine (zxid, txn_type, payload, checksum, reason, quarantined_at_ms) SELECT zxid, txn_type, payload, checksum, ?, ? FROM txn_log WHERE zxid >= ? ORDER BY zxid',
          [reason, nowMs, at],
        );
        const result = (await this.runner.query('DELETE FROM txn_log WHERE zxid >= ?', [at], true)) as { affected?: number };
        return result.affected ?? 0;
      }),
    );
  }

  /** Deletes every record with zxid ≤ through and remembers that the log no longer starts at the beginning. */
  purgeThrough(through: bigint): Promise<number> {
    return this.exclusive(() =>
      inTransaction(this.runner, async () => {
        const result = (await this.runner.query('DELETE FROM txn_log WHERE zxid <= ?', [zxidToSql(through)], true)) as { affected?: number };
        const previous = await this.readMeta('purgedThroughZxid');
        if (previous === undefined || BigInt(previous) < through) await this.writeMeta('purgedThroughZxid', through.toString());
        return result.affected ?? 0;
      }),
    );
  }

  /** ZAB's TRUNC: deletes every record with zxid > after (they were never committed); returns how many. */
  deleteAfter(after: bigint): Promise<number> {
    return this.exclusive(() =>
      inTransaction(this.runner, async () => {
        const result = (await this.runner.query('DELETE FROM txn_log WHERE zxid > ?', [zxidToSql(after)], true)) as { affected?: number };
        return result.affected ?? 0;
      }),
    );
  }

  /**
   * For an installed snapshot: an empty log that starts after `zxid`, in one transaction that also records
   * the install's token — the commit point of the install (see DurableStorage.installSnapshot).
   */
  restartAfter(zxid: bigint, installToken: string): Promise<void> {
    return this.exclusive(() =>
      inTransaction(this.runner, async () => {
        await this.runner.query('DELETE FROM txn_log');
        await this.writeMeta('purgedThroughZxid', zxid.toString());
        await this.writeMeta('installToken', installToken);
      }),
    );
  }

  /** The token of the last snapshot install whose log reset committed. */
  installToken(): Promise<string | undefined> {
    return this.exclusive(() => this.readMeta('installToken'));
  }

  /** Records with zxid ≤ this may be gone; 0 when the log is whole from the first txn. */
  purgedThroughZxid(): Promise<bigint> {
    return this.exclusive(async () => BigInt((await this.readMeta('purgedThroughZxid')) ?? '0'));
  }

  /** A random id made with the file: the snapshot database remembers it, so a swapped or lost log is noticed. */
  logId(): Promise<string> {
    return this.exclusive(async () => {
      const existing = await this.readMeta('logId');
      if (existing !== undefined) return existing;
      const id = randomUUID();
      await this.writeMeta('logId', id);
      return id;
    });
  }

  /** The id if one was ever made (read-only callers). */
  existingLogId(): Promise<string | undefined> {
    return this.exclusive(() => this.readMeta('logId'));
  }

  quarantined(): Promise<QuarantinedRecord[]> {
    return this.exclusive(async () => {
      const rows = (await this.runner.query(
        'SELECT id, zxid, txn_type AS txnType, payload, checksum, reason, quarantined_at_ms AS quarantinedAtMs FROM txn_log_quarantine ORDER BY id',
      )) as QuarantinedTxnRow[];
      return rows.map((row) => ({ ...toRecord(row), id: row.id, reason: row.reason, quarantinedAtMs: row.quarantinedAtMs }));
    });
  }

  /** Test and tool access to the file beneath, e.g. to damage a record on purpose. */
  rawQuery(sql: string, params: unknown[] = []): Promise<unknown> {
    return this.exclusive(() => this.runner.query(sql, params));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue.run(async () => {
      this.closed = true;
      // Before the writer: its close folds what is left of the WAL back into the file.
      await this.checkpointer?.close();
      await this.runner.release();
      await this.dataSource.destroy();
    });
  }

  private zxidAggregate(fn: 'min' | 'max'): Promise<bigint | undefined> {
    return this.exclusive(async () => {
      const rows = (await this.runner.query(`SELECT ${fn}(zxid) AS zxid FROM txn_log`)) as { zxid: number | null }[];
      return rows[0].zxid === null ? undefined : zxidFromSql(rows[0].zxid);
    });
  }

  private async readMeta(key: string): Promise<string | undefined> {
    const rows = (await this.runner.query('SELECT value FROM log_meta WHERE key = ?', [key])) as { value: string }[];
    return rows[0]?.value;
  }

  private async writeMeta(key: string, value: string): Promise<void> {
    await this.runner.query('INSERT INTO log_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }

  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    return this.queue.run(() => {
      if (this.closed) throw new StorageClosedError(`${this.path} is closed`);
      return operation();
    });
  }
}

function toRecord(row: RawLogRow): LogRecord {
  return { zxid: zxidFromSql(row.zxid), txnType: row.txnType, payload: new Uint8Array(row.payload.buffer, row.payload.byteOffset, row.payload.byteLength), checksum: row.checksum >>> 0 };
}
