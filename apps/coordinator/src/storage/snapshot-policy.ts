// When to snapshot: ZooKeeper's rule — after snapCount/2 + random(snapCount/2) logged txns, or after
// snapSize/2 + random(snapSize/2) logged payload bytes, whichever comes first, both rolled anew after each
// snapshot so that the servers of an ensemble do not all snapshot at the same moment.
// The byte bound matters more here than in ZooKeeper: an ensemble member keeps the log after its last
// snapshot in memory (ZabPeer's log, for DIFF), so without it a run of large values grows the heap by
// their full size until snapCount txns have passed.

export interface SnapshotLimits {
  snapCount: number;
  /** Payload bytes logged since the last snapshot that make one due; 0 or less: no byte bound. */
  snapSizeBytes: number;
}

export class SnapshotPolicy {
  private txnsSinceSnapshot: number;
  private bytesSinceSnapshot: number;
  private txnThreshold: number;
  private byteThreshold: number;

  constructor(
    private readonly limits: SnapshotLimits,
    private readonly random: () => number = Math.random,
    /** Txns (and their bytes) already in the log after the newest snapshot (replayed at start-up). */
    alreadyLogged: { txns: number; bytes: number } = { txns: 0, bytes: 0 },
  ) {
    this.txnsSinceSnapshot = alreadyLogged.txns;
    this.bytesSinceSnapshot = alreadyLogged.bytes;
    this.txnThreshold = this.roll(this.limits.snapCount);
    this.byteThreshold = this.roll(this.limits.snapSizeBytes);
  }

  get txnsSinceLastSnapshot(): number {
    return this.txnsSinceSnapshot;
  }

  get bytesSinceLastSnapshot(): number {
    return this.bytesSinceSnapshot;
  }

  get txnsThreshold(): number {
    return this.txnThreshold;
  }

  get bytesThreshold(): number {
    return this.byteThreshold;
  }

  /** Counts logged txns and their payload bytes; true when a snapshot is due (the counts then start again). */
  logged(txns: number, bytes = 0): boolean {
    this.txnsSinceSnapshot += txns;
    this.bytesSinceSnapshot += bytes;
    const byCount = this.txnsSinceSnapshot > this.txnThreshold;
    const bySize = this.limits.snapSizeBytes > 0 && this.bytesSinceSnapshot > this.byteThreshold;
    if (!byCount && !bySize) return false;
    this.txnsSinceSnapshot = 0;
    this.bytesSinceSnapshot = 0;
    this.txnThreshold = this.roll(this.limits.snapCount);
    this.byteThreshold = this.roll(this.limits.snapSizeBytes);
    return true;
  }

  private roll(limit: number): number {
    if (limit <= 0) return 0;
    const half = Math.floor(limit / 2);
    return half + Math.floor(this.random() * half);
  }
}
