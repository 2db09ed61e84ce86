// Durable storage in ensemble mode: what a ZabPeer needs, over the same two SQLite files as standalone.
// Unlike standalone, the log holds proposals that may never commit (and may be cut by TRUNC), so:
// - open loads the newest valid snapshot as the tree and hands the log after it to ZabPeer, unapplied;
// - the caller applies txns to the tree only when ZabPeer delivers them, and tells storage (delivered);
// - snapshots hold the tree at a delivered zxid only (committed state), written once the log holds it.
// Every write goes through one ordered queue: appends are group-committed, epochs / truncation / install are
// barriers that wait for the appends before them and hold back the appends after them.
import type { DataTree } from '@zk/datatree';
import type { DurableState, LogEntry } from '@zk/zab';
import type { Logger } from '../util/logger';
import type { DataDirLock } from './data-dir-lock';
import { StorageClosedError, StorageRefusedError } from './errors';
import { GroupCommitLog, GROUP_COMMIT_LIMITS_DEFAULT, type CommittedBatch, type GroupCommitStats } from './group-commit-log';
import { installSnapshotFiles, treeOfSnapshotBytes } from './install';
import type { LogStore } from './log-store';
import { purgeOldAndLog, startPurgeTimer, type PurgeReport } from './purge';
import { recoverForEnsemble, type RecoveryReport } from './recovery';
import { InlineSnapshotEngine, WorkerSnapshotEngine, type SnapshotEngine } from './snapshot-engine';
import { LiveSnapshotWriter } from './live-snapshot';
import { SnapshotPolicy } from './snapshot-policy';
import type { SnapshotMeta, SnapshotStore } from './snapshot-store';
import type { StorageOptions } from './storage';
import { withStorageFiles } from './storage-files';
import { epochOf, hexZxid } from './zxid';

/** The serialized tree (DataTree.serialize) as of a delivered zxid: ZabPeer's `snapshot` input. */
export interface DeliveredSnapshot {
  zxid: bigint;
  bytes: Uint8Array;
}

/** Where the storage stands (for tests, logs and mntr). */
export interface ZabStorageZxids {
  /** The last zxid durable in the log (the log may hold uncommitted proposals up to here). */
  durable: bigint;
  /** The last zxid the caller said it delivered (applied to the tree). */
  delivered: bigint;
  /** The newest durable snapshot: everything ≤ it is in a snapshot of delivered state. */
  snapshot: bigint;
}

/** Storage as a ZabPeer's driver uses it: one method per storage output of libs/zab, plus `delivered`. */
export interface ZabStorage {
  /** The tree at open (the newest snapshot, nothing of the log), or the one the last installSnapshot returned. */
  readonly tree: DataTree;
  /**
   * ZabPeer's `durable` at open: epochs, the snapshot's zxid, and the log entries after it. Once: storage
   * then drops its reference, so the entries live only as long as the peer keeps them (until `compacted`).
   */
  takeDurableState(): DurableState;
  /** ZAB's persistEntries: group-committed; resolves, in call order, to the zxid of the last entry once it (and all before it) is durable. */
  persistEntries(entries: readonly LogEntry[]): Promise<bigint>;
  /** ZAB's persistEpochs: durable when it resolves, after every earlier append. */
  persistEpochs(acceptedEpoch: number, currentEpoch: number): Promise<void>;
  /** ZAB's truncateLog: every log entry above afterZxid is gone when it resolves (never delivered state). */
  truncateLog(afterZxid: bigint): Promise<void>;
  /** ZAB's installSnapshot: the bytes replace the snapshots and the whole log, crash-safely; resolves to the new tree. */
  installSnapshot(zxid: bigint, bytes: Uint8Array): Promise<DataTree>;
  /**
   * The caller applied the txn at zxid (ZAB's deliver), of `bytes` payload bytes: counts towards the next
   * snapshot, which may include it (and after which ZabPeer's in-memory log drops it).
   */
  delivered(zxid: bigint, bytes: number): void;
  /** For ZAB's requestSnapshot: the tree as of the delivered zxid, serialized off the serving thread. */
  snapshotBytes(): Promise<DeliveredSnapshot>;
  /** Called with a snapshot's zxid once it is durable: step ZabPeer's `compacted` with it. */
  onSnapshot(listener: (zxid: bigint) => void): void;
  /** Hears every committed log batch (its flush time and size): the Prometheus fsync metric. */
  onFlush?(listener: (flushMs: number, txns: number) => void): void;
  close(): Promise<void>;
}

