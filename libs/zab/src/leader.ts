// The leader half of a peer (ZooKeeper's Leader + LearnerHandler): discovery (FOLLOWERINFO →
// NEWEPOCH → ACKEPOCH), per-learner synchronization (DIFF / TRUNC / SNAP, NEWLEADER, ACK, UPTODATE),
// then broadcast (PROPOSAL, cumulative ACKs, COMMIT / INFORM, PING) and the quorum watch.

import { assert } from './assert';
import type { PeerContext } from './context';
import type { Message } from './messages';
import type { LogEntry, Output, ProposeRefusal, ServerId } from './types';
import { makeZxid, nextCounter } from './zxid';

export type LeaderPhase = 'discovery' | 'synchronization' | 'broadcast';

interface LearnerHandler {
  readonly observer: boolean;
  state: 'info' | 'ackedEpoch' | 'awaitSnapshot' | 'synced';
  fresh: boolean;
  peerCurrentEpoch: number;
  peerLastZxid: bigint;
  /** The zxid NEWLEADER named for this learner: its ack at or above it means it holds our history. */
  newLeaderZxid: bigint;
  newLeaderAcked: boolean;
  ackedZxid: bigint;
  lastHeardTick: number;
}

export interface LeaderStatus {
  readonly phase: LeaderPhase;
  readonly epoch: number | null;
  readonly learners: ReadonlyArray<{ id: ServerId; observer: boolean; state: string; ackedZxid: bigint; synced: boolean }>;
}

export class LeaderState {
  private phaseValue: LeaderPhase = 'discovery';
  private epoch: number | null = null;
  /** The last zxid of the history this leader brings to its epoch (fixed when synchronization starts). */
  private initialZxid = -1n;
  private readonly learners = new Map<ServerId, LearnerHandler>();
  /** In-flight proposals forwarded by a learner: that learner hears their COMMIT first. */
  private readonly originOf = new Map<bigint, ServerId>();
  private readonly infoEpochs = new Map<ServerId, number>();
  private readonly ackScratch: bigint[] = [];
  private nowTick = 0;
  private phaseStartTick = 0;
  private snapshotRequested = false;

  constructor(private readonly ctx: PeerContext) {
    this.infoEpochs.set(ctx.myId, ctx.acceptedEpoch);
    this.tryDecideEpoch();
  }

  get phase(): LeaderPhase {
    return this.phaseValue;
  }

  get established(): boolean {
    return this.phaseValue === 'broadcast';
  }

  get epochValue(): number | null {
    return this.epoch;
  }

  status(): LeaderStatus {
    return {
      phase: this.phaseValue,
      epoch: this.epoch,
      learners: [...this.learners].map(([id, h]) => ({ id, observer: h.observer, state: h.state, ackedZxid: h.ackedZxid, synced: h.newLeaderAcked })),
    };
  }

  onMessage(from: ServerId, message: Message): void {
    const h = this.learners.get(from);
    if (h) h.lastHeardTick = this.nowTick;
    switch (message.type) {
      case 'followerInfo':
        return this.onFollowerInfo(from, message.acceptedEpoch, message.observer || !this.ctx.isVoter(from));
      case 'ackEpoch':
        if (h && h.state === 'info' && message.epoch === this.epoch) this.onAckEpoch(from, h, message.currentEpoch, message.lastZxid, message.fresh);
        return;
      case 'ack':
        if (h && h.state === 'synced') this.onAck(from, h, message.zxid);
        return;
      case 'ping':
        if (h && h.state === 'synced' && message.zxid >= 0n) this.onAck(from, h, message.zxid);
        return;
      default:
        // Leader-to-learner messages from a stale leader, or anything else: not ours to act on.
        return;
    }
  }

