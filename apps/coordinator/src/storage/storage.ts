// Durable storage for one server: open both SQLite files, recover the tree, then log with group commit,
// snapshot every ~snapCount txns (a slice of the tree per turn: live-snapshot.ts), and purge on the autopurge interval.
// CoordinatorStorage is what the standalone core sees: no TypeORM types cross it. An ensemble (ZAB) opens
// the same files with DurableStorage.openForEnsemble instead (ensemble-storage.ts).
import type { DataTree, DataTreeOptions } from '@zk/datatree';
import type { ServerConfig } from '../config/zoo-config';
import type { TxnLog } from '../server/txn-log';
import type { Logger } from '../util/logger';
import type { DataDirLock } from './data-dir-lock';
import type { JournalMode } from './database';
import { GroupCommitLog, GROUP_COMMIT_LIMITS_DEFAULT, type CommittedBatch, type GroupCommitLimits } from './group-commit-log';
import type { LogStore } from './log-store';
import { purgeOldAndLog, startPurgeTimer, type PurgeReport } from './purge';
import { recover, type RecoveryReport } from './recovery';
import { EnsembleStorage } from './ensemble-storage';
import { installSnapshotFiles, treeOfSnapshotBytes } from './install';
import { InlineSnapshotEngine, WorkerSnapshotEngine, type SnapshotEngine } from './snapshot-engine';
import { LiveSnapshotWriter } from './live-snapshot';
import { SnapshotPolicy } from './snapshot-policy';
import type { SnapshotMeta, SnapshotStore } from './snapshot-store';
import { withStorageFiles } from './storage-files';
import { epochOf, hexZxid } from './zxid';

export interface Epochs {
  acceptedEpoch: bigint;
  currentEpoch: bigint;
}

/** A txn as ZAB replicates it: the bytes of encodeTxn at its zxid. */
export interface EncodedTxn {
  zxid: bigint;
  payload: Uint8Array;
}

/**
 * The narrow interface the standalone server core uses. Its ZAB-shaped methods replay the log into the tree,
 * which is right only when every logged txn is committed: an ensemble uses EnsembleStorage (ZabStorage).
 */
export interface CoordinatorStorage {
  /** The tree recovered at open (or by the last truncateAfter / installSnapshot); the core applies txns to it. */
  readonly tree: DataTree;
  readonly txnLog: TxnLog;
  /** ZAB's persistEntries: durable when it resolves, in order with txnLog.append. */
  appendEncoded(zxid: bigint, payload: Uint8Array): Promise<void>;
  /** Txns after `zxid` in zxid order, at most `limit` (ZAB's DurableState.log, DIFF sync). */
  readLogAfter(zxid: bigint, limit: number): Promise<EncodedTxn[]>;
  /** ZAB's truncateLog: forgets every txn above zxid, log and snapshots; resolves to the tree reloaded from what remains. */
  truncateAfter(zxid: bigint): Promise<DataTree>;
  /** ZAB's installSnapshot: DataTree.serialize bytes replace the state and the whole log; resolves to the new tree. */
  installSnapshot(bytes: Uint8Array): Promise<DataTree>;
  readEpochs(): Promise<Epochs>;
  /** Durable when it resolves. */
  writeEpochs(epochs: Partial<Epochs>): Promise<void>;
  /** Hears every committed log batch (its flush time and size): the Prometheus fsync metric. */
  onFlush?(listener: (flushMs: number, txns: number) => void): void;
  close(): Promise<void>;
}

/**
 * Where periodic snapshots are built: 'live' from the serving tree a slice at a time (the default), 'worker'
 * in a child process that replays the log onto the previous snapshot, 'inline' the same on the calling thread
 * (tests), 'off' none.
 */
export type SnapshotMode = 'live' | 'worker' | 'inline' | 'off';

