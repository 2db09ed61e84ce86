// Opening one SQLite file through TypeORM with the settings durability rests on: synchronous=FULL
// (a commit returns only after fsync), the journal mode the benchmark chose, a busy timeout for the
// snapshot worker's second connection, and the schema brought up to date by migrations.
import { DataSource, type EntitySchema, type MigrationInterface, type QueryRunner } from 'typeorm';
import sqlite3 from 'sqlite3';
import { assert } from '@zk/datatree';
import { StorageRefusedError } from './errors';

/** WAL measured faster at equal durability with synchronous=FULL (bench/README.md); DELETE stays selectable. */
export type JournalMode = 'wal' | 'delete';

/** The journal mode a database opened with these options runs in: WAL unless told 'delete'. */
export function journalModeOf(requested: JournalMode | undefined): JournalMode {
  return requested === 'delete' ? 'delete' : 'wal';
}

export interface DatabaseOptions {
  path: string;
  entities: EntitySchema[];
  migrations: (new () => MigrationInterface)[];
  readOnly?: boolean;
  journalMode?: JournalMode;
  busyTimeoutMs?: number;
}

export const BUSY_TIMEOUT_MS_DEFAULT = 10_000;

/**
 * sqlite3 as TypeORM gets it, minus verbose(): TypeORM calls it on load, and verbose mode wraps every query
 * in a captured stack trace — 14% of a write's CPU in the profile (bench/RESULTS.md history).
 */
const QUIET_SQLITE3: typeof sqlite3 = Object.create(sqlite3, { verbose: { value: () => QUIET_SQLITE3 } });
const SYNCHRONOUS_FULL = 2;

export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const readOnly = options.readOnly ?? false;
  const dataSource = new DataSource({
    type: 'sqlite',
    database: options.path,
    entities: options.entities,
    migrations: options.migrations,
    migrationsRun: false,
    synchronize: false,
    logging: false,
    busyTimeout: options.busyTimeoutMs ?? BUSY_TIMEOUT_MS_DEFAULT,
    ...(readOnly ? { flags: sqlite3.OPEN_READONLY } : {}),
    driver: QUIET_SQLITE3,
  });
  try {
    await dataSource.initialize();
    if (!readOnly) {
      const journalMode = journalModeOf(options.journalMode);
      const [{ journal_mode: journalModeSet }] = (await dataSource.query(`PRAGMA journal_mode = ${journalMode}`)) as { journal_mode: string }[];
      await dataSource.query('PRAGMA synchronous = FULL');
      const [{ synchronous }] = (await dataSource.query('PRAGMA synchronous')) as { synchronous: number }[];
      // Durability rests on these two: check that SQLite took them rather than trust it did.
      assert(journalModeSet === journalMode, `${options.path}: journal_mode is ${journalModeSet}, not ${journalMode}`);
      assert(synchronous === SYNCHRONOUS_FULL, `${options.path}: synchronous is ${synchronous}, not FULL`);
      await dataSource.runMigrations({ transaction: 'all' });
    } else {
      await dataSource.query('SELECT count(*) FROM sqlite_master');
    }
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    throw unreadableDatabase(options.path, error);
  }
  return dataSource;
}

/** SQLite's own error codes for a file that is not (or no longer) a database. */
export function isCorruptionError(error: unknown): boolean {
  const text = String((error as { message?: unknown })?.message ?? error);
  return /SQLITE_(CORRUPT|NOTADB)/.test(text);
}

function unreadableDatabase(path: string, error: unknown): Error {
  const reason = (error as Error)?.message ?? String(error);
  if (isCorruptionError(error)) {
    return new StorageRefusedError(
      `${path} is not a readable SQLite database (${reason})`,
      'restore the file from a backup (apps/coordinator/src/storage/README.md); the server will not start over a damaged file',
    );
  }
  return error instanceof Error ? error : new Error(reason);
}

/** One SQLite connection runs one transaction at a time: every operation on a file goes through one queue. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export async function inTransaction<T>(runner: QueryRunner, body: () => Promise<T>): Promise<T> {
  await runner.startTransaction();
  try {
    const result = await body();
    await runner.commitTransaction();
    return result;
  } catch (error) {
    if (runner.isTransactionActive) {
      try {
        await runner.rollbackTransaction();
      } catch (rollbackError) {
        throw new AggregateError([error, rollbackError], `transaction failed and could not be rolled back: ${(error as Error).message}`);
      }
    }
    throw error;
  }
}

/** Rows of `count` parameters, as many per statement as SQLite's parameter limit comfortably allows. */
export function chunkRows<T>(rows: readonly T[], rowsPerStatement: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += rowsPerStatement) chunks.push(rows.slice(i, i + rowsPerStatement));
  return chunks;
}
