// One ensemble member's replication: drives a ZabPeer with real TCP (election and quorum ports), real
// ticks and durable storage, and is the write path of the server core. The leader prepares every write
// (its own clients' and those its learners forward) and proposes it; every member applies on delivery.
import { encodeTxn, decodeTxn, Preparer, type DataTree, type ApplyResult, type TxnHeader } from '@zk/datatree';
import { ErrorCode } from '@zk/wire';
import { describeOutput, isElectionMessage, ZabPeer, type DurableState, type Input, type Message, type Output } from '@zk/zab';
import type { ServerConfig } from '../config/zoo-config';
import type { EnsembleView, Replication, ReplicationHooks, ReplicationStatus } from '../server/server-core';
import type { WritePath, WriteSubmission } from '../server/write-path';
import { prepareSubmission } from '../server/write-path';
import type { ZkDatabase } from '../server/zk-database';
import { hexZxid, type Logger } from '../util/logger';
import { PeerNetwork } from './peer-network';
import { decodeQuorumFrame, encodeLengthPrefixedQuorumFrame, type QuorumFrame } from './quorum-frames';
import type { ZabStorage } from '../storage/ensemble-storage';
import { mark, timelineEnabled } from '../util/timeline';

export interface ZabReplicationOptions {
  config: ServerConfig;
  /** Durable state; its tree is the one the core serves, its durable state is taken once for the peer. */
  storage: ZabStorage;
  logger: Logger;
  nowMs?: () => number;
  /** Largest peer frame: a SNAP carries the whole tree. */
  frameMaxBytes?: number;
  /** Proposals the leader keeps in flight before writes wait for commits (tests make it small). */
  proposalsInFlightMax?: number;
}

/** ZooKeeper waits at least this long without a leader before it serves read-only. */
const READ_ONLY_DELAY_MIN_MS = 2000;

/**
 * ZooKeeper counts initLimit and syncLimit in tickTime but closes an election after a fixed 200 ms
 * (finalizeWait), re-sending notifications from then on. The peer's clock ticks every PEER_TICK_MAX_MS at most,
 * and the zoo.cfg limits are scaled to it, so they keep their meaning while a failover is not rounded up to
 * whole ticks (with tickTime=2000 that was 2 s per election step).
 */
const PEER_TICK_MAX_MS = 100;
const FINALIZE_WAIT_MS = 200;

function peerTickLimits(config: ServerConfig, peerTickMs: number): ConstructorParameters<typeof ZabPeer>[0]['tickLimits'] {
  const perTick = Math.max(1, Math.round(config.tickTimeMs / peerTickMs));
  const finalizeWaitTicks = Math.max(1, Math.ceil(FINALIZE_WAIT_MS / peerTickMs));
  return {
    initLimitTicks: config.initLimitTicks * perTick,
    syncLimitTicks: config.syncLimitTicks * perTick,
    electionTimeoutTicks: finalizeWaitTicks,
    finalizeWaitTicks,
  };
}

/** Txns kept in memory below the newest snapshot for DIFFs (ZooKeeper's commitLogCount), and their byte cap. */
const LOG_KEPT_ENTRIES = 500;
/** Proposals in flight before writes wait for commits (ZooKeeper throttles at 1000 outstanding requests). */
const PROPOSALS_IN_FLIGHT_MAX = 1000;
const PEER_IN_FLIGHT_MARGIN = 2;
/** At most this many proposals in flight, a leader's COMMITs leave before it applies (latency over batching). */
const RELEASE_BEFORE_APPLY_IN_FLIGHT_MAX = 4;
const LOG_KEPT_BYTES = 32 * 1024 * 1024;

const keyOf = (sessionId: bigint, cxid: number): string => `${sessionId}:${cxid}`;