const EPOCH_MAX = 2 ** 21 - 1; // zxids are stored below 2^53 (zxid.ts)

export class EnsembleStorage implements ZabStorage {
  private readonly txnLog: GroupCommitLog;
  /** Serializes for ZAB's requestSnapshot (and builds periodic snapshots unless `live` does). */
  private readonly engine: SnapshotEngine;
  private readonly live: LiveSnapshotWriter | undefined;
  private readonly periodicSnapshots: boolean;
  private readonly purgeTimer: NodeJS.Timeout | undefined;
  private readonly nowMs: () => number;
  private readonly listeners: ((zxid: bigint) => void)[] = [];
  private readonly flushListeners: Array<(flushMs: number, txns: number) => void> = [];
  private policy: SnapshotPolicy;
  private currentTree: DataTree;
  private zxidDurable: bigint;
  private zxidDelivered: bigint;
  private zxidSnapshot: bigint;
  /** A snapshot was due but the delivered txns were not durable here yet: taken once they are. */
  private snapshotDue = false;
  private snapshotInFlight: Promise<SnapshotMeta> | undefined;
  private serializeInFlight: Promise<unknown> | undefined;
  /** The ordered queue: ops scheduled behind a barrier, not yet started (appends go direct when 0). */
  private opsQueued = 0;
  private tail: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private closing = false;
  private durableAtOpen: DurableState | undefined;

  private constructor(
    tree: DataTree,
    durable: DurableState,
    readonly recovery: RecoveryReport,
    private readonly options: StorageOptions,
    private readonly log: LogStore,
    private readonly snapshots: SnapshotStore,
    private readonly logger: Logger,
    private readonly locks: DataDirLock[],
  ) {
    this.currentTree = tree;
    this.durableAtOpen = durable;
    this.nowMs = options.nowMs ?? Date.now;
    this.zxidDurable = recovery.zxidLast;
    this.zxidDelivered = durable.snapshotZxid;
    this.zxidSnapshot = durable.snapshotZxid;
    this.txnLog = new GroupCommitLog(log, recovery.zxidLast, (batch) => this.committed(batch), options.groupCommit ?? GROUP_COMMIT_LIMITS_DEFAULT);
    // The log after the snapshot is not delivered yet: only deliveries count towards the next snapshot.
    this.policy = new SnapshotPolicy(options, options.random);
    const builderConfig = { dataDir: options.dataDir, dataLogDir: options.dataLogDir, treeOptions: options.treeOptions, journalMode: options.journalMode };
    const mode = options.snapshotMode ?? 'live';
    this.periodicSnapshots = mode !== 'off';
    // 'off' stops periodic snapshots only: requestSnapshot must still be answered (then inline, on demand).
    this.engine = mode === 'worker' || mode === 'live' ? new WorkerSnapshotEngine(builderConfig) : new InlineSnapshotEngine(builderConfig);
    // A live snapshot holds the delivered tree; it is written once this member's log holds all of it.
    this.live = mode === 'live' ? new LiveSnapshotWriter(snapshots, { tree: () => this.currentTree, zxidDurable: () => this.zxidDurable }, options.snapshotSliceNodes) : undefined;
    this.purgeTimer = startPurgeTimer(options.purgeIntervalHours, () => this.purge(), this.logger);
  }

  /**
   * Opens (creating when new) both files and recovers as standalone does — torn tail quarantined, corrupt
   * snapshots skipped, the same refusals — except that the log after the snapshot is returned, not applied.
   */
  static async open(options: StorageOptions, logger: Logger): Promise<EnsembleStorage> {
    const storageLogger = logger.child({ component: 'storage' });
    return withStorageFiles(options, storageLogger, async ({ log, snapshots, locks }) => {
      const recovered = await recoverForEnsemble({ log, snapshots, treeOptions: options.treeOptions, logger: storageLogger, nowMs: options.nowMs ?? Date.now });
      const epochs = await readEpochs(snapshots, recovered.report.zxidLast);
      const durable: DurableState = { ...epochs, snapshotZxid: recovered.snapshotZxid, log: recovered.log };
      storageLogger.info('storage loaded (ensemble)', {
        log: log.path,
        snapshots: snapshots.path,
        snapshotZxid: recovered.report.snapshot ? hexZxid(recovered.snapshotZxid) : 'none',
        logEntries: recovered.log.length,
        lastLoggedZxid: hexZxid(recovered.report.zxidLast),
        acceptedEpoch: epochs.acceptedEpoch,
        currentEpoch: epochs.currentEpoch,
        txnsQuarantined: recovered.report.txnsQuarantined,
        snapshotsCorrupt: recovered.report.snapshotsCorrupt,
        nodes: recovered.tree.nodeCount,
        digest: recovered.tree.digest().toString(),
        loadMs: Math.round(recovered.report.loadMs),
      });
      return new EnsembleStorage(recovered.tree, durable, recovered.report, options, log, snapshots, storageLogger, locks);
    });
  }

