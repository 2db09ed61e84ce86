// When to snapshot: ZooKeeper's rule — after snapCount/2 + random(snapCount/2) logged txns, rolled anew
// after each snapshot so that the servers of an ensemble do not all snapshot at the same moment.

export class SnapshotPolicy {
  private txnsSinceSnapshot: number;
  private threshold: number;

  constructor(
    private readonly snapCount: number,
    private readonly random: () => number = Math.random,
    /** Txns already in the log after the newest snapshot (replayed at start-up). */
    txnsAlreadyLogged = 0,
  ) {
    this.txnsSinceSnapshot = txnsAlreadyLogged;
    this.threshold = this.roll();
  }

  get txnsSinceLastSnapshot(): number {
    return this.txnsSinceSnapshot;
  }

  get txnsThreshold(): number {
    return this.threshold;
  }

  /** Counts logged txns; true when a snapshot is due (the count then starts again). */
  logged(txns: number): boolean {
    this.txnsSinceSnapshot += txns;
    if (this.txnsSinceSnapshot <= this.threshold) return false;
    this.txnsSinceSnapshot = 0;
    this.threshold = this.roll();
    return true;
  }

  private roll(): number {
    const half = Math.floor(this.snapCount / 2);
    return half + Math.floor(this.random() * half);
  }
}