export class ZabReplication implements Replication, WritePath {
  private readonly peer: ZabPeer;
  private readonly electionNetwork: PeerNetwork;
  private readonly quorumNetwork: PeerNetwork;
  private readonly log: Logger;
  private readonly nowMs: () => number;
  private db?: ZkDatabase;
  private preparer?: Preparer;
  private hooks?: ReplicationHooks;
  private currentStatus: ReplicationStatus = { role: 'looking', epoch: 0, serving: false, readOnly: false, ownsSessions: false };
  /** When this member last started looking for a leader: read-only mode begins a while after. */
  private lookingSinceMs: number;
  private leaderId: number | null = null;
  /** Submissions made here, waiting for their txn's delivery (or a refusal). */
  private readonly pending = new Map<string, WriteSubmission>();
  private readonly touched = new Map<bigint, number>();
  private readonly syncWaiters: Array<{ zxid: bigint; onSynced: () => void }> = [];
  private readonly syncTokens = new Map<number, () => void>();
  private nextSyncToken = 1;
  private deliveredZxid: bigint;
  /** Set between ZAB's "serving" and the delivery of everything committed before it. */
  private servingFromZxid: bigint | undefined;
  /** Outputs not yet carried out, in order; `draining` while some run or one is awaited. */
  private readonly outputQueue: Output[] = [];
  private draining = false;
  private tickTimer?: NodeJS.Timeout;
  private lastEncoded: { message?: Message; frame: Uint8Array } = { frame: new Uint8Array(0) };
  /** On the leader: when each proposal in flight was made, for its commit latency. */
  private readonly proposedAtMs = new Map<bigint, number>();
  private readonly committedListeners: Array<(commitMs: number) => void> = [];
  /** On the leader: proposals made and not yet delivered, and writes waiting for room (in arrival order). */
  private proposalsInFlight = 0;
  private readonly proposalsInFlightMax: number;
  private readonly deferred: Array<{ submission: WriteSubmission; forwardedFrom?: number }> = [];
  /** How often the peer ticks: finer than tickTime, so an election need not wait whole ticks. */
  private readonly peerTickMs: number;
  /** LOG_LEVEL=debug traces every output the peer asks for (a conversation between servers, in the log). */
  private readonly traceOutputs = process.env.LOG_LEVEL === 'debug';

  constructor(private readonly options: ZabReplicationOptions) {
    const { config } = options;
    const myId = config.myid as number;
    this.log = options.logger.child({ component: 'zab' });
    this.nowMs = options.nowMs ?? Date.now;
    const durable: DurableState = options.storage.takeDurableState();
    this.deliveredZxid = durable.snapshotZxid;
    this.lookingSinceMs = this.nowMs();
    this.proposalsInFlightMax = Math.min(options.proposalsInFlightMax ?? PROPOSALS_IN_FLIGHT_MAX, PROPOSALS_IN_FLIGHT_MAX);

    const voters = config.servers.filter((s) => s.type === 'participant').map((s) => s.id);
    const observers = config.servers.filter((s) => s.type === 'observer').map((s) => s.id);
    this.peerTickMs = Math.min(config.tickTimeMs, PEER_TICK_MAX_MS);
    // The peer's own limit sits above ours, so it never has to refuse a proposal for lack of room.
    const limits = { proposalsInFlightMax: this.proposalsInFlightMax + PEER_IN_FLIGHT_MARGIN };
    this.peer = new ZabPeer({ myId, voters, observers, tickLimits: peerTickLimits(config, this.peerTickMs), durable, limits });
    // Once a snapshot is durable the peer may forget the log below it.
    options.storage.onSnapshot((zxid) => {
      const forgetUpTo = this.compactionPoint(zxid);
      if (forgetUpTo !== undefined) this.step({ kind: 'compacted', zxid: forgetUpTo });
    });
    const me = config.servers.find((s) => s.id === myId);
    if (!me) throw new Error(`myid ${myId} is not among the server.N lines`);
    const frameMaxBytes = options.frameMaxBytes ?? 256 * 1024 * 1024;
    const common = { myId, frameMaxBytes, queuedFramesMax: 10_000, reconnectDelayMinMs: 20, reconnectDelayMaxMs: 1000 };
    this.electionNetwork = new PeerNetwork(
      {
        ...common,
        listen: { host: me.host, port: me.electionPort },
        peers: config.servers.map((s) => ({ id: s.id, host: s.host, port: s.electionPort })),
        onMessage: (from, frame) => this.onFrame(from, frame),
      },
      this.log,
    );
    this.quorumNetwork = new PeerNetwork(
      {
        ...common,
        listen: { host: me.host, port: me.quorumPort },
        peers: config.servers.map((s) => ({ id: s.id, host: s.host, port: s.quorumPort })),
        onMessage: (from, frame) => this.onFrame(from, frame),
        onLinkChange: (peerId, direction, up) => {
          if (!up && direction === 'out') this.step({ kind: 'disconnected', peer: peerId });
        },
      },
      this.log,
    );
  }