  get tree(): DataTree {
    return this.currentTree;
  }

  takeDurableState(): DurableState {
    const durable = this.durableAtOpen;
    if (durable === undefined) throw new Error('the durable state was taken already (it is handed to one ZabPeer, once)');
    this.durableAtOpen = undefined;
    return durable;
  }

  get zxids(): ZabStorageZxids {
    return { durable: this.zxidDurable, delivered: this.zxidDelivered, snapshot: this.zxidSnapshot };
  }

  get groupCommitStats(): GroupCommitStats {
    return this.txnLog.stats;
  }

  persistEntries(entries: readonly LogEntry[]): Promise<bigint> {
    const enqueue = (): Promise<bigint> => {
      const appends = entries.map((entry) => this.txnLog.appendEncoded(entry.zxid, entry.payload));
      const last = entries.length === 0 ? undefined : entries[entries.length - 1].zxid;
      return Promise.all(appends).then(() => last ?? this.zxidDurable);
    };
    return this.schedule('append', enqueue);
  }

  persistEpochs(acceptedEpoch: number, currentEpoch: number): Promise<void> {
    return this.schedule('barrier', async () => {
      if (!(Number.isSafeInteger(acceptedEpoch) && Number.isSafeInteger(currentEpoch) && currentEpoch >= 0 && currentEpoch <= acceptedEpoch && acceptedEpoch <= EPOCH_MAX)) {
        throw new Error(`epochs accepted=${acceptedEpoch} current=${currentEpoch} cannot be stored`);
      }
      await this.txnLog.drain();
      await this.snapshots.setState({ acceptedEpoch: acceptedEpoch.toString(), currentEpoch: currentEpoch.toString() });
    });
  }

  truncateLog(afterZxid: bigint): Promise<void> {
    // What was delivered when ZabPeer asked (later deliveries may follow the truncation point).
    const deliveredAtCall = this.zxidDelivered;
    return this.schedule('barrier', async () => {
      await this.txnLog.drain();
      // ZAB never truncates delivered txns, and snapshots hold only delivered ones: this would be a bug.
      if (afterZxid < deliveredAtCall || afterZxid < this.zxidSnapshot) {
        throw new Error(`truncateLog after ${hexZxid(afterZxid)} would cut delivered state (delivered ${hexZxid(deliveredAtCall)}, snapshot ${hexZxid(this.zxidSnapshot)})`);
      }
      if (afterZxid >= this.txnLog.zxidLast) return;
      const txnsDeleted = await this.log.deleteAfter(afterZxid);
      this.txnLog.restartAfter(afterZxid);
      if (this.zxidDurable > afterZxid) this.zxidDurable = afterZxid;
      this.logger.info('log truncated (ZAB TRUNC)', { afterZxid: hexZxid(afterZxid), txnsDeleted, deliveredZxid: hexZxid(this.zxidDelivered) });
    });
  }

  installSnapshot(zxid: bigint, bytes: Uint8Array): Promise<DataTree> {
    return this.schedule('barrier', async () => {
      let tree: DataTree;
      try {
        tree = treeOfSnapshotBytes(bytes, this.options.treeOptions, zxid);
      } catch (error) {
        // Nothing on disk changed: not a storage failure.
        throw new RefusedSnapshotError(`refused the snapshot to install at ${hexZxid(zxid)}: ${(error as Error).message}`, { cause: error });
      }
      await this.txnLog.drain();
      await this.quiesceEngine();
      const { meta } = await installSnapshotFiles(this.snapshots, this.log, tree, bytes, this.nowMs());
      await this.engine.reset();
      this.txnLog.restartAfter(zxid);
      this.currentTree = tree;
      this.zxidDurable = zxid;
      this.live?.logDurable(zxid);
      if (this.zxidDelivered < zxid) this.zxidDelivered = zxid;
      this.zxidSnapshot = zxid;
      this.snapshotDue = false;
      this.policy = new SnapshotPolicy(this.options, this.options.random);
      this.logger.info('snapshot installed (ZAB SNAP)', { snapshot: meta.id, zxid: hexZxid(zxid), nodes: tree.nodeCount, digest: tree.digest().toString() });
      return tree;
    });
  }

