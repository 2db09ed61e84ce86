// ZabPeer: one ensemble member's protocol state, driven by `step(input) → outputs` (etcd-raft style).
// It owns the role transitions (looking → leading / following / observing and back), the in-memory
// log and the commit/delivery points; election, leader and learner logic live in their own files.

import { assert, assertNever } from './assert';
import type { PeerContext } from './context';
import { Election } from './election';
import { LeaderState, type LeaderStatus } from './leader';
import { LearnerState, type LearnerPhase } from './learner';
import { ZabLog } from './log';
import type { Message, Notification, Vote } from './messages';
import type { Input, LogEntry, Output, PeerConfig, PeerLimits, ProtocolMutations, Role, ServerId, TickLimits } from './types';
import { nextCounter, ZXID_COUNTER_MAX } from './zxid';

export interface PeerStatus {
  readonly myId: ServerId;
  readonly role: Role;
  readonly serving: boolean;
  readonly leaderId: ServerId | null;
  readonly acceptedEpoch: number;
  readonly currentEpoch: number;
  readonly lastLoggedZxid: bigint;
  readonly durableZxid: bigint;
  readonly commitZxid: bigint;
  readonly deliveredZxid: bigint;
  /** The log held in memory (entries after the last snapshot): how many, and their payload bytes. */
  readonly logEntries: number;
  readonly logBytes: number;
  readonly electionRound: number;
  readonly leader: LeaderStatus | null;
  readonly learnerPhase: LearnerPhase | null;
}

const DEFAULT_LIMITS: PeerLimits = { proposalsInFlightMax: 1000, zxidCounterMax: ZXID_COUNTER_MAX };

export class ZabPeer {
  readonly myId: ServerId;
  private readonly voters: readonly ServerId[];
  private readonly observers: readonly ServerId[];
  private readonly tickLimits: TickLimits;
  private readonly limits: PeerLimits;
  private readonly mutations: ProtocolMutations;
  private readonly log: ZabLog;
  private acceptedEpoch: number;
  private currentEpoch: number;
  private durableZxid: bigint;
  private commitZxid: bigint;
  private deliveredZxid: bigint;
  private role: Role = 'looking';
  private serving = false;
  private round = 0;
  private election: Election | null = null;
  private leader: LeaderState | null = null;
  private learner: LearnerState | null = null;
  /**
   * FOLLOWERINFOs that reached us while we were still looking: a follower may decide a moment before its
   * leader does. Handed to the leader we become, as if they arrived just after; dropped otherwise. (The
   * follower would say it again on its next tick: up to 100 ms of every such failover.)
   */
  private readonly followerInfosWhileLooking = new Map<ServerId, Message>();
  /** The vote this server settled on, told to anyone still looking. */
  private decided: { vote: Vote; round: number } | null = null;
  private out: Output[] = [];
  private unpersisted: LogEntry[] = [];
  private lastRoleReport = '';
  private readonly ctx: PeerContext;

  constructor(config: PeerConfig) {
    assert(config.voters.includes(config.myId) || config.observers.includes(config.myId), `server ${config.myId} is neither voter nor observer`);
    assert(!config.voters.some((v) => config.observers.includes(v)), 'a server cannot be both voter and observer');
    assert(config.voters.length > 0, 'an ensemble needs voters');
    this.myId = config.myId;
    this.voters = [...config.voters];
    this.observers = [...config.observers];
    this.tickLimits = config.tickLimits;
    this.limits = { ...DEFAULT_LIMITS, ...config.limits };
    this.mutations = config.mutations ?? {};
    const d = config.durable;
    assert(d.currentEpoch <= d.acceptedEpoch, `currentEpoch ${d.currentEpoch} above acceptedEpoch ${d.acceptedEpoch}`);
    this.log = new ZabLog(d.snapshotZxid, d.log);
    this.acceptedEpoch = d.acceptedEpoch;
    this.currentEpoch = d.currentEpoch;
    this.durableZxid = this.log.lastZxid;
    this.commitZxid = d.snapshotZxid;
    this.deliveredZxid = d.snapshotZxid;
    this.ctx = this.makeContext();
  }

