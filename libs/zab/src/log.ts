// The in-memory view of a peer's log: the entries after a base zxid (the snapshot point), in zxid order.

import { assert } from './assert';
import type { LogEntry } from './types';

export class ZabLog {
  private baseZxid: bigint;
  private entries: LogEntry[];
  /** The payload bytes of the entries: what the log holds in memory, for the snapshot bound and mntr. */
  private payloadBytes = 0;

  constructor(baseZxid: bigint, entries: readonly LogEntry[]) {
    this.baseZxid = baseZxid;
    this.entries = [...entries];
    let prev = baseZxid;
    for (const e of this.entries) {
      assert(e.zxid > prev, `log not in zxid order at ${e.zxid}`);
      prev = e.zxid;
      this.payloadBytes += e.payload.length;
    }
  }

  get base(): bigint {
    return this.baseZxid;
  }

  get lastZxid(): bigint {
    return this.entries.length === 0 ? this.baseZxid : this.entries[this.entries.length - 1].zxid;
  }

  get size(): number {
    return this.entries.length;
  }

  get bytes(): number {
    return this.payloadBytes;
  }

  view(): readonly LogEntry[] {
    return this.entries;
  }

  append(entry: LogEntry): void {
    assert(entry.zxid > this.lastZxid, `append ${entry.zxid} not above last ${this.lastZxid}`);
    this.entries.push(entry);
    this.payloadBytes += entry.payload.length;
  }

  /** Index of the first entry with zxid > z. */
  private upperBound(z: bigint): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid].zxid <= z) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** True when z is the base or the zxid of an entry. */
  contains(z: bigint): boolean {
    if (z === this.baseZxid) return true;
    const i = this.upperBound(z) - 1;
    return i >= 0 && this.entries[i].zxid === z;
  }

  get(z: bigint): LogEntry | undefined {
    const i = this.upperBound(z) - 1;
    return i >= 0 && this.entries[i].zxid === z ? this.entries[i] : undefined;
  }

  /** The highest zxid in the log (or the base) that is ≤ z; undefined when z is below the base. */
  floor(z: bigint): bigint | undefined {
    if (z < this.baseZxid) return undefined;
    const i = this.upperBound(z) - 1;
    return i >= 0 ? this.entries[i].zxid : this.baseZxid;
  }

  /** How many entries have a zxid above z (without copying them: the leader asks on every proposal). */
  countAfter(z: bigint): number {
    return this.entries.length - this.upperBound(z);
  }

  /** Entries with zxid in (after, upTo]. */
  slice(after: bigint, upTo: bigint = this.lastZxid): LogEntry[] {
    assert(after >= this.baseZxid, `slice from ${after} below base ${this.baseZxid}`);
    return this.entries.slice(this.upperBound(after), this.upperBound(upTo));
  }

  /** The zxid before z in this log (the base for the first entry). */
  prevOf(z: bigint): bigint {
    const i = this.upperBound(z) - 1;
    assert(i >= 0 && this.entries[i].zxid === z, `prevOf ${z}: not in log`);
    return i === 0 ? this.baseZxid : this.entries[i - 1].zxid;
  }

  truncateAfter(z: bigint): void {
    assert(z >= this.baseZxid, `truncate to ${z} below base ${this.baseZxid}`);
    const keep = this.upperBound(z);
    this.payloadBytes -= sumPayloads(this.entries, keep, this.entries.length);
    this.entries.length = keep;
  }

  /** Forget entries up to z (the application has them in a snapshot). */
  compact(z: bigint): void {
    if (z <= this.baseZxid) return;
    const drop = this.upperBound(z);
    this.payloadBytes -= sumPayloads(this.entries, 0, drop);
    this.entries = this.entries.slice(drop);
    this.baseZxid = z;
  }

  /** Replace everything with an empty log based at z (after a SNAP). */
  reset(z: bigint): void {
    this.entries = [];
    this.payloadBytes = 0;
    this.baseZxid = z;
  }
}

function sumPayloads(entries: readonly LogEntry[], from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += entries[i].payload.length;
  return sum;
}