  onTick(): void {
    this.nowTick += 1;
    const { initLimitTicks, syncLimitTicks } = this.ctx.tickLimits;
    for (const [id, h] of this.learners) {
      const limit = h.newLeaderAcked ? syncLimitTicks : initLimitTicks;
      if (this.nowTick - h.lastHeardTick > limit) this.learners.delete(id);
    }
    if (this.phaseValue !== 'broadcast') {
      if (this.nowTick - this.phaseStartTick > initLimitTicks) return this.ctx.goLooking(`epoch not established within ${initLimitTicks} ticks`);
    } else {
      let heard = 1;
      for (const [id, h] of this.learners) {
        if (!h.observer && h.newLeaderAcked && this.ctx.isVoter(id) && this.nowTick - h.lastHeardTick <= syncLimitTicks) heard += 1;
      }
      if (!this.hasQuorum(heard)) return this.ctx.goLooking('lost the quorum of followers');
    }
    for (const id of this.learners.keys()) this.ctx.send(id, { type: 'ping', zxid: this.ctx.commitZxid });
  }

  onPersisted(): void {
    if (this.phaseValue === 'synchronization') this.checkEstablished();
    else if (this.phaseValue === 'broadcast') this.advanceCommit();
  }

  onDisconnected(peer: ServerId): void {
    this.learners.delete(peer);
  }

  onSnapshot(zxid: bigint, bytes: Uint8Array): void {
    if (!this.snapshotRequested) return;
    this.snapshotRequested = false;
    assert(zxid >= this.ctx.log.base && zxid <= this.ctx.log.lastZxid, `snapshot at ${zxid} outside the log [${this.ctx.log.base}, ${this.ctx.log.lastZxid}]`);
    for (const [id, h] of this.learners) {
      if (h.state !== 'awaitSnapshot') continue;
      this.ctx.send(id, { type: 'snap', epoch: this.epoch as number, snapshotZxid: zxid, snapshot: bytes });
      this.sendHistory(id, h, zxid);
    }
  }

  propose(payload: Uint8Array, origin?: ServerId): Output {
    if (this.phaseValue !== 'broadcast') return { kind: 'proposeRefused', reason: 'not-established', leaderId: this.ctx.myId };
    const log = this.ctx.log;
    const inFlight = log.countAfter(this.ctx.commitZxid);
    if (inFlight >= this.ctx.limits.proposalsInFlightMax) return this.refuse('too-many-in-flight');
    const epoch = this.epoch as number;
    const last = log.lastZxid;
    const counter = nextCounter(last, epoch);
    if (counter > this.ctx.limits.zxidCounterMax) {
      const refusal = this.refuse('zxid-overflow');
      this.ctx.goLooking('zxid counter exhausted: a new epoch is needed');
      return refusal;
    }
    const entry: LogEntry = { zxid: makeZxid(epoch, counter), payload };
    this.ctx.appendEntry(entry);
    if (origin !== undefined && this.learners.has(origin)) this.originOf.set(entry.zxid, origin);
    // One message object for every follower: the transport may encode it once.
    const proposal = { type: 'proposal', prevZxid: last, entry } as const;
    for (const [id, h] of this.learners) {
      if (h.state === 'synced' && !h.observer) this.ctx.send(id, proposal);
    }
    if (this.ctx.mutations.commitWithoutQuorum) this.commit(entry.zxid);
    return { kind: 'proposed', zxid: entry.zxid };
  }

  private refuse(reason: ProposeRefusal): Output {
    return { kind: 'proposeRefused', reason, leaderId: this.ctx.myId };
  }

  private onFollowerInfo(from: ServerId, acceptedEpoch: number, observer: boolean): void {
    // A learner (re)connecting starts over: whatever we knew of its log is stale.
    this.learners.set(from, {
      observer,
      state: 'info',
      fresh: false,
      peerCurrentEpoch: -1,
      peerLastZxid: -1n,
      newLeaderZxid: -1n,
      newLeaderAcked: false,
      ackedZxid: -1n,
      lastHeardTick: this.nowTick,
    });
    if (this.epoch === null) {
      this.infoEpochs.set(from, acceptedEpoch);
      this.tryDecideEpoch();
    } else if (acceptedEpoch > this.epoch) {
      // Another leader attempt got this learner to promise a later epoch: it will never join ours.
      // Stand down so the next election picks an epoch above it (ZooKeeper would leave it out).
      this.ctx.goLooking(`learner ${from} accepted epoch ${acceptedEpoch}, above ours (${this.epoch})`);
    } else {
      this.ctx.send(from, { type: 'newEpoch', epoch: this.epoch });
    }
  }