  delivered(zxid: bigint, bytes: number): void {
    if (zxid <= this.zxidDelivered) return;
    this.zxidDelivered = zxid;
    if (this.policy.logged(1, bytes)) this.snapshotDue = true;
    this.maybeSnapshot();
  }

  async snapshotBytes(): Promise<DeliveredSnapshot> {
    this.refuseIfUnusable();
    // Not across a truncation or install that waits in the queue: the log beneath is about to change.
    while (this.opsQueued > 0) await this.tail;
    // A txn may be delivered before it is durable here: the worker reads only the durable log.
    if (this.zxidDelivered > this.zxidDurable) await this.txnLog.drain();
    const target = this.snapshotTarget();
    const serialized = this.engine.serialize(target);
    this.serializeInFlight = serialized;
    try {
      const result = await serialized;
      this.logger.info('snapshot serialized for a learner (ZAB SNAP)', { zxid: hexZxid(result.zxid), bytes: result.bytes.length });
      return result;
    } finally {
      if (this.serializeInFlight === serialized) this.serializeInFlight = undefined;
    }
  }

  onSnapshot(listener: (zxid: bigint) => void): void {
    this.listeners.push(listener);
  }

  /** A snapshot of the delivered (and durable) state now, after any snapshot already under way. */
  async snapshotNow(): Promise<SnapshotMeta> {
    while (this.opsQueued > 0) await this.tail;
    while (this.snapshotInFlight) await this.snapshotInFlight.catch(() => undefined);
    return this.startSnapshot(this.snapshotTarget()) as Promise<SnapshotMeta>;
  }

  /** Deletes what autopurge.snapRetainCount no longer needs (all of it delivered state: see README.md). */
  async purge(): Promise<PurgeReport> {
    if (this.snapshotInFlight) await this.snapshotInFlight.catch(() => undefined);
    return purgeOldAndLog(this.snapshots, this.log, this.options.snapRetainCount, this.logger);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    this.live?.close();
    await this.tail;
    await this.txnLog.close();
    this.live?.logClosed();
    await this.engine.close().catch((error: unknown) => this.logger.warn('snapshot worker did not close cleanly', { error: String(error) }));
    await Promise.all([this.log.close(), this.snapshots.close()]);
    for (const lock of this.locks) lock.release();
  }

  /**
   * The ordered queue. An append goes straight to the group-commit log unless ops wait behind a barrier;
   * then it waits its turn and is enqueued (not made durable) before the next op starts. A barrier starts
   * once everything before it was enqueued, drains the log itself, and the next op starts when it is done.
   */
  private schedule<T>(kind: 'append' | 'barrier', op: () => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(new StorageClosedError(`${kind} after the ensemble storage was closed`));
    if (kind === 'append' && this.opsQueued === 0) return this.run(kind, op);
    this.opsQueued++;
    let result: Promise<T> | undefined;
    const turn = this.tail.then(() => {
      result = this.run(kind, op);
      return kind === 'barrier' ? result.then(noop, noop) : undefined;
    });
    this.tail = turn.finally(() => {
      this.opsQueued--;
      if (this.opsQueued === 0) this.maybeSnapshot();
    });
    return this.tail.then(() => result as Promise<T>);
  }

  private run<T>(kind: 'append' | 'barrier', op: () => Promise<T>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    let result: Promise<T>;
    try {
      result = op();
    } catch (error) {
      result = Promise.reject(error);
    }
    return result.catch((error: unknown) => this.failed(kind, error));
  }

  /** Once a write failed, the files and ZabPeer may disagree: every later write is refused (the server must stop). */
  private failed(kind: string, error: unknown): never {
    const cause = error instanceof Error ? error : new Error(String(error));
    if (!(cause instanceof RefusedSnapshotError) && this.failure === undefined) {
      this.failure = cause;
      this.logger.error('storage failed; refusing every later write', { op: kind, error: cause.message });
    }
    throw cause;
  }

  private refuseIfUnusable(): void {
    if (this.failure) throw this.failure;
    if (this.closing) throw new StorageClosedError('ensemble storage is closed');
  }

  private async quiesceEngine(): Promise<void> {
    while (this.snapshotInFlight || this.serializeInFlight) {
      await Promise.allSettled([this.snapshotInFlight, this.serializeInFlight]);
    }
  }

