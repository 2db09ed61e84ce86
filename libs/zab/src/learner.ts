// The learner half of a peer (ZooKeeper's Learner, Follower and Observer): register with the elected
// leader, accept its epoch, take its history (DIFF / TRUNC / SNAP), adopt the epoch on NEWLEADER once
// that history is durable, serve from UPTODATE on, then log proposals, ack them and deliver commits.
// Every gap (a lost message) or contradiction sends the learner back to election: it never guesses.

import { assert } from './assert';
import type { PeerContext } from './context';
import type { Message } from './messages';
import type { LogEntry, ServerId } from './types';

export type LearnerPhase = 'discovery' | 'awaitSync' | 'syncing' | 'synced' | 'broadcast';

export class LearnerState {
  private phaseValue: LearnerPhase = 'discovery';
  private epoch = -1;
  private newLeaderZxid = -1n;
  private newLeaderAcked = false;
  private ackSentZxid = -1n;
  private ticksSinceLeader = 0;

  constructor(
    private readonly ctx: PeerContext,
    readonly leaderId: ServerId,
    private readonly observer: boolean,
  ) {
    ctx.send(leaderId, { type: 'followerInfo', acceptedEpoch: ctx.acceptedEpoch, observer });
  }

  get phase(): LearnerPhase {
    return this.phaseValue;
  }

  onTick(): void {
    this.ticksSinceLeader += 1;
    // Until the leader answers, say FOLLOWERINFO again: the first one may have reached it while it was still
    // looking (it decided a moment after us) and been dropped. ZooKeeper's learner retries its connection.
    if (this.phaseValue === 'discovery') this.ctx.send(this.leaderId, { type: 'followerInfo', acceptedEpoch: this.ctx.acceptedEpoch, observer: this.observer });
    const { initLimitTicks, syncLimitTicks } = this.ctx.tickLimits;
    const limit = this.phaseValue === 'broadcast' ? syncLimitTicks : initLimitTicks;
    if (this.ticksSinceLeader > limit) this.ctx.goLooking(`no word from leader ${this.leaderId} for ${limit} ticks`);
  }

  onPersisted(): void {
    this.maybeAck();
  }

  onMessage(from: ServerId, message: Message): void {
    if (from !== this.leaderId) return;
    // Before UPTODATE only a step forward counts: a stalled sync (a lost message) must time out.
    const phaseBefore = this.phaseValue;
    if (phaseBefore === 'broadcast') this.ticksSinceLeader = 0;
    this.dispatch(message);
    if (this.phaseValue !== phaseBefore) this.ticksSinceLeader = 0;
  }

  private dispatch(message: Message): void {
    const lenient = this.ctx.mutations.skipTrunc === true;
    switch (message.type) {
      case 'newEpoch':
        return this.onNewEpoch(message.epoch);
      case 'diff':
      case 'trunc':
      case 'snap': {
        if (this.phaseValue !== 'awaitSync' || message.epoch !== this.epoch) return this.abandon(`unexpected ${message.type}`);
        if (message.type === 'diff') {
          if (message.fromZxid !== this.ctx.log.lastZxid && !lenient) return this.abandon(`DIFF from ${message.fromZxid} but our log ends at ${this.ctx.log.lastZxid}`);
        } else if (message.type === 'trunc') {
          assert(message.truncZxid >= this.ctx.commitZxid, `TRUNC to ${message.truncZxid} below committed ${this.ctx.commitZxid}`);
          this.ctx.truncateLog(message.truncZxid);
        } else {
          this.ctx.installSnapshot(message.snapshotZxid, message.snapshot);
        }
        this.phaseValue = 'syncing';
        return;
      }
      case 'proposal':
        if (this.observer && this.phaseValue === 'broadcast') return this.abandon('observers take INFORM, not PROPOSAL');
        this.onEntry(message.prevZxid, message.entry, lenient);
        return;
      case 'newLeader': {
        if (this.phaseValue !== 'syncing' || message.epoch !== this.epoch || message.epoch !== this.ctx.acceptedEpoch) return this.abandon('unexpected NEWLEADER');
        if (message.zxid !== this.ctx.log.lastZxid && !lenient) return this.abandon(`NEWLEADER at ${message.zxid} but our log ends at ${this.ctx.log.lastZxid}`);
        this.phaseValue = 'synced';
        this.newLeaderZxid = message.zxid;
        this.maybeAck();
        return;
      }
      case 'upToDate': {
        if (this.phaseValue !== 'synced' || !this.newLeaderAcked) return this.abandon('UPTODATE before our NEWLEADER ack');
        if (!this.commit(message.commitZxid)) return;
        this.phaseValue = 'broadcast';
        this.ctx.setServing(true);
        return;
      }
      case 'commit':
        if (!this.synced()) return this.abandon('COMMIT before NEWLEADER');
        if (this.ctx.mutations.commitDeliversNamedEntryOnly && this.phaseValue === 'broadcast' && message.zxid <= this.ctx.log.lastZxid) {
          this.ctx.deliverNamedOnly(message.zxid);
        }
        this.commit(message.zxid);
        return;
      case 'inform': {
        if (!this.synced()) return this.abandon('INFORM before NEWLEADER');
        const z = message.entry.zxid;
        if (z > this.ctx.log.lastZxid && !this.onEntry(message.prevZxid, message.entry, lenient)) return;
        if (this.ctx.log.get(z) === undefined && z > this.ctx.log.base) return this.abandon(`INFORM ${z} not in our log`);
        this.commit(z);
        return;
      }
      case 'ping':
        if (this.synced() && !this.commit(message.zxid)) return;
        this.ctx.send(this.leaderId, { type: 'ping', zxid: this.newLeaderAcked ? this.ctx.durableZxid : -1n });
        return;
      default:
        return;
    }
  }

