// One server's domain, without sockets: the database, the write pipeline, sessions and their expiry,
// and the container reaper. The client port and the admin API are adapters around this.
import { DataTree, Preparer, SessionTracker } from '@zk/datatree';
import { OpCode } from '@zk/wire';
import type { ServerConfig } from '../config/zoo-config';
import type { Logger } from '../util/logger';
import { hexSessionId, hexZxid } from '../util/logger';
import { ServerStats } from './server-stats';
import { negotiateTimeoutMs, passwordMatches, sessionPassword, SessionIdGenerator } from './session-ids';
import { InMemoryTxnLog, type TxnLog } from './txn-log';
import { StandaloneWritePath, type WritePath, type WriteSubmission } from './write-path';
import { ZkDatabase, type Watcher } from './zk-database';

/** What the core needs of a client connection. */
export interface SessionOwner extends Watcher {
  close(reason: string): void;
}

export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

/** Where this server stands in its ensemble; a standalone server is always a serving leader of epoch 0. */
export interface ReplicationStatus {
  role: 'standalone' | 'leading' | 'following' | 'observing' | 'looking';
  epoch: number;
  serving: boolean;
  /** Not serving, but cut off from a quorum long enough to serve reads to clients that allow it (readonlymode.enabled). */
  readOnly: boolean;
  /** The leader owns session expiry and the container reaper. */
  ownsSessions: boolean;
}

/** What srvr, mntr and the admin API show of a member's place in its ensemble. */
export interface EnsembleView {
  leaderId: number | null;
  /** The newest txn this member has logged, and the newest it knows committed. */
  lastLoggedZxid: bigint;
  commitZxid: bigint;
  /** On the leader: every connected learner and how far it has acknowledged. Empty elsewhere. */
  learners: ReadonlyArray<{ id: number; observer: boolean; synced: boolean; ackedZxid: bigint }>;
  /** sync() calls of this member's clients still waiting to catch up with the leader. */
  pendingSyncs: number;
  /** ZAB's log in memory (the txns since the last snapshot): entries and payload bytes. */
  logEntries: number;
  logBytes: number;
}

/** What an ensemble adds to a server: its own write path, its role, and session activity for the leader. */
export interface Replication {
  createWritePath(db: ZkDatabase, preparer: Preparer): WritePath;
  status(): ReplicationStatus;
  view(): EnsembleView;
  /** A local client was active: the leader, which tracks expiry, must hear of it. */
  sessionTouched(sessionId: bigint, timeoutMs: number): void;
  /** Calls back once this server has applied everything the leader had proposed when asked. */
  sync(onSynced: () => void): void;
  /** Called by the core with the hooks the replication needs back into it. */
  attach(hooks: ReplicationHooks): void;
}

export interface ReplicationHooks {
  remoteSessionTouched: (sessionId: bigint, timeoutMs: number) => void;
  servingChanged: (serving: boolean) => void;
  readOnlyChanged: (readOnly: boolean) => void;
}

const STANDALONE_STATUS: ReplicationStatus = { role: 'standalone', epoch: 0, serving: true, readOnly: false, ownsSessions: true };

export class ServerCore {
  readonly db: ZkDatabase;
  readonly stats: ServerStats;
  readonly serverId: number;
  private readonly preparer: Preparer;
  private readonly writes: WritePath;
  private readonly servingListeners: Array<(serving: boolean) => void> = [];
  private readonly readOnlyListeners: Array<(readOnly: boolean) => void> = [];
  /** Sessions a read-only server made for its own clients: never replicated, gone with their connection. */
  private readonly readOnlySessions = new Set<bigint>();
  private ownedSessionsLastCheck = false;
  private readonly tracker: SessionTracker;
  private readonly ids: SessionIdGenerator;
  /** The connection that currently holds each session (a session moves when a client reconnects). */
  private readonly owners = new Map<bigint, SessionOwner>();
  private readonly sessionTimeoutsMs = new Map<bigint, number>();
  /** Sessions whose closeSession txn is submitted: they take no more requests. */
  private readonly closing = new Set<bigint>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly log: Logger;

