// The log database's batch append: one script per batch, all or nothing, the connection usable after a failure.
import { mkdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogRecord } from './log-store';
import { makeTempDirs, withLog, type TempDirs } from './test-support';

const record = (zxid: number, payload: number[]): LogRecord => ({ zxid: BigInt(zxid), txnType: 5, payload: Uint8Array.from(payload), checksum: zxid * 7 });

describe('LogStore.appendBatch', () => {
  let dirs: TempDirs | undefined;
  afterEach(() => dirs?.remove());

  it('stores every byte of every record, across several INSERTs of one batch', async () => {
    dirs = makeTempDirs();
    mkdirSync(dirs.dataDir, { recursive: true });
    const batch = Array.from({ length: 450 }, (_, i) => record(i + 1, [i % 256, 0, 255, 39, 92]));
    await withLog(dirs, async (log) => {
      await log.appendBatch(batch);
      const read = await log.readAfter(0n, 1_000);
      const plain = (records: readonly LogRecord[]) => records.map((r) => ({ ...r, payload: [...r.payload] }));
      expect(plain(read)).toEqual(plain(batch));
    });
  });

  it('stores large values too (bound as blobs rather than written into the script)', async () => {
    dirs = makeTempDirs();
    mkdirSync(dirs.dataDir, { recursive: true });
    const large = Array.from({ length: 3 }, (_, i) => record(i + 1, Array.from({ length: 200_000 }, (_, j) => (i + j) % 251)));
    await withLog(dirs, async (log) => {
      await log.appendBatch(large);
      const read = await log.readAfter(0n, 10);
      expect(read.map((r) => Buffer.from(r.payload).equals(Buffer.from(large[Number(r.zxid) - 1].payload)))).toEqual([true, true, true]);
    });
  });

  it('keeps nothing of a failed batch and takes the next one', async () => {
    dirs = makeTempDirs();
    mkdirSync(dirs.dataDir, { recursive: true });
    await withLog(dirs, async (log) => {
      await log.appendBatch([record(1, [1]), record(2, [2])]);
      // zxid 2 again: the primary key refuses it, and zxid 3 before it must not stay either.
      await expect(log.appendBatch([record(3, [3]), record(2, [9])])).rejects.toThrow(/UNIQUE|constraint/i);
      await log.appendBatch([record(3, [33])]);
      const read = await log.readAfter(0n, 10);
      expect(read.map((r) => [Number(r.zxid), [...r.payload]])).toEqual([
        [1, [1]],
        [2, [2]],
        [3, [33]],
      ]);
    });
  });
});
