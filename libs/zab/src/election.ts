// Fast leader election (ZooKeeper's FastLeaderElection.lookForLeader) as a pure state machine, alive
// only while its server is looking. Voters exchange notifications and adopt the best vote (epoch,
// zxid, id); a quorum agreeing ends it after a finalize wait of ticks (at once when every voter
// agrees). Observers never vote: they decide when a quorum of voters reports the same leader.

import type { Notification, PeerState, Vote } from './messages';
import { compareVotes, sameVote } from './messages';
import type { ServerId } from './types';

interface Seen {
  readonly vote: Vote;
  readonly state: PeerState;
  readonly round: number;
}

export interface ElectionStep {
  readonly sends: Array<{ to: ServerId; message: Notification }>;
  readonly decided: { vote: Vote; round: number } | null;
}

export interface ElectionSetup {
  readonly myId: ServerId;
  readonly voters: readonly ServerId[];
  readonly isObserver: boolean;
  readonly resendTicks: number;
  readonly finalizeWaitTicks: number;
}

export class Election {
  private proposal: Vote;
  private readonly recvset = new Map<ServerId, Seen>();
  private readonly outOfElection = new Map<ServerId, Seen>();
  private finalizeTicksLeft: number | null = null;
  private ticksSinceSend = 0;

  constructor(
    private readonly setup: ElectionSetup,
    private readonly selfVote: Vote,
    private roundValue: number,
  ) {
    this.proposal = selfVote;
  }

  get round(): number {
    return this.roundValue;
  }

  get vote(): Vote {
    return this.proposal;
  }

  notification(): Notification {
    return { type: 'notification', vote: this.proposal, round: this.roundValue, state: 'looking' };
  }

  /** The notifications that open the round. */
  start(): ElectionStep {
    if (!this.setup.isObserver) this.recvset.set(this.setup.myId, { vote: this.proposal, state: 'looking', round: this.roundValue });
    return { sends: this.broadcast(), decided: this.setup.isObserver ? null : this.checkLookingQuorum() };
  }

  onTick(): ElectionStep {
    const sends: ElectionStep['sends'] = [];
    this.ticksSinceSend += 1;
    if (this.ticksSinceSend >= this.setup.resendTicks) sends.push(...this.broadcast());
    if (this.finalizeTicksLeft !== null) {
      this.finalizeTicksLeft -= 1;
      if (this.finalizeTicksLeft <= 0) return { sends, decided: { vote: this.proposal, round: this.roundValue } };
    }
    return { sends, decided: null };
  }

  onNotification(from: ServerId, n: Notification): ElectionStep {
    const isVoter = this.setup.voters.includes(from);
    if (!isVoter) {
      // An observer asking who leads: tell it what we think (it ignores looking votes).
      return { sends: this.setup.isObserver ? [] : [{ to: from, message: this.notification() }], decided: null };
    }
    if (n.state === 'looking') return this.setup.isObserver ? { sends: [], decided: null } : this.onLooking(from, n);
    return this.onSettled(from, n);
  }

  private onLooking(from: ServerId, n: Notification): ElectionStep {
    const sends: ElectionStep['sends'] = [];
    const before = this.recvset.get(from);
    const heardLookingBefore = before !== undefined && before.state === 'looking' && before.round === n.round;
    if (n.round > this.roundValue) {
      this.roundValue = n.round;
      this.recvset.clear();
      this.finalizeTicksLeft = null;
      this.proposal = compareVotes(n.vote, this.selfVote) > 0 ? n.vote : this.selfVote;
      sends.push(...this.broadcast());
    } else if (n.round < this.roundValue) {
      // A straggler: answer so it catches up with our round.
      return { sends: [{ to: from, message: this.notification() }], decided: null };
    } else if (compareVotes(n.vote, this.proposal) > 0) {
      this.proposal = n.vote;
      this.finalizeTicksLeft = null;
      sends.push(...this.broadcast());
    } else if (compareVotes(n.vote, this.proposal) < 0 && !heardLookingBefore) {
      // The sender's first vote of our round, and worse than ours: it may have started looking after us, our
      // notification reaching it while it still followed the leader both lost (it answered as a follower).
      // Tell it now rather than at the next resend, a finalize wait later (300 ms of a failover in the
      // benchmark); once per sender and round, so a simultaneous start adds a message per pair at most.
      sends.push({ to: from, message: this.notification() });
    }
    this.recvset.set(from, { vote: n.vote, state: 'looking', round: n.round });
    this.recvset.set(this.setup.myId, { vote: this.proposal, state: 'looking', round: this.roundValue });
    return { sends, decided: this.checkLookingQuorum() };
  }

  private checkLookingQuorum(): ElectionStep['decided'] {
    const agreeing = this.setup.voters.filter((id) => {
      const seen = this.recvset.get(id);
      return seen !== undefined && seen.state === 'looking' && seen.round === this.roundValue && sameVote(seen.vote, this.proposal);
    }).length;
    if (agreeing === this.setup.voters.length) return { vote: this.proposal, round: this.roundValue };
    if (this.isQuorum(agreeing)) {
      if (this.finalizeTicksLeft === null) this.finalizeTicksLeft = this.setup.finalizeWaitTicks;
      if (this.finalizeTicksLeft <= 0) return { vote: this.proposal, round: this.roundValue };
    } else {
      this.finalizeTicksLeft = null;
    }
    return null;
  }

  private onSettled(from: ServerId, n: Notification): ElectionStep {
    const seen: Seen = { vote: n.vote, state: n.state, round: n.round };
    if (!this.setup.isObserver && n.round === this.roundValue) {
      this.recvset.set(from, seen);
      if (this.settledQuorum(this.recvset, n.vote) && this.checkLeader(this.recvset, n.vote.leader, n.round)) {
        return { sends: [], decided: { vote: n.vote, round: n.round } };
      }
    }
    this.outOfElection.set(from, seen);
    if (this.settledQuorum(this.outOfElection, n.vote) && this.checkLeader(this.outOfElection, n.vote.leader, n.round)) {
      this.roundValue = n.round;
      return { sends: [], decided: { vote: n.vote, round: n.round } };
    }
    return { sends: [], decided: null };
  }

  /**
   * Settled servers agree when they follow the same leader. Their votes' zxid and epoch date from the
   * round each one settled in, which differ once servers rejoin (ZooKeeper compares ids only too, when
   * vote versions differ); the discovery phase, not the election, is what keeps histories safe.
   */
  private settledQuorum(set: Map<ServerId, Seen>, vote: Vote): boolean {
    const agreeing = this.setup.voters.filter((id) => {
      const seen = set.get(id);
      return seen !== undefined && seen.vote.leader === vote.leader;
    }).length;
    return this.isQuorum(agreeing);
  }

  /** Never follow a leader that has not said it leads; never lead on an old round's word. */
  private checkLeader(set: Map<ServerId, Seen>, leader: ServerId, round: number): boolean {
    if (leader !== this.setup.myId) return set.get(leader)?.state === 'leading';
    return this.roundValue === round;
  }

  private isQuorum(count: number): boolean {
    return count * 2 > this.setup.voters.length;
  }

  private broadcast(): ElectionStep['sends'] {
    this.ticksSinceSend = 0;
    const message = this.notification();
    return this.setup.voters.filter((id) => id !== this.setup.myId).map((to) => ({ to, message }));
  }
}