  get isObserver(): boolean {
    return this.observers.includes(this.myId);
  }

  /** Outputs of the first step are the election's opening notifications. */
  start(): Output[] {
    assert(this.role === 'looking' && this.election === null, 'start() once');
    this.beginElection();
    return this.flush();
  }

  step(input: Input): Output[] {
    if (this.election === null && this.leader === null && this.learner === null) this.beginElection();
    switch (input.kind) {
      case 'message':
        this.onMessage(input.from, input.message);
        break;
      case 'tick':
        this.onTick();
        break;
      case 'persisted':
        this.onPersisted(input.zxid);
        break;
      case 'propose':
        this.out.push(this.onPropose(input.payload, input.origin));
        break;
      case 'snapshot':
        this.leader?.onSnapshot(input.zxid, input.bytes);
        break;
      case 'compacted':
        assert(input.zxid <= this.deliveredZxid, `compacted at ${input.zxid} beyond delivered ${this.deliveredZxid}`);
        this.log.compact(input.zxid);
        if (this.durableZxid < input.zxid) this.durableZxid = input.zxid;
        break;
      case 'disconnected':
        if (this.leader) this.leader.onDisconnected(input.peer);
        else if (this.learner && this.learner.leaderId === input.peer) this.goLooking(`connection to leader ${input.peer} lost`);
        break;
      default:
        assertNever(input, 'input');
    }
    return this.flush();
  }

  /**
   * The zxid the next proposal will get (status() builds a whole report, learners included: the leader asks
   * this on every write).
   */
  nextProposalZxid(): bigint {
    // Composed unchecked, as the leader numbers it: past the counter's end the leader refuses the proposal.
    return (BigInt(this.currentEpoch) << 32n) + nextCounter(this.log.lastZxid, this.currentEpoch);
  }

  status(): PeerStatus {
    return {
      myId: this.myId,
      role: this.role,
      serving: this.serving,
      leaderId: this.leaderId(),
      acceptedEpoch: this.acceptedEpoch,
      currentEpoch: this.currentEpoch,
      lastLoggedZxid: this.log.lastZxid,
      durableZxid: this.durableZxid,
      commitZxid: this.commitZxid,
      deliveredZxid: this.deliveredZxid,
      logEntries: this.log.size,
      logBytes: this.log.bytes,
      electionRound: this.round,
      leader: this.leader?.status() ?? null,
      learnerPhase: this.learner?.phase ?? null,
    };
  }

  /** The history this peer holds: entries after `baseZxid` (the snapshot point). For checks and tools. */
  history(): { baseZxid: bigint; entries: readonly LogEntry[] } {
    return { baseZxid: this.log.base, entries: this.log.view() };
  }

  private leaderId(): ServerId | null {
    if (this.role === 'leading') return this.myId;
    return this.learner?.leaderId ?? null;
  }

  private onMessage(from: ServerId, message: Message): void {
    if (message.type === 'notification') return this.onNotification(from, message);
    if (this.leader) this.leader.onMessage(from, message);
    else if (this.learner) this.learner.onMessage(from, message);
    else if (this.election && message.type === 'followerInfo') this.followerInfosWhileLooking.set(from, message);
  }

  private onNotification(from: ServerId, n: Notification): void {
    if (this.election) {
      const result = this.election.onNotification(from, n);
      for (const s of result.sends) this.send(s.to, s.message);
      if (result.decided) this.onDecided(result.decided.vote, result.decided.round);
      return;
    }
    if (n.state === 'looking' && this.learner !== null && from === this.learner.leaderId && n.round > (this.decided?.round ?? 0)) {
      // Our leader is electing again, in a round after the one we settled in (older notifications
      // may still be in flight): join now rather than time out, or the rest could re-elect without
      // our history in the vote (in ZooKeeper the dropped TCP connection tells the follower).
      this.goLooking(`leader ${from} is looking`);
      return this.onNotification(from, n);
    }
    // Settled: tell a looking server who we follow, so it can join (FastLeaderElection's receiver).
    if (n.state === 'looking' && this.decided) {
      this.send(from, { type: 'notification', vote: this.decided.vote, round: this.decided.round, state: this.role });
    }
  }

