// Snapshots of the serving tree itself, as ZooKeeper takes them (but exact, not fuzzy): the tree is written a
// slice of nodes at a time between the server's other work (DataTree.beginSnapshot keeps the state of every
// node that changes before its turn), so serving never pauses for a whole tree and nothing replays the log.
// The snapshot process (snapshot-engine.ts) replayed every txn since the previous snapshot instead: with
// snapCount=100000, about a second of CPU per snapshot on each member, a quarter of a 3-server ensemble's
// write throughput on two cores.
import type { DataTree } from '@zk/datatree';
import type { SnapshotBuilt } from './snapshot-builder';
import type { SnapshotStore } from './snapshot-store';
import { StorageClosedError } from './errors';

/** Nodes written per turn of the event loop: a few milliseconds (a node with very many children sorts them in its turn). */
export const SNAPSHOT_SLICE_NODES = 2_000;

export interface LiveSnapshotSource {
  /** The tree being served now. */
  tree(): DataTree;
  /** The last zxid the log holds now (a snapshot never runs ahead of the log beneath it). */
  zxidDurable(): bigint;
}

/** Builds live snapshots for a storage, which tells it as the log makes txns durable (logDurable). */
export class LiveSnapshotWriter {
  private lastBytes = 0;
  private closed = false;
  private readonly durableWaiters = new DurableWaiters();

  constructor(
    private readonly snapshots: SnapshotStore,
    private readonly source: LiveSnapshotSource,
    private readonly sliceNodes: number = SNAPSHOT_SLICE_NODES,
  ) {}

  /** The log holds every txn up to `zxid` now: a snapshot waiting for it is written. */
  logDurable(zxid: bigint): void {
    this.durableWaiters.reached(zxid);
  }

  /** A snapshot of the tree as it is now (its lastZxid), written once the log holds everything in it. */
  async build(nowMs: number): Promise<SnapshotBuilt> {
    const tree = this.source.tree();
    // Sized like the last one, the buffer is not copied as it grows.
    const snapshot = tree.beginSnapshot(this.lastBytes > 0 ? Math.ceil(this.lastBytes * 1.1) : undefined);
    const nodeCount = tree.nodeCount; // as the tree counts them (the snapshot counts records)
    const serializeStartedMs = performance.now();
    let bytes: Uint8Array;
    try {
      while (!snapshot.advance(this.sliceNodes)) {
        await nextTurn();
        if (this.closed) throw new StorageClosedError(`snapshot at ${snapshot.lastZxid} abandoned: the storage closed`);
        if (this.source.tree() !== tree) throw new Error('the tree was replaced while it was being snapshotted');
      }
      bytes = snapshot.finish();
    } finally {
      snapshot.abort();
    }
    const serializeMs = performance.now() - serializeStartedMs;
    this.lastBytes = bytes.length;
    await this.durableWaiters.wait(snapshot.lastZxid, this.source.zxidDurable());
    const writeStartedMs = performance.now();
    const meta = await this.snapshots.write(
      { lastZxid: snapshot.lastZxid, digest: snapshot.digest, nodeCount, sessionCount: snapshot.sessionCount, createdAtMs: nowMs },
      bytes,
    );
    const writeMs = performance.now() - writeStartedMs;
    return { meta, timings: { loadMs: 0, catchUpMs: 0, txnsCaughtUp: 0, serializeMs, writeMs } };
  }

  /** A snapshot being sliced stops at its next turn. */
  close(): void {
    this.closed = true;
  }

  /** The log closed: a snapshot still waiting for its txns to be durable is abandoned. */
  logClosed(): void {
    this.durableWaiters.failAll(new StorageClosedError("storage closed before a snapshot's txns were durable"));
  }
}

/** Callers waiting for the log to hold a zxid; told as batches commit. */
export class DurableWaiters {
  private readonly waiting: Array<{ zxid: bigint; resolve: () => void; reject: (error: Error) => void }> = [];

  wait(zxid: bigint, durable: bigint): Promise<void> {
    if (zxid <= durable) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiting.push({ zxid, resolve, reject }));
  }

  /** The log holds everything up to `durable` now. */
  reached(durable: bigint): void {
    if (this.waiting.length === 0) return;
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const waiter = this.waiting[i];
      if (waiter.zxid > durable) continue;
      this.waiting.splice(i, 1);
      waiter.resolve();
    }
  }

  failAll(error: Error): void {
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