  constructor(
    readonly config: ServerConfig,
    logger: Logger,
    private readonly clock: Clock = systemClock,
    txnLog: TxnLog = new InMemoryTxnLog(),
    /** The tree recovered from storage (its log is txnLog); a new empty tree when absent. */
    tree: DataTree = new DataTree({ maxDataBytes: config.maxBufferBytes }),
    /** An ensemble member's replication; absent for a standalone server. */
    private readonly replication?: Replication,
  ) {
    this.serverId = config.myid ?? 0;
    this.log = logger.child({ component: 'core' });
    this.db = new ZkDatabase(tree);
    this.preparer = new Preparer(this.db.tree, { maxDataBytes: config.maxBufferBytes, extendedTypesEnabled: config.extendedTypesEnabled });
    this.stats = new ServerStats(clock.nowMs());
    this.tracker = new SessionTracker(config.tickTimeMs);
    this.ids = new SessionIdGenerator(this.serverId, clock.nowMs());
    this.writes = replication ? replication.createWritePath(this.db, this.preparer) : new StandaloneWritePath(this.db, this.preparer, txnLog, () => clock.nowMs(), (error) => {
      // A log that cannot persist means we can no longer promise durability: stop rather than lie.
      this.log.error('transaction log failed; stopping', { error: String(error) });
      process.exitCode = 70;
      process.kill(process.pid, 'SIGTERM');
    }, (error, header) => {
      this.log.error('a reply to an applied txn failed', { txnZxid: hexZxid(header.zxid), session: hexSessionId(header.sessionId), error: (error as Error).stack ?? String(error) });
    });
    // A session created through another member is tracked here from its creation: a client that never sends
    // a request (so no touch is ever forwarded) must still expire once the leader has not heard of it in time.
    this.db.onSessionCreated((sessionId, timeoutMs) => {
      if (this.tracker.has(sessionId) || this.readOnlySessions.has(sessionId)) return;
      this.sessionTimeoutsMs.set(sessionId, timeoutMs);
      this.tracker.touch(sessionId, timeoutMs, this.clock.nowMs());
    });
    replication?.attach({
      remoteSessionTouched: (sessionId, timeoutMs) => this.touchOwnedSession(sessionId, timeoutMs),
      servingChanged: (serving) => this.servingChanged(serving),
      readOnlyChanged: (readOnly) => this.readOnlyChanged(readOnly),
    });
  }

  get replicationStatus(): ReplicationStatus {
    return this.replication?.status() ?? STANDALONE_STATUS;
  }

  /** The ensemble as this member sees it; undefined for a standalone server. */
  ensembleView(): EnsembleView | undefined {
    return this.replication?.view();
  }

  get serving(): boolean {
    return this.replicationStatus.serving;
  }

  get readOnly(): boolean {
    return this.replicationStatus.readOnly;
  }

  /** Listeners hear when read-only mode begins or ends (its clients must go when it ends). */
  onReadOnlyChange(listener: (readOnly: boolean) => void): void {
    this.readOnlyListeners.push(listener);
  }

  /** Listeners hear when this server stops or starts serving clients (an ensemble member between leaders). */
  onServingChange(listener: (serving: boolean) => void): void {
    this.servingListeners.push(listener);
  }

  /** The fields every log line carries. */
  logContext(): Record<string, string | number> {
    const { role, epoch } = this.replicationStatus;
    return { server: this.serverId, role, epoch, zxid: hexZxid(this.db.tree.lastZxid) };
  }

  /** Answers once this server has applied all the leader had when asked (ZooKeeper's sync). */
  sync(onSynced: () => void): void {
    if (this.replication) this.replication.sync(onSynced);
    else onSynced();
  }

  start(): void {
    // Sessions known to the tree (after a restart) get a full timeout to come back.
    for (const [sessionId, timeoutMs] of this.db.tree.sessions()) {
      this.sessionTimeoutsMs.set(sessionId, timeoutMs);
      this.tracker.touch(sessionId, timeoutMs, this.clock.nowMs());
    }
    const expiryCheckMs = Math.max(10, Math.floor(this.config.tickTimeMs / 4));
    this.timers.push(setInterval(() => this.expireSessions(), expiryCheckMs));
    this.timers.push(setInterval(() => this.reapContainers(), this.config.containerCheckIntervalMs));
    for (const timer of this.timers) timer.unref();
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }

  get lastZxid(): bigint {
    return this.db.tree.lastZxid;
  }

  get writesInFlight(): number {
    return this.writes.writesInFlight;
  }

  submitWrite(submission: WriteSubmission): void {
    this.writes.submit(submission);
  }

  negotiateTimeoutMs(requestedMs: number): number {
    return negotiateTimeoutMs(requestedMs, this.config.minSessionTimeoutMs, this.config.maxSessionTimeoutMs);
  }

  /** A new session: its createSession txn goes through the pipeline like any write. */
  createSession(timeoutMs: number, owner: SessionOwner, onCreated: (sessionId: bigint, password: Uint8Array) => void): void {
    const sessionId = this.ids.nextId();
    this.owners.set(sessionId, owner);
    this.sessionTimeoutsMs.set(sessionId, timeoutMs);
    this.tracker.touch(sessionId, timeoutMs, this.clock.nowMs());
    this.writes.submit({
      sessionId,
      cxid: 0,
      op: { kind: 'createSession', timeoutMs },
      onApplied: () => {
        this.log.info('session established', { session: hexSessionId(sessionId), timeoutMs });
        onCreated(sessionId, sessionPassword(sessionId));
      },
    });
  }

  /**
   * A session on a read-only server: local to it, like ZooKeeper's, because there is no quorum to replicate
   * a createSession. The client learns it from the read-only flag and starts a new session once it finds a
   * writable server.
   */
  createReadOnlySession(timeoutMs: number, owner: SessionOwner): { sessionId: bigint; password: Uint8Array } {
    const sessionId = this.ids.nextId();
    this.readOnlySessions.add(sessionId);
    this.owners.set(sessionId, owner);
    this.sessionTimeoutsMs.set(sessionId, timeoutMs);
    this.log.info('read-only session established', { session: hexSessionId(sessionId), timeoutMs });
    return { sessionId, password: sessionPassword(sessionId) };
  }

