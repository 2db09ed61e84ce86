// The WAL's zero fill: only past the end, and SQLite reads a WAL filled this way as it reads any other (its
// committed records survive a crash and a clean close; its zeros are never taken for frames).
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOG_FILE_NAME, LogStore, type LogRecord } from './log-store';
import { makeTempDirs, type TempDirs } from './test-support';
import { preallocateWal } from './wal-preallocation';

const record = (zxid: number): LogRecord => ({ zxid: BigInt(zxid), txnType: 5, payload: Uint8Array.from([zxid % 256, 1, 2, 3]), checksum: zxid * 7 });
const FILL_BYTES = 3 * 1024 * 1024 + 100;

describe('preallocateWal', () => {
  let dirs: TempDirs | undefined;
  afterEach(() => dirs?.remove());

  it('adds zeros past the end only, and leaves a file already that long or a missing one alone', async () => {
    dirs = makeTempDirs();
    mkdirSync(dirs.dataDir, { recursive: true });
    const path = join(dirs.dataDir, 'some.sqlite-wal');
    writeFileSync(path, Buffer.from('frames already there'));
    expect(await preallocateWal(path, FILL_BYTES)).toBe(FILL_BYTES - 20);
    const filled = readFileSync(path);
    expect(filled.length).toBe(FILL_BYTES);
    expect(filled.subarray(0, 20).toString()).toBe('frames already there');
    expect(filled.subarray(20).every((byte) => byte === 0)).toBe(true);
    expect(await preallocateWal(path, 1024)).toBe(0);
    expect(statSync(path).size).toBe(FILL_BYTES);
    expect(await preallocateWal(join(dirs.dataDir, 'absent-wal'), 1024)).toBe(0);
    expect(existsSync(join(dirs.dataDir, 'absent-wal'))).toBe(false);
  });

  it('gives the log a WAL filled at open whose records survive a crash and a clean close', async () => {
    dirs = makeTempDirs();
    mkdirSync(dirs.dataDir, { recursive: true });
    const crashed = join(dirs.dataDir, 'crashed');
    mkdirSync(crashed);
    const wal = join(dirs.dataLogDir, `${LOG_FILE_NAME}-wal`);
    const log = await LogStore.open(dirs.dataLogDir, { walPreallocateBytes: FILL_BYTES });
    try {
      expect(statSync(wal).size).toBe(FILL_BYTES);
      for (let zxid = 1; zxid <= 300; zxid++) await log.appendBatch([record(zxid)]);
      // 300 commits of a page each fit in the fill: the file did not grow.
      expect(statSync(wal).size).toBe(FILL_BYTES);
      // A crash: the database and its WAL as they are on disk now, without the WAL index (rebuilt from the WAL).
      copyFileSync(join(dirs.dataLogDir, LOG_FILE_NAME), join(crashed, LOG_FILE_NAME));
      copyFileSync(wal, join(crashed, `${LOG_FILE_NAME}-wal`));
    } finally {
      await log.close();
    }
    for (const dir of [crashed, dirs.dataLogDir]) {
      const reopened = await LogStore.open(dir, { walPreallocateBytes: 0 });
      try {
        const read = await reopened.readAfter(0n, 1_000);
        expect(read.map((r) => Number(r.zxid))).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
        expect([...read[299].payload]).toEqual([300 % 256, 1, 2, 3]);
        await reopened.appendBatch([record(301)]);
        expect((await reopened.readAfter(300n, 10)).map((r) => Number(r.zxid))).toEqual([301]);
      } finally {
        await reopened.close();
      }
    }
  });
});