  private onTick(): void {
    if (this.election) {
      const result = this.election.onTick();
      for (const s of result.sends) this.send(s.to, s.message);
      if (result.decided) this.onDecided(result.decided.vote, result.decided.round);
    } else if (this.leader) {
      this.leader.onTick();
    } else if (this.learner) {
      this.learner.onTick();
    }
  }

  private onPersisted(zxid: bigint): void {
    // Storage acknowledges in order; after a truncation a late answer may name entries no longer here.
    const floor = this.log.floor(zxid);
    if (floor !== undefined && floor > this.durableZxid) this.durableZxid = floor;
    this.leader?.onPersisted();
    this.learner?.onPersisted();
  }

  private onPropose(payload: Uint8Array, origin: ServerId | undefined): Output {
    if (!this.leader) return { kind: 'proposeRefused', reason: 'not-leader', leaderId: this.leaderId() };
    return this.leader.propose(payload, origin);
  }

  private beginElection(reason = 'starting'): void {
    this.role = 'looking';
    this.serving = false;
    this.leader = null;
    this.learner = null;
    this.decided = null;
    this.followerInfosWhileLooking.clear();
    this.round += 1;
    const selfVote: Vote = { leader: this.myId, zxid: this.log.lastZxid, epoch: this.currentEpoch };
    this.election = new Election(
      {
        myId: this.myId,
        voters: this.voters,
        isObserver: this.isObserver,
        resendTicks: Math.max(1, this.tickLimits.electionTimeoutTicks),
        finalizeWaitTicks: Math.max(1, this.tickLimits.finalizeWaitTicks ?? 1),
      },
      selfVote,
      this.round,
    );
    this.reportRole(reason);
    const result = this.election.start();
    for (const s of result.sends) this.send(s.to, s.message);
    if (result.decided) this.onDecided(result.decided.vote, result.decided.round);
  }

  private onDecided(vote: Vote, round: number): void {
    this.election = null;
    this.round = round;
    this.decided = { vote, round };
    if (vote.leader === this.myId) {
      assert(!this.isObserver, 'an observer cannot lead');
      this.role = 'leading';
      this.reportRole();
      const leader = new LeaderState(this.ctx);
      this.leader = leader;
      for (const [from, message] of this.followerInfosWhileLooking) leader.onMessage(from, message);
    } else {
      this.role = this.isObserver ? 'observing' : 'following';
      this.reportRole();
      this.learner = new LearnerState(this.ctx, vote.leader, this.isObserver);
    }
    this.followerInfosWhileLooking.clear();
  }

  private goLooking(reason: string): void {
    this.beginElection(reason);
  }

  private send(to: ServerId, message: Message): void {
    if (to === this.myId) return;
    this.out.push({ kind: 'send', to, message });
  }

  private flushEntries(): void {
    if (this.unpersisted.length === 0) return;
    this.out.push({ kind: 'persistEntries', entries: this.unpersisted });
    this.unpersisted = [];
  }

  private flush(): Output[] {
    this.flushEntries();
    const out = this.out;
    this.out = [];
    return out;
  }

  private commitTo(zxid: bigint): void {
    const target = zxid > this.log.lastZxid ? this.log.lastZxid : zxid;
    if (target > this.commitZxid) this.commitZxid = target;
    this.deliverCommitted();
  }

  private deliverCommitted(): void {
    if (!this.serving || this.deliveredZxid >= this.commitZxid) return;
    for (const entry of this.log.slice(this.deliveredZxid, this.commitZxid)) {
      this.out.push({ kind: 'deliver', zxid: entry.zxid, payload: entry.payload });
    }
    this.deliveredZxid = this.commitZxid;
  }