  /** A client coming back with its session id and password; false when the session is gone or the password wrong. */
  reattachSession(sessionId: bigint, password: Uint8Array, timeoutMs: number, owner: SessionOwner): boolean {
    if (!passwordMatches(sessionId, password) || !this.isSessionAlive(sessionId)) return false;
    const previous = this.owners.get(sessionId);
    this.owners.set(sessionId, owner);
    if (previous && previous !== owner) previous.close('session moved to a new connection');
    this.sessionTimeoutsMs.set(sessionId, timeoutMs);
    this.tracker.touch(sessionId, timeoutMs, this.clock.nowMs());
    this.log.info('session re-attached', { session: hexSessionId(sessionId), timeoutMs });
    return true;
  }

  isSessionAlive(sessionId: bigint): boolean {
    if (this.readOnlySessions.has(sessionId)) return true;
    return this.db.tree.sessions().has(sessionId) && !this.closing.has(sessionId);
  }

  touchSession(sessionId: bigint): void {
    const timeoutMs = this.sessionTimeoutsMs.get(sessionId);
    if (timeoutMs === undefined || this.closing.has(sessionId) || this.readOnlySessions.has(sessionId)) return;
    this.tracker.touch(sessionId, timeoutMs, this.clock.nowMs());
    if (!this.replicationStatus.ownsSessions) this.replication?.sessionTouched(sessionId, timeoutMs);
  }

  /** Activity reported by a follower for one of its clients (this server leads and tracks expiry). */
  private touchOwnedSession(sessionId: bigint, timeoutMs: number): void {
    if (this.closing.has(sessionId) || !this.db.tree.sessions().has(sessionId)) return;
    this.sessionTimeoutsMs.set(sessionId, timeoutMs);
    this.tracker.touch(sessionId, timeoutMs, this.clock.nowMs());
  }

  private servingChanged(serving: boolean): void {
    this.log.info(serving ? 'serving clients' : 'not serving clients until a leader is established');
    // A closeSession proposed under the old leader may never commit; the next leader expires it again.
    if (!serving) this.closing.clear();
    for (const listener of this.servingListeners) listener(serving);
  }

  private readOnlyChanged(readOnly: boolean): void {
    this.log.info(readOnly ? 'serving reads only: cut off from a quorum (readonlymode.enabled)' : 'read-only mode ended');
    if (!readOnly) this.readOnlySessions.clear();
    for (const listener of this.readOnlyListeners) listener(readOnly);
  }

  /** The owner lost its socket: the session lives on until it expires or a client re-attaches (a read-only one ends). */
  releaseSession(sessionId: bigint, owner: SessionOwner): void {
    if (this.owners.get(sessionId) !== owner) return;
    this.owners.delete(sessionId);
    if (this.readOnlySessions.delete(sessionId)) this.sessionTimeoutsMs.delete(sessionId);
  }

  /** closeSession from the client (cxid given) or from expiry: one txn removes the session and its ephemerals. */
  closeSession(sessionId: bigint, cxid: number, reason: string, onClosed?: (zxid: bigint) => void): void {
    if (this.closing.has(sessionId)) return;
    this.closing.add(sessionId);
    this.tracker.remove(sessionId);
    this.writes.submit({
      sessionId,
      cxid,
      op: { kind: 'closeSession' },
      onApplied: (_result, header) => {
        this.closing.delete(sessionId);
        this.sessionTimeoutsMs.delete(sessionId);
        const owner = this.owners.get(sessionId);
        this.owners.delete(sessionId);
        this.log.info('session closed', { session: hexSessionId(sessionId), reason });
        onClosed?.(header.zxid);
        owner?.close(reason);
      },
    });
  }

  private expireSessions(): void {
    const owns = this.replicationStatus.ownsSessions && this.replicationStatus.serving;
    if (owns && !this.ownedSessionsLastCheck) {
      // Newly leading: every live session gets a full timeout to be heard from, as at start-up.
      for (const [sessionId, timeoutMs] of this.db.tree.sessions()) {
        this.sessionTimeoutsMs.set(sessionId, this.sessionTimeoutsMs.get(sessionId) ?? timeoutMs);
        this.tracker.touch(sessionId, this.sessionTimeoutsMs.get(sessionId) as number, this.clock.nowMs());
      }
    }
    this.ownedSessionsLastCheck = owns;
    if (!owns) return;
    for (const sessionId of this.tracker.expired(this.clock.nowMs())) {
      if (this.db.tree.sessions().has(sessionId)) this.closeSession(sessionId, 0, 'session expired');
    }
  }

  private reapContainers(): void {
    if (!this.replicationStatus.ownsSessions || !this.replicationStatus.serving) return;
    for (const path of this.db.tree.containersToDelete(this.clock.nowMs())) {
      this.writes.submit({ sessionId: 0n, cxid: 0, op: { kind: 'request', request: { op: OpCode.deleteContainer, path, version: -1 }, authIds: [{ scheme: 'super', id: '' }] } });
    }
  }
}
