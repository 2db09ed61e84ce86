// ZooKeeper's session expiry (ExpiryQueue): a session touched at t with timeout T expires at the
// next tick boundary after t+T, so expiry is checked once per tick, a bucket at a time.
import { assert } from './assert';

export class SessionTracker {
  private readonly expiryMsBySession = new Map<bigint, number>();
  private readonly sessionsByExpiryMs = new Map<number, Set<bigint>>();

  constructor(private readonly tickMs: number) {
    assert(Number.isInteger(tickMs) && tickMs > 0, `tickMs must be a positive integer, not ${tickMs}`);
  }

  /** Track or refresh a session: it now expires at roundToNextTick(nowMs + timeoutMs). */
  touch(sessionId: bigint, timeoutMs: number, nowMs: number): void {
    assert(timeoutMs >= 0 && Number.isFinite(nowMs), `bad touch ${timeoutMs} at ${nowMs}`);
    const expiryMs = (Math.floor((nowMs + timeoutMs) / this.tickMs) + 1) * this.tickMs;
    const previousMs = this.expiryMsBySession.get(sessionId);
    if (previousMs === expiryMs) return;
    if (previousMs !== undefined) this.leaveBucket(sessionId, previousMs);
    let bucket = this.sessionsByExpiryMs.get(expiryMs);
    if (bucket === undefined) {
      bucket = new Set();
      this.sessionsByExpiryMs.set(expiryMs, bucket);
    }
    bucket.add(sessionId);
    this.expiryMsBySession.set(sessionId, expiryMs);
  }

  remove(sessionId: bigint): void {
    const expiryMs = this.expiryMsBySession.get(sessionId);
    if (expiryMs === undefined) return;
    this.leaveBucket(sessionId, expiryMs);
    this.expiryMsBySession.delete(sessionId);
  }

  /** Sessions whose bucket time is <= nowMs, earliest bucket first, by id within a bucket; no longer tracked. */
  expired(nowMs: number): bigint[] {
    const due = [...this.sessionsByExpiryMs.keys()].filter((t) => t <= nowMs).sort((a, b) => a - b);
    const result: bigint[] = [];
    for (const expiryMs of due) {
      const ids = [...(this.sessionsByExpiryMs.get(expiryMs) ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      this.sessionsByExpiryMs.delete(expiryMs);
      for (const id of ids) {
        this.expiryMsBySession.delete(id);
        result.push(id);
      }
    }
    return result;
  }

  has(sessionId: bigint): boolean {
    return this.expiryMsBySession.has(sessionId);
  }

  expiryMsOf(sessionId: bigint): number | undefined {
    return this.expiryMsBySession.get(sessionId);
  }

  /** The earliest bucket time, for scheduling the next check; undefined when nothing is tracked. */
  nextExpiryMs(): number | undefined {
    let earliest: number | undefined;
    for (const t of this.sessionsByExpiryMs.keys()) if (earliest === undefined || t < earliest) earliest = t;
    return earliest;
  }

  get size(): number {
    return this.expiryMsBySession.size;
  }

  private leaveBucket(sessionId: bigint, expiryMs: number): void {
    const bucket = this.sessionsByExpiryMs.get(expiryMs);
    bucket?.delete(sessionId);
    if (bucket?.size === 0) this.sessionsByExpiryMs.delete(expiryMs);
  }
}
