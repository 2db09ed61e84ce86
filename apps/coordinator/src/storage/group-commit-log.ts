// Group commit: every txn that arrives while a flush is in progress goes into the next flush, and each
// flush is one SQLite transaction. An append resolves only after the transaction holding it committed
// (synchronous=FULL), and appends resolve in zxid order. One failed flush fails the log for good.
import { assert, encodeTxn, peekTxnHeader, txnType, type Txn, type TxnHeader } from '@zk/datatree';
import type { TxnLog } from '../server/txn-log';
import { mark } from '../util/timeline';
import { recordChecksum } from './checksum';
import { LogFailedError, StorageClosedError } from './errors';
import type { LogRecord } from './log-store';
import { hexZxid } from './zxid';

/** Where a batch of records goes: one durable transaction per call. */
export interface BatchSink {
  appendBatch(records: readonly LogRecord[]): Promise<void>;
}

export interface GroupCommitLimits {
  /** Txns in one SQLite transaction at most; more wait for the next one. */
  batchTxnsMax: number;
  /** Payload bytes in one SQLite transaction at most (a single larger txn still goes alone). */
  batchBytesMax: number;
}

export const GROUP_COMMIT_LIMITS_DEFAULT: GroupCommitLimits = { batchTxnsMax: 10_000, batchBytesMax: 32 * 1024 * 1024 };

export interface CommittedBatch {
  zxidFirst: bigint;
  zxidLast: bigint;
  txns: number;
  bytes: number;
  flushMs: number;
}

export interface GroupCommitStats {
  batches: number;
  txns: number;
  batchTxnsLargest: number;
  flushMsLongest: number;
}

interface PendingAppend {
  record: LogRecord;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class GroupCommitLog implements TxnLog {
  private pending: PendingAppend[] = [];
  private flushing = false;
  private failure: Error | undefined;
  private closing = false;
  private drainWaiters: (() => void)[] = [];
  private zxidLastAppended: bigint;
  readonly stats: GroupCommitStats = { batches: 0, txns: 0, batchTxnsLargest: 0, flushMsLongest: 0 };

  constructor(
    private readonly sink: BatchSink,
    zxidLastDurable: bigint,
    private readonly onCommitted: (batch: CommittedBatch) => void = () => undefined,
    private readonly limits: GroupCommitLimits = GROUP_COMMIT_LIMITS_DEFAULT,
  ) {
    this.zxidLastAppended = zxidLastDurable;
  }

  append(header: TxnHeader, txn: Txn): Promise<void> {
    return this.enqueue(header.zxid, txnType(txn), () => encodeTxn(header, txn));
  }

  /** ZAB's persistEntries: a txn already encoded (encodeTxn's bytes), checked to carry this zxid in its header. */
  appendEncoded(zxid: bigint, payload: Uint8Array): Promise<void> {
    return this.enqueue(zxid, undefined, () => payload);
  }

  private enqueue(zxid: bigint, type: number | undefined, encode: () => Uint8Array): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new StorageClosedError(`append of ${hexZxid(zxid)} after the log was closed`));
    assert(zxid > this.zxidLastAppended, `append of ${hexZxid(zxid)} after ${hexZxid(this.zxidLastAppended)}: the log takes zxids in order`);
    const payload = encode();
    let txnTypeOfRecord = type;
    if (txnTypeOfRecord === undefined) {
      const header = peekTxnHeader(payload);
      assert(header.zxid === zxid, `entry ${hexZxid(zxid)} holds the txn of ${hexZxid(header.zxid)}`);
      txnTypeOfRecord = header.type;
    }
    const record: LogRecord = { zxid, txnType: txnTypeOfRecord, payload, checksum: recordChecksum(zxid, payload) };
    this.zxidLastAppended = zxid;
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ record, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Not now but after this turn of the event loop: every request read in the same turn joins the batch.
        setImmediate(() => void this.flushLoop());
      }
    });
  }

  /** Resolves once everything appended so far is durable (or failed). */
  drain(): Promise<void> {
    if (!this.flushing) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** After the log beneath was truncated or replaced: the next append must follow `zxid`. Only when idle. */
  restartAfter(zxid: bigint): void {
    assert(!this.flushing && this.pending.length === 0, 'restartAfter with appends in flight');
    assert(this.failure === undefined, 'restartAfter on a failed log');
    this.zxidLastAppended = zxid;
  }

  get appendsPending(): number {
    return this.pending.length;
  }

  get zxidLast(): bigint {
    return this.zxidLastAppended;
  }

  /** Flushes what is pending, then refuses appends. */
  close(): Promise<void> {
    this.closing = true;
    return this.drain();
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.takeBatch();
      const startedMs = performance.now();
      mark('flush-start', batch[batch.length - 1].record.zxid, batch.length);
      try {
        await this.sink.appendBatch(batch.map((entry) => entry.record));
        mark('flush-end', batch[batch.length - 1].record.zxid);
      } catch (error) {
        this.fail(batch, error);
        break;
      }
      const flushMs = performance.now() - startedMs;
      this.recordStats(batch.length, flushMs);
      for (const entry of batch) entry.resolve();
      this.onCommitted({
        zxidFirst: batch[0].record.zxid,
        zxidLast: batch[batch.length - 1].record.zxid,
        txns: batch.length,
        bytes: batch.reduce((sum, entry) => sum + entry.record.payload.length, 0),
        flushMs,
      });
    }
    this.flushing = false;
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  private takeBatch(): PendingAppend[] {
    let count = 0;
    let bytes = 0;
    while (count < this.pending.length && count < this.limits.batchTxnsMax) {
      const size = this.pending[count].record.payload.length;
      if (count > 0 && bytes + size > this.limits.batchBytesMax) break;
      bytes += size;
      count++;
    }
    return this.pending.splice(0, count);
  }

  private fail(batch: PendingAppend[], error: unknown): void {
    const cause = error instanceof Error ? error : new Error(String(error));
    this.failure = new LogFailedError(`the transaction log failed at ${hexZxid(batch[0].record.zxid)}: ${cause.message}`, { cause });
    for (const entry of [...batch, ...this.pending.splice(0)]) entry.reject(this.failure);
  }

  private recordStats(txns: number, flushMs: number): void {
    this.stats.batches++;
    this.stats.txns += txns;
    this.stats.batchTxnsLargest = Math.max(this.stats.batchTxnsLargest, txns);
    this.stats.flushMsLongest = Math.max(this.stats.flushMsLongest, flushMs);
  }
}