  // ---- Replication (the core's view) ----

  attach(hooks: ReplicationHooks): void {
    this.hooks = hooks;
  }

  createWritePath(db: ZkDatabase, preparer: Preparer): WritePath {
    this.db = db;
    this.preparer = preparer;
    return this;
  }

  status(): ReplicationStatus {
    return this.currentStatus;
  }

  view(): EnsembleView {
    const status = this.peer.status();
    return {
      leaderId: status.leaderId,
      lastLoggedZxid: status.lastLoggedZxid,
      commitZxid: status.commitZxid,
      learners: (status.leader?.learners ?? []).map(({ id, observer, synced, ackedZxid }) => ({ id, observer, synced, ackedZxid })),
      pendingSyncs: this.syncTokens.size + this.syncWaiters.length,
      logEntries: status.logEntries,
      logBytes: status.logBytes,
    };
  }

  /** What srvr/mntr and the admin API show of the protocol. */
  peerStatus(): ReturnType<ZabPeer['status']> {
    return this.peer.status();
  }

  sessionTouched(sessionId: bigint, timeoutMs: number): void {
    this.touched.set(sessionId, timeoutMs);
  }

  sync(onSynced: () => void): void {
    if (this.currentStatus.role === 'leading') {
      this.waitForDelivery(this.peer.status().lastLoggedZxid, onSynced);
      return;
    }
    if (this.leaderId === null) return; // not serving: the connection is being closed anyway
    const token = this.nextSyncToken++;
    this.syncTokens.set(token, onSynced);
    this.sendQuorum(this.leaderId, { kind: 'syncRequest', token });
  }

