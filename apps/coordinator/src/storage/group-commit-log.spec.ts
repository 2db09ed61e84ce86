import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommitLog, type BatchSink } from './group-commit-log';
import { LogFailedError, StorageClosedError } from './errors';
import type { LogRecord } from './log-store';
import { LogStore } from './log-store';
import { makeTempDirs, Workload, type TempDirs } from './test-support';

/** A sink whose flushes finish only when the test says so. */
class GatedSink implements BatchSink {
  readonly batches: bigint[][] = [];
  private gates: (() => void)[] = [];
  failNext: Error | undefined;

  appendBatch(records: readonly LogRecord[]): Promise<void> {
    this.batches.push(records.map((r) => r.zxid));
    return new Promise((resolve, reject) => {
      this.gates.push(() => {
        const failure = this.failNext;
        this.failNext = undefined;
        if (failure) reject(failure);
        else resolve();
      });
    });
  }

  async release(): Promise<void> {
    await waitFor(() => this.gates.length > 0);
    this.gates.shift()?.();
  }
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}

describe('group commit', () => {
  it('puts every txn that arrives during a flush into the next single flush, and resolves in zxid order', async () => {
    const sink = new GatedSink();
    const log = new GroupCommitLog(sink, 0n);
    const workload = new Workload(1);
    const resolved: bigint[] = [];
    const append = (): Promise<void> => {
      const { header, txn } = workload.next();
      return log.append(header, txn).then(() => void resolved.push(header.zxid));
    };
    const first = append();
    await waitFor(() => sink.batches.length === 1);
    const during = Array.from({ length: 50 }, append);
    await sink.release();
    await first;
    expect(resolved).toEqual([1n]);
    await waitFor(() => sink.batches.length === 2);
    expect(sink.batches[1]).toEqual(Array.from({ length: 50 }, (_, i) => BigInt(i + 2)));
    expect(resolved).toEqual([1n]); // not durable yet: nothing acknowledged
    await sink.release();
    await Promise.all(during);
    expect(resolved).toEqual(Array.from({ length: 51 }, (_, i) => BigInt(i + 1)));
    expect(log.stats).toMatchObject({ batches: 2, txns: 51, batchTxnsLargest: 50 });
  });

  it('batches txns appended in the same turn of the event loop together', async () => {
    const sink = new GatedSink();
    const log = new GroupCommitLog(sink, 0n);
    const workload = new Workload(2);
    const all = Array.from({ length: 20 }, () => {
      const { header, txn } = workload.next();
      return log.append(header, txn);
    });
    await sink.release();
    await Promise.all(all);
    expect(sink.batches).toHaveLength(1);
  });

  it('respects the batch limit: the rest waits for the next transaction', async () => {
    const sink = new GatedSink();
    const log = new GroupCommitLog(sink, 0n, undefined, { batchTxnsMax: 8, batchBytesMax: 1 << 20 });
    const workload = new Workload(3);
    const all = Array.from({ length: 20 }, () => {
      const { header, txn } = workload.next();
      return log.append(header, txn);
    });
    for (let i = 0; i < 3; i++) await sink.release();
    await Promise.all(all);
    expect(sink.batches.map((b) => b.length)).toEqual([8, 8, 4]);
  });

  it('fails the batch, everything pending and every later append once a flush fails', async () => {
    const sink = new GatedSink();
    const log = new GroupCommitLog(sink, 0n);
    const workload = new Workload(4);
    const next = (): Promise<void> => {
      const { header, txn } = workload.next();
      return log.append(header, txn);
    };
    const first = next();
    await waitFor(() => sink.batches.length === 1);
    const waiting = next();
    sink.failNext = new Error('disk full');
    await sink.release();
    await expect(first).rejects.toBeInstanceOf(LogFailedError);
    await expect(waiting).rejects.toThrow(/disk full/);
    await expect(next()).rejects.toBeInstanceOf(LogFailedError);
  });

  it('refuses a zxid that does not come after the last one', () => {
    const log = new GroupCommitLog(new GatedSink(), 10n);
    const { txn } = new Workload(5).next();
    expect(() => log.append({ sessionId: 1n, cxid: 0, zxid: 10n, timeMs: 1 }, txn)).toThrow(/in order/);
  });

  it('flushes what is pending on close, then refuses appends', async () => {
    const sink = new GatedSink();
    const log = new GroupCommitLog(sink, 0n);
    const workload = new Workload(6);
    const { header, txn } = workload.next();
    const pending = log.append(header, txn);
    const closed = log.close();
    await sink.release();
    await pending;
    await closed;
    const later = workload.next();
    await expect(log.append(later.header, later.txn)).rejects.toBeInstanceOf(StorageClosedError);
  });
});

describe('group commit on SQLite', () => {
  let dirs: TempDirs;
  afterEach(() => dirs?.remove());

  it('makes many concurrent appends durable in far fewer transactions, every record in place', async () => {
    dirs = makeTempDirs();
    const store = await LogStore.open(dirs.dataLogDir);
    const log = new GroupCommitLog(store, 0n);
    const workload = new Workload(7);
    const appends: Promise<void>[] = [];
    for (let i = 0; i < 2_000; i++) {
      const { header, txn } = workload.next();
      appends.push(log.append(header, txn));
      if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(appends);
    expect(log.stats.txns).toBe(2_000);
    expect(log.stats.batches).toBeLessThan(200);
    expect(await store.count()).toBe(2_000);
    expect(await store.firstZxid()).toBe(1n);
    expect(await store.lastZxid()).toBe(2_000n);
    await store.close();
  });
});