export interface StorageOptions {
  dataDir: string;
  dataLogDir: string;
  snapCount: number;
  /** snapSizeLimitInKb in bytes: logged payload bytes that make a snapshot due (0: no byte bound). */
  snapSizeBytes: number;
  snapRetainCount: number;
  /** 0: never purge on a timer (ZooKeeper's default). */
  purgeIntervalHours: number;
  treeOptions: DataTreeOptions;
  snapshotMode?: SnapshotMode;
  /** Nodes a live snapshot writes per turn of the event loop (SNAPSHOT_SLICE_NODES; tests make it small). */
  snapshotSliceNodes?: number;
  journalMode?: JournalMode;
  groupCommit?: GroupCommitLimits;
  random?: () => number;
  nowMs?: () => number;
}

export function storageOptionsFromConfig(config: ServerConfig): StorageOptions {
  return {
    dataDir: config.dataDir,
    dataLogDir: config.dataLogDir,
    snapCount: config.snapCount,
    snapSizeBytes: config.snapSizeLimitKb * 1024,
    snapRetainCount: config.autopurgeSnapRetainCount,
    purgeIntervalHours: config.autopurgePurgeIntervalHours,
    treeOptions: { maxDataBytes: config.maxBufferBytes },
  };
}


export class DurableStorage implements CoordinatorStorage {
  private readonly flushListeners: Array<(flushMs: number, txns: number) => void> = [];
  readonly txnLog: GroupCommitLog;
  private readonly policy: SnapshotPolicy;
  private readonly engine: SnapshotEngine | undefined;
  private readonly live: LiveSnapshotWriter | undefined;
  private readonly purgeTimer: NodeJS.Timeout | undefined;
  private readonly nowMs: () => number;
  private snapshotInFlight: Promise<SnapshotMeta> | undefined;
  /** A snapshot came due while one was being built: it starts when that one ends. */
  private snapshotDue = false;
  private zxidDurable: bigint;
  private closed = false;
  private currentTree: DataTree;

  private constructor(
    tree: DataTree,
    readonly recovery: RecoveryReport,
    private readonly options: StorageOptions,
    private readonly log: LogStore,
    private readonly snapshots: SnapshotStore,
    private readonly logger: Logger,
    private readonly locks: DataDirLock[],
  ) {
    this.currentTree = tree;
    this.nowMs = options.nowMs ?? Date.now;
    this.zxidDurable = tree.lastZxid;
    this.txnLog = new GroupCommitLog(log, tree.lastZxid, (batch) => this.committed(batch), options.groupCommit ?? GROUP_COMMIT_LIMITS_DEFAULT);
    this.policy = new SnapshotPolicy(options, options.random, { txns: recovery.txnsReplayed, bytes: recovery.bytesReplayed });
    const builderConfig = { dataDir: options.dataDir, dataLogDir: options.dataLogDir, treeOptions: options.treeOptions, journalMode: options.journalMode };
    const mode = options.snapshotMode ?? 'live';
    this.engine = mode === 'inline' ? new InlineSnapshotEngine(builderConfig) : mode === 'worker' ? new WorkerSnapshotEngine(builderConfig) : undefined;
    this.live = mode === 'live' ? new LiveSnapshotWriter(snapshots, { tree: () => this.currentTree, zxidDurable: () => this.zxidDurable }, options.snapshotSliceNodes) : undefined;
    this.purgeTimer = startPurgeTimer(options.purgeIntervalHours, () => this.purge(), this.logger);
  }

  /** Opens (creating when new) the log under dataLogDir and the snapshots under dataDir, and recovers the tree. */
  static async open(options: StorageOptions, logger: Logger): Promise<DurableStorage> {
    const storageLogger = logger.child({ component: 'storage' });
    return withStorageFiles(options, storageLogger, async ({ log, snapshots, locks }) => {
      const { tree, report } = await recover({ log, snapshots, treeOptions: options.treeOptions, logger: storageLogger, nowMs: options.nowMs ?? Date.now });
      storageLogger.info('storage loaded', {
        log: log.path,
        snapshots: snapshots.path,
        snapshotZxid: report.snapshot ? hexZxid(report.snapshot.lastZxid) : 'none',
        txnsReplayed: report.txnsReplayed,
        txnsQuarantined: report.txnsQuarantined,
        snapshotsCorrupt: report.snapshotsCorrupt,
        zxid: hexZxid(tree.lastZxid),
        nodes: tree.nodeCount,
        digest: tree.digest().toString(),
        loadMs: Math.round(report.loadMs),
      });
      return new DurableStorage(tree, report, options, log, snapshots, storageLogger, locks);
    });
  }