  async start(): Promise<void> {
    await Promise.all([this.electionNetwork.start(), this.quorumNetwork.start()]);
    this.carryOut(this.peer.start());
    this.tickTimer = setInterval(() => this.onTick(), this.peerTickMs);
    this.tickTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.tickTimer) clearInterval(this.tickTimer);
    await Promise.all([this.electionNetwork.stop(), this.quorumNetwork.stop()]);
  }

  /** The leader's time from proposing a txn to delivering it (a quorum logged it), per txn. */
  onProposalCommitted(listener: (commitMs: number) => void): void {
    this.committedListeners.push(listener);
  }

  // ---- WritePath ----

  get writesInFlight(): number {
    return this.pending.size;
  }

  submit(submission: WriteSubmission): void {
    if (!this.currentStatus.serving) {
      this.refuse(submission, ErrorCode.connectionLoss);
      return;
    }
    mark('submit', submission.sessionId, submission.cxid);
    if (submission.onApplied) this.pending.set(keyOf(submission.sessionId, submission.cxid), submission);
    if (this.currentStatus.role === 'leading') {
      this.propose(submission);
      return;
    }
    this.sendQuorum(this.leaderId as number, { kind: 'forward', sessionId: submission.sessionId, cxid: submission.cxid, op: submission.op });
  }

  // ---- the leader's prepare and propose ----

  /**
   * Proposes now, or queues when ZAB already has as many proposals in flight as it takes: a burst of writes
   * waits for commits (backpressure) instead of failing with a connection loss the client did not have.
   */
  private propose(submission: WriteSubmission, forwardedFrom?: number): void {
    if (this.deferred.length > 0 || this.proposalsInFlight >= this.proposalsInFlightMax) {
      this.deferred.push({ submission, forwardedFrom });
      return;
    }
    this.proposeNow(submission, forwardedFrom);
  }

  private proposeNow(submission: WriteSubmission, forwardedFrom?: number): void {
    const preparer = this.preparer as Preparer;
    // ZabPeer numbers the proposal; the txn carries the same zxid, so predict it and check the answer.
    const zxid = this.peer.nextProposalZxid();
    const header: TxnHeader = { sessionId: submission.sessionId, cxid: submission.cxid, zxid, timeMs: this.nowMs() };
    const txn = prepareSubmission(preparer, submission, header);
    mark('propose', submission.sessionId, submission.cxid, zxid);
    const outputs = this.peer.step({ kind: 'propose', payload: encodeTxn(header, txn), origin: forwardedFrom });
    const refused = outputs.find((o) => o.kind === 'proposeRefused');
    const proposed = outputs.find((o) => o.kind === 'proposed');
    if (refused || !proposed || proposed.zxid !== zxid) {
      // Nothing was logged: forget the prepared change so later requests do not see it.
      preparer.reset();
      this.log.warn('proposal refused', { reason: refused?.kind === 'proposeRefused' ? refused.reason : 'zxid mismatch', predicted: hexZxid(zxid) });
      if (forwardedFrom === undefined) this.failPending(submission.sessionId, submission.cxid, ErrorCode.connectionLoss);
      else this.sendQuorum(forwardedFrom, { kind: 'refused', sessionId: submission.sessionId, cxid: submission.cxid, err: ErrorCode.connectionLoss });
    } else {
      this.proposalsInFlight += 1;
      if (this.committedListeners.length > 0) this.proposedAtMs.set(zxid, performance.now());
    }
    this.carryOut(outputs);
  }

  // ---- inputs ----

  private onTick(): void {
    this.step({ kind: 'tick' });
    this.maybeEnterReadOnly();
    if (this.touched.size > 0 && this.leaderId !== null && this.currentStatus.role !== 'leading') {
      const sessions = [...this.touched].map(([sessionId, timeoutMs]) => ({ sessionId, timeoutMs }));
      this.touched.clear();
      this.sendQuorum(this.leaderId, { kind: 'touch', sessions });
    }
  }

  private onFrame(from: number, bytes: Uint8Array): void {
    let frame: QuorumFrame;
    try {
      frame = decodeQuorumFrame(bytes);
    } catch (error) {
      this.log.warn('dropping an unreadable peer frame', { peer: from, error: (error as Error).message });
      return;
    }
    switch (frame.kind) {
      case 'zab':
        if (timelineEnabled) markMessage('recv', from, frame.message);
        this.step({ kind: 'message', from, message: frame.message });
        return;
      case 'forward':
        mark('recv-forward', frame.sessionId, frame.cxid, from);
        if (this.currentStatus.role !== 'leading' || !this.currentStatus.serving) {
          this.sendQuorum(from, { kind: 'refused', sessionId: frame.sessionId, cxid: frame.cxid, err: ErrorCode.connectionLoss });
          return;
        }
        this.propose({ sessionId: frame.sessionId, cxid: frame.cxid, op: frame.op }, from);
        return;
      case 'touch':
        for (const { sessionId, timeoutMs } of frame.sessions) this.hooks?.remoteSessionTouched(sessionId, timeoutMs);
        return;
      case 'syncRequest':
        this.sendQuorum(from, { kind: 'syncReply', token: frame.token, zxid: this.peer.status().lastLoggedZxid });
        return;
      case 'syncReply': {
        const onSynced = this.syncTokens.get(frame.token);
        this.syncTokens.delete(frame.token);
        if (onSynced) this.waitForDelivery(frame.zxid, onSynced);
        return;
      }
      case 'refused':
        this.failPending(frame.sessionId, frame.cxid, frame.err);
        return;
    }
  }

  private step(input: Input): void {
    this.carryOut(this.peer.step(input));
  }

  // ---- outputs, strictly in order ----

  /**
   * Outputs run in the order the peer produced them, each after the one before it finished. Most finish at
   * once (sends, deliveries, the not-awaited log appends) and run right here, without a promise per output
   * (those were 4 % of the leader's thread at 8 × 64 setData); one that must be awaited (epochs, TRUNC, a
   * snapshot install) holds back everything after it. Outputs produced while others run (a delivery's reply
   * prompting a new proposal) join the end of the queue, as they did behind a promise chain.
   */
  private carryOut(outputs: readonly Output[]): void {
    for (const output of outputs) this.outputQueue.push(output);
    this.drainOutputs();
  }

  private drainOutputs(): void {
    if (this.draining) return;
    this.draining = true;
    let sentToPeers = false;
    while (this.outputQueue.length > 0) {
      const output = this.outputQueue.shift() as Output;
      if (output.kind === 'send') sentToPeers = true;
      else if (output.kind === 'deliver' && sentToPeers && this.proposalsInFlight <= RELEASE_BEFORE_APPLY_IN_FLIGHT_MAX) {
        // A leader with little in flight lets its COMMITs (and anything sent before) leave before it applies:
        // its followers' clients wait for them, not for its own apply (~40 µs of a 3-server 1 × 1 create). A
        // busy one keeps them for the turn's one writev per follower (an early one per ACK read cost ~6 % of
        // 3-server setData 8 × 64).
        this.quorumNetwork.releaseHeldWrites();
        sentToPeers = false;
      }
      let awaited: Promise<void> | undefined;
      try {
        awaited = this.carryOutOne(output);
      } catch (error) {
        this.failedOutput(output, error);
        return;
      }
      if (awaited !== undefined) {
        // Still draining: outputs made meanwhile wait in the queue until this one is done.
        awaited.then(
          () => {
            this.draining = false;
            this.drainOutputs();
          },
          (error: unknown) => this.failedOutput(output, error),
        );
        return;
      }
    }
    this.draining = false;
  }

  /** Storage that cannot persist ZAB's state makes every promise this server gave worthless: stop. */
  private failedOutput(output: Output, error: unknown): void {
    this.log.error('cannot carry out a ZAB output; stopping', { output: describeOutput(this.peer.myId, output), error: (error as Error).stack ?? String(error) });
    process.exitCode = 70;
    process.kill(process.pid, 'SIGTERM');
  }

  /** Carries out one output; a promise only for one that later outputs must wait for. */
  private carryOutOne(output: Output): Promise<void> | undefined {
    if (this.traceOutputs) this.log.debug('zab output', { output: describeOutput(this.peer.myId, output) });
    switch (output.kind) {
      case 'send':
        this.sendZab(output.to, output.message);
        return undefined;
      case 'persistEntries': {
        const last = output.entries[output.entries.length - 1]?.zxid;
        // Not awaited: later outputs do not depend on it (ZabPeer acks only after `persisted`), and batching wins.
        void this.options.storage.persistEntries(output.entries).then(
          () => {
            mark('persisted', last ?? '');
            if (last !== undefined) this.step({ kind: 'persisted', zxid: last });
          },
          (error: unknown) => this.failedOutput(output, error),
        );
        return undefined;
      }
      case 'persistEpochs':
        return this.options.storage.persistEpochs(output.acceptedEpoch, output.currentEpoch);
      case 'truncateLog':
        return this.options.storage.truncateLog(output.afterZxid).then(() => undefined);
      case 'installSnapshot':
        // Awaited: the deliveries after it apply to the new tree.
        return this.options.storage.installSnapshot(output.zxid, output.bytes).then((tree) => this.installTree(tree, output.zxid));
      case 'deliver':
        this.deliver(output.zxid, output.payload);
        return undefined;
      case 'requestSnapshot':
        // Serialized off the serving thread; the peer waits for it, other outputs need not.
        void this.options.storage.snapshotBytes().then(({ zxid, bytes }) => this.step({ kind: 'snapshot', zxid, bytes }));
        return undefined;
      case 'proposed':
      case 'proposeRefused':
        return undefined; // answered where the proposal was made
      case 'roleChanged':
        this.roleChanged(output);
        return undefined;
    }
  }

  private deliver(zxid: bigint, payload: Uint8Array): void {
    const db = this.db as ZkDatabase;
    const { header, txn } = decodeTxn(payload);
    if (header.zxid !== zxid) throw new Error(`delivered txn carries zxid ${hexZxid(header.zxid)} at ${hexZxid(zxid)}`);
    mark('deliver', zxid);
    const result = db.apply(header, txn);
    if (this.proposalsInFlight > 0 && this.currentStatus.role === 'leading') this.proposalsInFlight -= 1;
    const proposedAtMs = this.proposedAtMs.get(zxid);
    if (proposedAtMs !== undefined) {
      this.proposedAtMs.delete(zxid);
      const commitMs = performance.now() - proposedAtMs;
      for (const listener of this.committedListeners) listener(commitMs);
    }
    this.preparer?.applied(zxid);
    this.deliveredZxid = zxid;
    this.options.storage.delivered(zxid, payload.length);
    const submission = this.pending.get(keyOf(header.sessionId, header.cxid));
    if (submission) {
      this.pending.delete(keyOf(header.sessionId, header.cxid));
      submission.onApplied?.(result, header);
    }
    while (this.syncWaiters.length > 0 && this.syncWaiters[0].zxid <= zxid) (this.syncWaiters.shift() as { onSynced: () => void }).onSynced();
    while (this.deferred.length > 0 && this.proposalsInFlight < this.proposalsInFlightMax && this.currentStatus.role === 'leading') {
      const next = this.deferred.shift() as { submission: WriteSubmission; forwardedFrom?: number };
      this.proposeNow(next.submission, next.forwardedFrom);
    }
    if (this.servingFromZxid !== undefined && zxid >= this.servingFromZxid) {
      this.servingFromZxid = undefined;
      this.currentStatus = { ...this.currentStatus, serving: true };
      this.hooks?.servingChanged(true);
    }
  }

  private installTree(tree: DataTree, zxid: bigint): void {
    const db = this.db as ZkDatabase;
    db.replaceTree(tree);
    this.preparer = new Preparer(tree, { maxDataBytes: this.options.config.maxBufferBytes, extendedTypesEnabled: this.options.config.extendedTypesEnabled });
    this.deliveredZxid = zxid;
    this.log.info('installed a snapshot from the leader', { snapshotZxid: hexZxid(zxid), nodes: tree.nodeCount });
  }

  /**
   * As ZooKeeper's readonlymode.enabled: a member that has looked for a leader for a while (no quorum in
   * reach) serves its last state for reading to clients that said they can live with it.
   */
  private maybeEnterReadOnly(): void {
    const { config } = this.options;
    if (!config.readOnlyModeEnabled || this.currentStatus.role !== 'looking' || this.currentStatus.readOnly) return;
    if (this.nowMs() - this.lookingSinceMs < Math.max(READ_ONLY_DELAY_MIN_MS, 2 * config.tickTimeMs)) return;
    this.currentStatus = { ...this.currentStatus, readOnly: true };
    this.log.warn('no quorum in reach: serving reads only', { zxid: hexZxid(this.deliveredZxid) });
    this.hooks?.readOnlyChanged(true);
  }

  private roleChanged(change: Extract<Output, { kind: 'roleChanged' }>): void {
    const wasServing = this.currentStatus.serving;
    const wasReadOnly = this.currentStatus.readOnly;
    if (change.role === 'looking' && this.currentStatus.role !== 'looking') this.lookingSinceMs = this.nowMs();
    this.leaderId = change.leaderId;
    // Serve only once the committed history is applied here too, so no client reads a state older than the sync.
    const commitZxid = this.peer.status().commitZxid;
    this.servingFromZxid = change.serving && this.deliveredZxid < commitZxid ? commitZxid : undefined;
    this.currentStatus = {
      role: change.role,
      epoch: change.epoch,
      serving: change.serving && this.servingFromZxid === undefined,
      // Read-only ends the moment a leader is found: the sync that follows may truncate or replace the tree.
      readOnly: wasReadOnly && change.role === 'looking',
      ownsSessions: change.role === 'leading',
    };
    this.log.info('role changed', { newRole: change.role, leader: change.leaderId ?? 'none', newEpoch: change.epoch, serving: change.serving, reason: change.reason });
    if (change.role !== 'leading') {
      this.preparer?.reset();
      this.proposedAtMs.clear();
      // Writes that waited for room were never proposed: their clients hear a connection loss, as for in-flight ones.
      for (const { submission, forwardedFrom } of this.deferred.splice(0)) {
        if (forwardedFrom === undefined) this.failPending(submission.sessionId, submission.cxid, ErrorCode.connectionLoss);
        else this.sendQuorum(forwardedFrom, { kind: 'refused', sessionId: submission.sessionId, cxid: submission.cxid, err: ErrorCode.connectionLoss });
      }
    }
    this.proposalsInFlight = 0;
    if (wasServing && !this.currentStatus.serving) {
      // Requests in flight have an unknown outcome now; their connections are closed by the core's listeners.
      this.pending.clear();
      this.syncTokens.clear();
      this.syncWaiters.length = 0;
    }
    if (wasReadOnly && !this.currentStatus.readOnly) this.hooks?.readOnlyChanged(false);
    if (wasServing !== this.currentStatus.serving) this.hooks?.servingChanged(this.currentStatus.serving);
  }

  // ---- helpers ----

  /**
   * Where the in-memory log may start once a snapshot at `snapshotZxid` is durable. Like ZooKeeper's
   * committed log (commitLogCount, 500), the newest txns before the snapshot stay, so a follower that missed
   * a few gets a DIFF rather than the whole tree; bounded in bytes too, for large values.
   */
  private compactionPoint(snapshotZxid: bigint): bigint | undefined {
    const { entries } = this.peer.history();
    let keepFrom = entries.findIndex((entry) => entry.zxid > snapshotZxid);
    if (keepFrom < 0) keepFrom = entries.length;
    let kept = 0;
    let bytes = 0;
    while (keepFrom > 0 && kept < LOG_KEPT_ENTRIES) {
      const size = (entries[keepFrom - 1] as { payload: Uint8Array }).payload.length;
      if (bytes + size > LOG_KEPT_BYTES) break;
      keepFrom -= 1;
      kept += 1;
      bytes += size;
    }
    return keepFrom === 0 ? undefined : (entries[keepFrom - 1] as { zxid: bigint }).zxid;
  }

  private waitForDelivery(zxid: bigint, onSynced: () => void): void {
    if (this.deliveredZxid >= zxid) {
      onSynced();
      return;
    }
    this.syncWaiters.push({ zxid, onSynced });
    this.syncWaiters.sort((a, b) => (a.zxid < b.zxid ? -1 : a.zxid > b.zxid ? 1 : 0));
  }

  private failPending(sessionId: bigint, cxid: number, err: number): void {
    const submission = this.pending.get(keyOf(sessionId, cxid));
    if (!submission) return;
    this.pending.delete(keyOf(sessionId, cxid));
    this.refuse(submission, err);
  }

  private refuse(submission: WriteSubmission, err: number): void {
    const db = this.db as ZkDatabase;
    const header: TxnHeader = { sessionId: submission.sessionId, cxid: submission.cxid, zxid: db.tree.lastZxid, timeMs: this.nowMs() };
    const result: ApplyResult = { err, replyErr: err, events: [] };
    submission.onApplied?.(result, header);
  }

  private sendZab(to: number, message: Message): void {
    if (timelineEnabled) markMessage('send', to, message);
    if (message.type === 'diff' || message.type === 'trunc' || message.type === 'snap') this.logSync(to, message);
    // The leader sends one proposal object to every learner: encode it once.
    if (message !== this.lastEncoded.message) this.lastEncoded = { message, frame: encodeLengthPrefixedQuorumFrame({ kind: 'zab', message }) };
    (isElectionMessage(message) ? this.electionNetwork : this.quorumNetwork).sendLengthPrefixed(to, this.lastEncoded.frame);
  }

  /** How the leader brings a learner up to date: an operator's first question after a restart. */
  private logSync(learner: number, message: Extract<Message, { type: 'diff' | 'trunc' | 'snap' }>): void {
    const { lastLoggedZxid } = this.peer.status();
    if (message.type === 'diff') this.log.info('synchronizing a learner', { learner, method: 'DIFF', fromZxid: hexZxid(message.fromZxid), toZxid: hexZxid(lastLoggedZxid) });
    else if (message.type === 'trunc') this.log.info('synchronizing a learner', { learner, method: 'TRUNC', truncZxid: hexZxid(message.truncZxid), toZxid: hexZxid(lastLoggedZxid) });
    else this.log.info('synchronizing a learner', { learner, method: 'SNAP', snapshotZxid: hexZxid(message.snapshotZxid), bytes: message.snapshot.length, toZxid: hexZxid(lastLoggedZxid) });
  }

  private sendQuorum(to: number, frame: QuorumFrame): void {
    this.quorumNetwork.sendLengthPrefixed(to, encodeLengthPrefixedQuorumFrame(frame));
  }
}

/** A broadcast message on the timeline: send-proposal, recv-ack, … with the peer and the zxid. */
function markMessage(direction: 'send' | 'recv', peer: number, message: Message): void {
  if (message.type === 'proposal') mark(`${direction}-proposal`, peer, message.entry.zxid);
  else if (message.type === 'ack' || message.type === 'commit') mark(`${direction}-${message.type}`, peer, message.zxid);
}