  /** The new epoch is above every acceptedEpoch of a quorum of voters (and of any learner heard). */
  private tryDecideEpoch(): void {
    const voters = [...this.infoEpochs.keys()].filter((id) => this.ctx.isVoter(id) && !this.learners.get(id)?.observer).length;
    if (!this.hasQuorum(voters)) return;
    this.epoch = Math.max(...this.infoEpochs.values()) + 1;
    this.ctx.acceptedEpoch = this.epoch;
    this.ctx.persistEpochs();
    for (const [id, h] of this.learners) if (h.state === 'info') this.ctx.send(id, { type: 'newEpoch', epoch: this.epoch });
    this.checkDiscoveryQuorum();
  }

  private onAckEpoch(from: ServerId, h: LearnerHandler, currentEpoch: number, lastZxid: bigint, fresh: boolean): void {
    const mine = this.ctx.currentEpoch;
    if (currentEpoch > mine || (currentEpoch === mine && lastZxid > this.ctx.log.lastZxid)) {
      return this.ctx.goLooking(`learner ${from} has a more recent history (${currentEpoch}, ${lastZxid})`);
    }
    h.state = 'ackedEpoch';
    h.fresh = fresh;
    h.peerCurrentEpoch = currentEpoch;
    h.peerLastZxid = lastZxid;
    if (this.phaseValue === 'discovery') this.checkDiscoveryQuorum();
    else this.startSync(from, h);
  }

  /** Synchronization starts once a quorum of voters accepted the epoch just now (a re-ack does not count). */
  private checkDiscoveryQuorum(): void {
    if (this.phaseValue !== 'discovery' || this.epoch === null) return;
    let count = 1;
    for (const [id, h] of this.learners) if (h.state === 'ackedEpoch' && h.fresh && !h.observer && this.ctx.isVoter(id)) count += 1;
    if (!this.hasQuorum(count)) return;
    this.phaseValue = 'synchronization';
    this.phaseStartTick = this.nowTick;
    this.initialZxid = this.ctx.log.lastZxid;
    for (const [id, h] of this.learners) if (h.state === 'ackedEpoch') this.startSync(id, h);
    this.checkEstablished();
  }

  /** DIFF, TRUNC or SNAP from the learner's last zxid, then our history, then NEWLEADER. */
  private startSync(id: ServerId, h: LearnerHandler): void {
    const log = this.ctx.log;
    const epoch = this.epoch as number;
    const peerLast = h.peerLastZxid;
    if (peerLast < log.base) {
      h.state = 'awaitSnapshot';
      if (!this.snapshotRequested) {
        this.snapshotRequested = true;
        this.ctx.emit({ kind: 'requestSnapshot' });
      }
      return;
    }
    let from: bigint;
    if (log.contains(peerLast)) {
      from = peerLast;
      this.ctx.send(id, { type: 'diff', epoch, fromZxid: from });
    } else {
      // The learner holds entries we do not: cut it back to the last zxid we share.
      from = peerLast > log.lastZxid ? log.lastZxid : (log.floor(peerLast) as bigint);
      if (this.ctx.mutations.skipTrunc) this.ctx.send(id, { type: 'diff', epoch, fromZxid: from });
      else this.ctx.send(id, { type: 'trunc', epoch, truncZxid: from });
    }
    this.sendHistory(id, h, from);
  }

  private sendHistory(id: ServerId, h: LearnerHandler, after: bigint): void {
    const log = this.ctx.log;
    let prev = after;
    for (const entry of log.slice(after)) {
      this.ctx.send(id, { type: 'proposal', prevZxid: prev, entry });
      prev = entry.zxid;
    }
    h.state = 'synced';
    h.newLeaderZxid = log.lastZxid;
    h.lastHeardTick = this.nowTick;
    this.ctx.send(id, { type: 'newLeader', epoch: this.epoch as number, zxid: log.lastZxid });
  }

  private onAck(_from: ServerId, h: LearnerHandler, zxid: bigint): void {
    if (zxid > this.ctx.log.lastZxid) return;
    if (zxid > h.ackedZxid) h.ackedZxid = zxid;
    if (!h.newLeaderAcked && h.ackedZxid >= h.newLeaderZxid) {
      h.newLeaderAcked = true;
      if (this.phaseValue === 'synchronization') this.checkEstablished();
      else if (this.phaseValue === 'broadcast') this.sendUpToDate(_from);
    }
    if (this.phaseValue === 'broadcast' && !h.observer) this.advanceCommit();
  }

