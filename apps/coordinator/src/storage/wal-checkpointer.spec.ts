import { statSync } from 'node:fs';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { recordChecksum } from './checksum';
import { LOG_FILE_NAME, LogStore, type LogRecord } from './log-store';
import { makeTempDirs, type TempDirs } from './test-support';
import { WalCheckpointer, type CheckpointResult } from './wal-checkpointer';

let dirs: TempDirs;
afterEach(() => dirs?.remove());

const VALUE = 512 * 1024;

function record(zxid: number, size = VALUE): LogRecord {
  const payload = new Uint8Array(size).fill(zxid % 256);
  return { zxid: BigInt(zxid), txnType: 5, payload, checksum: recordChecksum(BigInt(zxid), payload) };
}

function openRaw(path: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db: sqlite3.Database = new sqlite3.Database(path, (error) => (error ? reject(error) : resolve(db)));
  });
}

function all<T>(db: sqlite3.Database, sql: string): Promise<T[]> {
  return new Promise((resolve, reject) => db.all(sql, (error: Error | null, rows: T[]) => (error ? reject(error) : resolve(rows))));
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('not within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('WAL checkpoints of the transaction log', () => {
  it('are not run by the writer\'s commits but by a second connection, once 4 MiB were committed', async () => {
    dirs = makeTempDirs();
    const log = await LogStore.open(dirs.dataLogDir);
    const results: CheckpointResult[] = [];
    log.onCheckpoint((result) => results.push(result));
    const file = join(dirs.dataLogDir, LOG_FILE_NAME);
    expect(await log.rawQuery('PRAGMA wal_autocheckpoint')).toEqual([{ wal_autocheckpoint: 0 }]);
    const sizeBefore = statSync(file).size;
    // 3.5 MiB: under the threshold, so everything is still in the WAL only (SQLite's own would have run at 1,000 pages).
    for (let zxid = 1; zxid <= 7; zxid++) await log.appendBatch([record(zxid)]);
    expect(results).toEqual([]);
    expect(statSync(file).size).toBe(sizeBefore);
    await log.appendBatch([record(8)]);
    await until(() => results.length === 1);
    expect(results[0]).toMatchObject({ mode: 'PASSIVE' });
    expect(results[0].framesCheckpointed).toBeGreaterThan(1000); // 4 MiB of 4 KiB pages copied into the file
    expect(statSync(file).size).toBeGreaterThan(sizeBefore + 4 * VALUE);
    await log.close();
    const reopened = await LogStore.open(dirs.dataLogDir);
    expect((await reopened.readAfter(0n, 100)).map((r) => r.zxid)).toEqual(Array.from({ length: 8 }, (_, i) => BigInt(i + 1)));
    await reopened.close();
  });

  it('come as often for many small commits as SQLite\'s own would (about every 1,000 WAL pages), not after 4 MiB of payload', async () => {
    dirs = makeTempDirs();
    const log = await LogStore.open(dirs.dataLogDir);
    const results: CheckpointResult[] = [];
    log.onCheckpoint((result) => results.push(result));
    let zxid = 0;
    while (results.length === 0) {
      expect(zxid, 'small commits before the first checkpoint').toBeLessThan(1_000);
      await log.appendBatch([record(++zxid, 100)]);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(zxid).toBeGreaterThan(100);
    await log.close();
  });

  it('restart the WAL once it grew past its bound, so that it does not grow without end under steady writes', async () => {
    dirs = makeTempDirs();
    const log = await LogStore.open(dirs.dataLogDir);
    await log.close(); // a database in WAL mode, with the schema
    const path = join(dirs.dataLogDir, LOG_FILE_NAME);
    const writer = await openRaw(path);
    await all(writer, 'PRAGMA wal_autocheckpoint = 0');
    // A reader holding a snapshot keeps any checkpoint from reaching the WAL's end: the WAL can only grow.
    const reader = await openRaw(path);
    await all(reader, 'BEGIN');
    await all(reader, 'SELECT count(*) FROM txn_log');
    const checkpointer = await WalCheckpointer.open(path, 5_000, { startAfterBytes: 1, restartAboveBytes: 256 * 1024 });
    const results: CheckpointResult[] = [];
    checkpointer.onCheckpoint((result) => results.push(result));
    const write = async (zxid: number): Promise<void> => {
      await all(writer, `INSERT INTO txn_log (zxid, txn_type, payload, checksum) VALUES (${zxid}, 5, zeroblob(${128 * 1024}), 0)`);
      checkpointer.committed(128 * 1024);
      await checkpointer.idle();
    };
    let zxid = 0;
    const walBytes = (): number => (results.at(-1)?.walFrames ?? 0) * 4096;
    while (walBytes() <= 256 * 1024) {
      expect(zxid).toBeLessThan(20);
      await write(++zxid);
    }
    expect(results.every((r) => r.mode === 'PASSIVE')).toBe(true);
    const grownTo = results.at(-1)?.walFrames ?? 0;
    await all(reader, 'COMMIT'); // RESTART waits for readers, as it must
    await write(++zxid);
    expect(results.at(-1)?.mode).toBe('RESTART');
    await write(++zxid); // the first commit after a RESTART starts the WAL from its beginning
    expect(results.at(-1)?.mode).toBe('PASSIVE');
    expect(results.at(-1)?.walFrames).toBeLessThan(grownTo); // one write's frames, not all of them since the start
    await checkpointer.close();
    await new Promise<void>((resolve) => reader.close(() => resolve()));
    await new Promise<void>((resolve) => writer.close(() => resolve()));
  });
});