  private synced(): boolean {
    return this.phaseValue === 'synced' || this.phaseValue === 'broadcast';
  }

  private onNewEpoch(epoch: number): void {
    // The answer to a repeated FOLLOWERINFO: already taken.
    if (this.phaseValue !== 'discovery' && epoch === this.epoch) return;
    if (this.phaseValue !== 'discovery') return this.abandon('unexpected NEWEPOCH');
    if (epoch < this.ctx.acceptedEpoch) return this.abandon(`NEWEPOCH ${epoch} below our accepted epoch ${this.ctx.acceptedEpoch}`);
    const fresh = epoch > this.ctx.acceptedEpoch;
    if (fresh) {
      this.ctx.acceptedEpoch = epoch;
      this.ctx.persistEpochs();
    }
    this.epoch = epoch;
    this.phaseValue = 'awaitSync';
    this.ctx.send(this.leaderId, { type: 'ackEpoch', epoch, currentEpoch: this.ctx.currentEpoch, lastZxid: this.ctx.log.lastZxid, fresh });
  }

  /** Append the next entry of the leader's stream; a broken chain means a lost message. */
  private onEntry(prevZxid: bigint, entry: LogEntry, lenient: boolean): boolean {
    if (this.phaseValue === 'discovery' || this.phaseValue === 'awaitSync') {
      this.abandon('PROPOSAL before synchronization');
      return false;
    }
    const last = this.ctx.log.lastZxid;
    if ((prevZxid !== last && !lenient) || entry.zxid <= last) {
      this.abandon(`entry ${entry.zxid} follows ${prevZxid} but our log ends at ${last}`);
      return false;
    }
    this.ctx.appendEntry(entry);
    return true;
  }

  private commit(zxid: bigint): boolean {
    if (zxid > this.ctx.log.lastZxid) {
      this.abandon(`commit ${zxid} beyond our log end ${this.ctx.log.lastZxid}`);
      return false;
    }
    this.ctx.commitTo(zxid);
    return true;
  }

  /** NEWLEADER is acked only once the synced history is durable, and the epoch is adopted then. */
  private maybeAck(): void {
    if (!this.synced()) return;
    if (!this.newLeaderAcked) {
      if (this.ctx.durableZxid < this.newLeaderZxid) return;
      this.ctx.currentEpoch = this.epoch;
      this.ctx.persistEpochs();
      this.newLeaderAcked = true;
    } else if (this.observer) {
      return;
    }
    if (this.ctx.durableZxid > this.ackSentZxid) {
      this.ackSentZxid = this.ctx.durableZxid;
      this.ctx.send(this.leaderId, { type: 'ack', zxid: this.ctx.durableZxid });
    }
  }

  private abandon(reason: string): void {
    this.ctx.goLooking(`leaving leader ${this.leaderId}: ${reason}`);
  }
}