  /**
   * Ensemble mode (ZAB): the tree is the newest snapshot only, the log after it goes to ZabPeer and is
   * applied when delivered, snapshots hold delivered state only. See EnsembleStorage and README.md.
   */
  static openForEnsemble(options: StorageOptions, logger: Logger): Promise<EnsembleStorage> {
    return EnsembleStorage.open(options, logger);
  }

  get tree(): DataTree {
    return this.currentTree;
  }

  appendEncoded(zxid: bigint, payload: Uint8Array): Promise<void> {
    return this.txnLog.appendEncoded(zxid, payload);
  }

  async readLogAfter(zxid: bigint, limit: number): Promise<EncodedTxn[]> {
    return (await this.log.readAfter(zxid, limit)).map((record) => ({ zxid: record.zxid, payload: record.payload }));
  }

  async truncateAfter(zxid: bigint): Promise<DataTree> {
    await this.quiesce();
    if (zxid >= this.txnLog.zxidLast) return this.currentTree;
    // Snapshots first: a crash in between leaves a log that is the truth and snapshots that are a prefix of it.
    const doomed = (await this.snapshots.list()).filter((meta) => meta.lastZxid > zxid).map((meta) => meta.id);
    await this.snapshots.delete(doomed);
    const txnsDeleted = await this.log.deleteAfter(zxid);
    await this.engine?.reset();
    const { tree } = await recover({ log: this.log, snapshots: this.snapshots, treeOptions: this.options.treeOptions, logger: this.logger, nowMs: this.nowMs });
    this.resetTo(tree);
    this.logger.info('log truncated (ZAB TRUNC)', { afterZxid: hexZxid(zxid), txnsDeleted, snapshotsDeleted: doomed.length, zxid: hexZxid(tree.lastZxid) });
    return tree;
  }

  /**
   * Three steps, each one SQLite transaction: write the snapshot as 'installing' with a fresh token; empty the
   * log and record the token in it (the commit point: from here on a restart finishes the install); make the
   * snapshot valid and the only one. A crash before the commit point restarts on the old state.
   */
  async installSnapshot(bytes: Uint8Array): Promise<DataTree> {
    const tree = treeOfSnapshotBytes(bytes, this.options.treeOptions); // refuses bytes that are not a whole, consistent tree
    await this.quiesce();
    const { meta } = await installSnapshotFiles(this.snapshots, this.log, tree, bytes, this.nowMs());
    await this.engine?.reset();
    this.resetTo(tree);
    this.logger.info('snapshot installed (ZAB SNAP)', { snapshot: meta.id, zxid: hexZxid(tree.lastZxid), nodes: tree.nodeCount, digest: tree.digest().toString() });
    return tree;
  }

  /** A snapshot of everything durable now (after any snapshot already under way). */
  async snapshotNow(): Promise<SnapshotMeta> {
    if (!this.snapshotsOn) throw new Error('snapshots are off');
    while (this.snapshotInFlight) await this.snapshotInFlight.catch(() => undefined);
    return this.startSnapshot(this.zxidDurable) as Promise<SnapshotMeta>;
  }

  /** Deletes what autopurge.snapRetainCount no longer needs. */
  async purge(): Promise<PurgeReport> {
    if (this.snapshotInFlight) await this.snapshotInFlight.catch(() => undefined);
    return purgeOldAndLog(this.snapshots, this.log, this.options.snapRetainCount, this.logger);
  }

  async readEpochs(): Promise<Epochs> {
    const fallback = epochOf(this.tree.lastZxid).toString();
    const accepted = (await this.snapshots.getState('acceptedEpoch')) ?? fallback;
    const current = (await this.snapshots.getState('currentEpoch')) ?? fallback;
    return { acceptedEpoch: BigInt(accepted), currentEpoch: BigInt(current) };
  }