  /** What a snapshot may hold: delivered, and durable in this server's log (the worker reads the log). */
  private snapshotTarget(): bigint {
    return this.zxidDelivered < this.zxidDurable ? this.zxidDelivered : this.zxidDurable;
  }

  onFlush(listener: (flushMs: number, txns: number) => void): void {
    this.flushListeners.push(listener);
  }

  private committed(batch: CommittedBatch): void {
    for (const listener of this.flushListeners) listener(batch.flushMs, batch.txns);
    this.zxidDurable = batch.zxidLast;
    this.live?.logDurable(batch.zxidLast);
    this.maybeSnapshot();
  }

  private maybeSnapshot(): void {
    // Not while a truncation or install waits: the log beneath is about to change.
    if (!this.snapshotDue || !this.periodicSnapshots || this.closing || this.opsQueued > 0) return;
    // The worker reads the log: it waits until the delivered txns are durable here. A live snapshot does not.
    if ((this.live ? this.zxidDelivered : this.snapshotTarget()) <= this.zxidSnapshot) return;
    // One at a time; a snapshot that comes due meanwhile starts when this one ends (the in-memory log waits for it).
    if (this.snapshotInFlight) return;
    this.snapshotDue = false;
    void this.startSnapshot(this.snapshotTarget())?.catch(() => undefined);
  }

  private startSnapshot(zxidTarget: bigint): Promise<SnapshotMeta> | undefined {
    if (this.snapshotInFlight) {
      this.logger.warn('too busy to snapshot, skipping', { zxid: hexZxid(zxidTarget) });
      return undefined;
    }
    const building = this.live ? this.live.build(this.nowMs()) : this.engine.build(zxidTarget, this.nowMs());
    const inFlight = building.then(
      ({ meta, timings }) => {
        if (meta.lastZxid > this.zxidSnapshot) this.zxidSnapshot = meta.lastZxid;
        this.logger.info('snapshot taken', {
          snapshot: meta.id,
          snapshotZxid: hexZxid(meta.lastZxid),
          deliveredZxid: hexZxid(this.zxidDelivered),
          nodes: meta.nodeCount,
          bytes: meta.sizeBytes,
          loadMs: Math.round(timings.loadMs),
          catchUpMs: Math.round(timings.catchUpMs),
          txnsCaughtUp: timings.txnsCaughtUp,
          serializeMs: Math.round(timings.serializeMs),
          writeMs: Math.round(timings.writeMs),
        });
        for (const listener of this.listeners) {
          try {
            listener(meta.lastZxid);
          } catch (error) {
            this.logger.error('snapshot listener failed', { error: String(error) });
          }
        }
        return meta;
      },
      (error: unknown) => {
        if (this.closing) this.logger.info('snapshot abandoned at shutdown', { zxid: hexZxid(zxidTarget) });
        else this.logger.error('snapshot failed; the log keeps everything until the next one', { zxid: hexZxid(zxidTarget), error: String((error as Error)?.message ?? error) });
        throw error;
      },
    );
    this.snapshotInFlight = inFlight;
    void inFlight
      .finally(() => {
        if (this.snapshotInFlight === inFlight) this.snapshotInFlight = undefined;
        this.maybeSnapshot();
      })
      .catch(() => undefined);
    return inFlight;
  }
}

/** installSnapshot's bytes are not a whole tree at the zxid: refused before anything on disk changed. */
export class RefusedSnapshotError extends Error {
  override readonly name = 'RefusedSnapshotError';
}

function noop(): void {
  return undefined;
}

/** ZabPeer's epochs; when never written (a new or standalone data directory), the epoch of the last logged zxid. */
async function readEpochs(snapshots: SnapshotStore, lastLoggedZxid: bigint): Promise<{ acceptedEpoch: number; currentEpoch: number }> {
  const fallback = epochOf(lastLoggedZxid).toString();
  const acceptedEpoch = Number((await snapshots.getState('acceptedEpoch')) ?? fallback);
  const currentEpoch = Number((await snapshots.getState('currentEpoch')) ?? fallback);
  if (!(Number.isSafeInteger(acceptedEpoch) && Number.isSafeInteger(currentEpoch) && currentEpoch >= 0 && currentEpoch <= acceptedEpoch)) {
    throw new StorageRefusedError(
      `${snapshots.path} holds acceptedEpoch=${acceptedEpoch} currentEpoch=${currentEpoch}: currentEpoch must be a number no greater than acceptedEpoch`,
      'restore snapshots.sqlite from a backup, or move the data directory aside and let the leader resynchronise this server',
    );
  }
  return { acceptedEpoch, currentEpoch };
}
