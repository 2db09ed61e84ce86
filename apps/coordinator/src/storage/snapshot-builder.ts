// Builds snapshots away from the serving tree: a replica tree, loaded from the newest valid snapshot and
// kept up to date from the durable log, is serialized and written. Run in the snapshot worker thread, the
// serving thread never pauses for it (serializing 100,000 znodes takes 100-160 ms: see storage/README.md).
import { DataTree, type DataTreeOptions } from '@zk/datatree';
import type { JournalMode } from './database';
import { LogStore } from './log-store';
import { checkRecord, loadSnapshotTree, REPLAY_PAGE_TXNS } from './replay';
import { SnapshotCorruptError, SnapshotStore, type SnapshotMeta } from './snapshot-store';
import { hexZxid } from './zxid';

export interface SnapshotBuilderConfig {
  dataDir: string;
  dataLogDir: string;
  treeOptions: DataTreeOptions;
  journalMode?: JournalMode;
}

export interface SnapshotTimings {
  /** Loading the replica (first snapshot only, or after a reset). */
  loadMs: number;
  catchUpMs: number;
  txnsCaughtUp: number;
  serializeMs: number;
  writeMs: number;
}

export interface SnapshotSerialized {
  /** The zxid the bytes are at. */
  zxid: bigint;
  /** DataTree.serialize's bytes. */
  bytes: Uint8Array;
}

export interface SnapshotBuilt {
  meta: SnapshotMeta;
  timings: SnapshotTimings;
}

export class SnapshotBuilder {
  private replica: DataTree | undefined;

  private constructor(
    private readonly config: SnapshotBuilderConfig,
    private readonly log: LogStore,
    private readonly snapshots: SnapshotStore,
  ) {}

  static async open(config: SnapshotBuilderConfig): Promise<SnapshotBuilder> {
    const log = await LogStore.open(config.dataLogDir, { readOnly: true });
    const snapshots = await SnapshotStore.open(config.dataDir, { journalMode: config.journalMode });
    return new SnapshotBuilder(config, log, snapshots);
  }

  /** A snapshot of the tree exactly as of `zxidTarget`, which must be durable in the log. */
  async build(zxidTarget: bigint, nowMs: number): Promise<SnapshotBuilt> {
    const { replica, loadMs, catchUpMs, txnsCaughtUp } = await this.replicaAt(zxidTarget);
    const serializeStartedMs = performance.now();
    const bytes = replica.serialize();
    const serializeMs = performance.now() - serializeStartedMs;
    const writeStartedMs = performance.now();
    const meta = await this.snapshots.write(
      { lastZxid: replica.lastZxid, digest: replica.digest(), nodeCount: replica.nodeCount, sessionCount: replica.sessions().size, createdAtMs: nowMs },
      bytes,
    );
    const writeMs = performance.now() - writeStartedMs;
    return { meta, timings: { loadMs, catchUpMs, txnsCaughtUp, serializeMs, writeMs } };
  }

  /** The serialized tree as of `zxidTarget` (durable in the log), written nowhere: ZAB's answer to requestSnapshot. */
  async serialize(zxidTarget: bigint): Promise<SnapshotSerialized> {
    const { replica } = await this.replicaAt(zxidTarget);
    return { zxid: replica.lastZxid, bytes: replica.serialize() };
  }

  /**
   * The replica brought to `zxidTarget` from the log, and never past it: in an ensemble the log beyond the
   * delivered zxid holds proposals that may never commit.
   */
  private async replicaAt(zxidTarget: bigint): Promise<{ replica: DataTree; loadMs: number; catchUpMs: number; txnsCaughtUp: number }> {
    let loadMs = 0;
    if (this.replica === undefined || this.replica.lastZxid > zxidTarget) {
      const startedMs = performance.now();
      this.replica = await this.loadReplica();
      loadMs = performance.now() - startedMs;
    }
    const replica = this.replica;
    const catchUpStartedMs = performance.now();
    let txnsCaughtUp = 0;
    while (replica.lastZxid < zxidTarget) {
      const page = await this.log.readAfter(replica.lastZxid, REPLAY_PAGE_TXNS, zxidTarget);
      if (page.length === 0) throw new Error(`the log ends at ${hexZxid(replica.lastZxid)}, before the snapshot's ${hexZxid(zxidTarget)}`);
      for (const record of page) {
        const checked = checkRecord(record, replica.lastZxid);
        if (!checked.ok) {
          this.replica = undefined;
          throw new Error(`no snapshot from a damaged log: ${checked.problem}`);
        }
        replica.apply(checked.header, checked.txn);
        txnsCaughtUp++;
      }
    }
    return { replica, loadMs, catchUpMs: performance.now() - catchUpStartedMs, txnsCaughtUp };
  }

  /** Forget the replica (the log was truncated under it); the next build reloads. */
  reset(): void {
    this.replica = undefined;
  }

  async close(): Promise<void> {
    this.replica = undefined;
    await Promise.all([this.log.close(), this.snapshots.close()]);
  }

  private async loadReplica(): Promise<DataTree> {
    const purgedThrough = await this.log.purgedThroughZxid();
    for (const meta of await this.snapshots.list()) {
      if (meta.status !== 'valid') continue;
      if (meta.lastZxid < purgedThrough) break;
      try {
        return await loadSnapshotTree(this.snapshots, meta, this.config.treeOptions);
      } catch (error) {
        if (!(error instanceof SnapshotCorruptError)) throw error;
        // Start-up recovery owns marking snapshots corrupt; here it is enough not to build on this one.
      }
    }
    if (purgedThrough > 0n) throw new Error(`no valid snapshot to build on and the log is purged through ${hexZxid(purgedThrough)}`);
    return new DataTree(this.config.treeOptions);
  }
}