  async writeEpochs(epochs: Partial<Epochs>): Promise<void> {
    const entries: Record<string, string> = {};
    if (epochs.acceptedEpoch !== undefined) entries['acceptedEpoch'] = epochs.acceptedEpoch.toString();
    if (epochs.currentEpoch !== undefined) entries['currentEpoch'] = epochs.currentEpoch.toString();
    await this.snapshots.setState(entries);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    this.live?.close();
    await this.txnLog.close();
    this.live?.logClosed();
    // A snapshot half-written when the worker stops is rolled back by SQLite: nothing to wait for.
    await this.engine?.close().catch((error: unknown) => this.logger.warn('snapshot worker did not close cleanly', { error: String(error) }));
    await Promise.all([this.log.close(), this.snapshots.close()]);
    for (const lock of this.locks) lock.release();
  }

  /** Periodic snapshots: built live, or by an engine (none when snapshotMode is 'off'). */
  private get snapshotsOn(): boolean {
    return this.live !== undefined || this.engine !== undefined;
  }

  /** No append and no snapshot in flight (the caller starts none until the returned promise settles). */
  private async quiesce(): Promise<void> {
    await this.txnLog.drain();
    while (this.snapshotInFlight) await this.snapshotInFlight.catch(() => undefined);
  }

  private resetTo(tree: DataTree): void {
    this.currentTree = tree;
    this.zxidDurable = tree.lastZxid;
    this.txnLog.restartAfter(tree.lastZxid);
    this.live?.logDurable(this.zxidDurable);
  }

  onFlush(listener: (flushMs: number, txns: number) => void): void {
    this.flushListeners.push(listener);
  }

  private committed(batch: CommittedBatch): void {
    for (const listener of this.flushListeners) listener(batch.flushMs, batch.txns);
    this.zxidDurable = batch.zxidLast;
    this.live?.logDurable(this.zxidDurable);
    if (this.policy.logged(batch.txns, batch.bytes)) this.snapshotDue = true;
    this.maybeSnapshot();
  }

  private maybeSnapshot(): void {
    if (!this.snapshotDue || this.snapshotInFlight || this.closed || !this.snapshotsOn) return;
    this.snapshotDue = false;
    void this.startSnapshot(this.zxidDurable)?.catch(() => undefined);
  }

  private startSnapshot(zxidTarget: bigint): Promise<SnapshotMeta> | undefined {
    if (!this.snapshotsOn) return undefined;
    if (this.snapshotInFlight) {
      this.logger.warn('too busy to snapshot, skipping', { zxid: hexZxid(zxidTarget) });
      return undefined;
    }
    const building = this.live ? this.live.build(this.nowMs()) : (this.engine as SnapshotEngine).build(zxidTarget, this.nowMs());
    const inFlight = building.then(
      ({ meta, timings }) => {
        this.logger.info('snapshot taken', {
          snapshot: meta.id,
          snapshotZxid: hexZxid(meta.lastZxid),
          nodes: meta.nodeCount,
          bytes: meta.sizeBytes,
          loadMs: Math.round(timings.loadMs),
          catchUpMs: Math.round(timings.catchUpMs),
          txnsCaughtUp: timings.txnsCaughtUp,
          serializeMs: Math.round(timings.serializeMs),
          writeMs: Math.round(timings.writeMs),
        });
        return meta;
      },
      (error: unknown) => {
        if (this.closed) this.logger.info('snapshot abandoned at shutdown', { zxid: hexZxid(zxidTarget) });
        else this.logger.error('snapshot failed; the log keeps everything until the next one', { zxid: hexZxid(zxidTarget), error: String((error as Error)?.message ?? error) });
        throw error;
      },
    );
    this.snapshotInFlight = inFlight;
    void inFlight.finally(() => {
      if (this.snapshotInFlight === inFlight) this.snapshotInFlight = undefined;
      this.maybeSnapshot();
    }).catch(() => undefined);
    return inFlight;
  }
}