  private reportRole(reason?: string): void {
    const leaderId = this.leaderIdFor();
    const key = `${this.role}/${leaderId}/${this.currentEpoch}/${this.serving}`;
    if (key === this.lastRoleReport) return;
    this.lastRoleReport = key;
    const output: Output = { kind: 'roleChanged', role: this.role, leaderId, epoch: this.currentEpoch, serving: this.serving };
    this.out.push(reason === undefined ? output : { ...output, reason });
  }

  private leaderIdFor(): ServerId | null {
    if (this.role === 'leading') return this.myId;
    if (this.role === 'looking') return null;
    return this.decided?.vote.leader ?? null;
  }

  private makeContext(): PeerContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const peer = this;
    return {
      myId: peer.myId,
      voters: peer.voters,
      tickLimits: peer.tickLimits,
      limits: peer.limits,
      mutations: peer.mutations,
      log: peer.log,
      get acceptedEpoch() {
        return peer.acceptedEpoch;
      },
      set acceptedEpoch(e: number) {
        assert(e >= peer.acceptedEpoch, `acceptedEpoch going back from ${peer.acceptedEpoch} to ${e}`);
        peer.acceptedEpoch = e;
      },
      get currentEpoch() {
        return peer.currentEpoch;
      },
      set currentEpoch(e: number) {
        assert(e <= peer.acceptedEpoch && e >= peer.currentEpoch, `currentEpoch ${e} outside [${peer.currentEpoch}, ${peer.acceptedEpoch}]`);
        peer.currentEpoch = e;
      },
      get durableZxid() {
        return peer.durableZxid;
      },
      set durableZxid(z: bigint) {
        peer.durableZxid = z;
      },
      get commitZxid() {
        return peer.commitZxid;
      },
      get deliveredZxid() {
        return peer.deliveredZxid;
      },
      isVoter: (id) => peer.voters.includes(id),
      isQuorum: (count) => count * 2 > peer.voters.length,
      send: (to, message) => peer.send(to, message),
      emit: (output) => {
        peer.flushEntries();
        peer.out.push(output);
      },
      appendEntry: (entry) => {
        peer.log.append(entry);
        peer.unpersisted.push(entry);
      },
      persistEpochs: () => {
        peer.flushEntries();
        peer.out.push({ kind: 'persistEpochs', acceptedEpoch: peer.acceptedEpoch, currentEpoch: peer.currentEpoch });
      },
      truncateLog: (afterZxid) => {
        assert(afterZxid >= peer.deliveredZxid, `truncating to ${afterZxid} below delivered ${peer.deliveredZxid}`);
        peer.flushEntries();
        peer.log.truncateAfter(afterZxid);
        if (peer.durableZxid > afterZxid) peer.durableZxid = afterZxid;
        if (peer.commitZxid > afterZxid) peer.commitZxid = afterZxid;
        peer.out.push({ kind: 'truncateLog', afterZxid });
      },
      installSnapshot: (zxid, bytes) => {
        assert(zxid >= peer.deliveredZxid, `snapshot at ${zxid} behind delivered ${peer.deliveredZxid}`);
        peer.flushEntries();
        peer.log.reset(zxid);
        peer.durableZxid = zxid;
        peer.commitZxid = zxid;
        peer.deliveredZxid = zxid;
        peer.out.push({ kind: 'installSnapshot', zxid, bytes });
      },
      commitTo: (zxid) => peer.commitTo(zxid),
      deliverNamedOnly: (zxid) => {
        const entry = peer.log.get(zxid);
        if (!entry || zxid <= peer.deliveredZxid) return;
        peer.out.push({ kind: 'deliver', zxid, payload: entry.payload });
        peer.deliveredZxid = zxid;
      },
      setServing: (serving) => {
        peer.serving = serving;
        peer.reportRole();
        peer.deliverCommitted();
      },
      goLooking: (reason) => peer.goLooking(reason),
    };
  }
}