  /** A quorum holds our history durably under the new epoch: it is committed and we may broadcast. */
  private checkEstablished(): void {
    if (this.phaseValue !== 'synchronization') return;
    let count = this.ctx.durableZxid >= this.initialZxid ? 1 : 0;
    for (const [id, h] of this.learners) if (h.newLeaderAcked && !h.observer && this.ctx.isVoter(id)) count += 1;
    if (count === 0 || !this.hasQuorum(count)) return;
    this.phaseValue = 'broadcast';
    this.ctx.currentEpoch = this.epoch as number;
    this.ctx.persistEpochs();
    this.ctx.setServing(true);
    this.commit(this.initialZxid);
    for (const [id, h] of this.learners) if (h.newLeaderAcked) this.sendUpToDate(id);
    this.advanceCommit();
  }

  private sendUpToDate(id: ServerId): void {
    this.ctx.send(id, { type: 'upToDate', epoch: this.epoch as number, commitZxid: this.ctx.commitZxid });
  }

  /**
   * Commit the highest zxid a quorum of voters (us included) holds durably: the quorum-th highest ack. Found
   * in a reused array by selection, not by sorting a new one: this runs on every ACK and every local flush.
   */
  private advanceCommit(): void {
    const acks = this.ackScratch;
    acks.length = 0;
    acks.push(this.ctx.durableZxid);
    for (const [id, h] of this.learners) if (h.newLeaderAcked && !h.observer && this.ctx.isVoter(id)) acks.push(h.ackedZxid);
    const needed = this.quorumSize();
    if (acks.length < needed) return;
    // A voter set is a handful of servers: selection sort of the first `needed` places, in place.
    for (let i = 0; i < needed; i++) {
      let highest = i;
      for (let j = i + 1; j < acks.length; j++) if ((acks[j] as bigint) > (acks[highest] as bigint)) highest = j;
      const swap = acks[i] as bigint;
      acks[i] = acks[highest] as bigint;
      acks[highest] = swap;
    }
    const candidate = acks[needed - 1] as bigint;
    if (candidate > this.ctx.commitZxid) this.commit(candidate);
  }

  /**
   * Tells the learners before delivering here, as ZooKeeper's leader does: a follower's client waits for the
   * COMMIT, not for the leader's own apply (which took ~25 µs of the 3-server 1 × 1 write's critical path).
   */
  private commit(zxid: bigint): void {
    const before = this.ctx.commitZxid;
    if (zxid <= before) return;
    const informs = this.ctx.log.slice(before, zxid);
    for (const id of this.commitOrder(informs)) {
      const h = this.learners.get(id) as LearnerHandler;
      if (h.state !== 'synced') continue;
      if (!h.observer) {
        this.ctx.send(id, { type: 'commit', zxid });
        continue;
      }
      let prev = before;
      for (const entry of informs) {
        this.ctx.send(id, { type: 'inform', prevZxid: prev, entry });
        prev = entry.zxid;
      }
    }
    this.ctx.commitTo(zxid);
  }

  /**
   * The learners a commit goes to, those that forwarded one of its writes first. On a loaded machine the
   * first COMMIT written wakes its follower, which may run before the leader writes the next one: the
   * follower whose client is waiting should not be the one that waits.
   */
  private commitOrder(committed: readonly LogEntry[]): Iterable<ServerId> {
    if (this.originOf.size === 0) return this.learners.keys();
    const order = new Set<ServerId>();
    for (const entry of committed) {
      const origin = this.originOf.get(entry.zxid);
      if (origin === undefined) continue;
      this.originOf.delete(entry.zxid);
      if (this.learners.has(origin)) order.add(origin);
    }
    for (const id of this.learners.keys()) order.add(id);
    return order;
  }

  private quorumSize(): number {
    return this.ctx.mutations.quorumOfOne ? 1 : Math.floor(this.ctx.voters.length / 2) + 1;
  }

  private hasQuorum(count: number): boolean {
    return count >= this.quorumSize();
  }
}
