// The messages servers exchange: election notifications (the election port in ZooKeeper) and the
// quorum protocol (discovery, synchronization, broadcast; the quorum port). Plain data, one union.

import type { LogEntry, ServerId } from './types';

/** A vote in fast leader election: the proposed leader and the history it would bring. */
export interface Vote {
  readonly leader: ServerId;
  /** The proposed leader's last logged zxid. */
  readonly zxid: bigint;
  /** The proposed leader's currentEpoch. */
  readonly epoch: number;
}

export type PeerState = 'looking' | 'following' | 'leading' | 'observing';

export interface Notification {
  readonly type: 'notification';
  readonly vote: Vote;
  /** The sender's election round (ZooKeeper's electionEpoch / logicalclock). */
  readonly round: number;
  readonly state: PeerState;
}

/** Learner → leader: the first message of discovery. */
export interface FollowerInfo {
  readonly type: 'followerInfo';
  readonly acceptedEpoch: number;
  readonly observer: boolean;
}
/** Leader → learner: the epoch the leader proposes to establish. */
export interface NewEpoch {
  readonly type: 'newEpoch';
  readonly epoch: number;
}
/** Learner → leader: the learner's history summary; `fresh` when it accepted the epoch just now. */
export interface AckEpoch {
  readonly type: 'ackEpoch';
  readonly epoch: number;
  readonly currentEpoch: number;
  readonly lastZxid: bigint;
  readonly fresh: boolean;
}
/** Leader → learner: how the learner's log is brought to the leader's history. Proposals follow. */
export type SyncStart =
  | { readonly type: 'diff'; readonly epoch: number; readonly fromZxid: bigint }
  | { readonly type: 'trunc'; readonly epoch: number; readonly truncZxid: bigint }
  | { readonly type: 'snap'; readonly epoch: number; readonly snapshotZxid: bigint; readonly snapshot: Uint8Array };
/** Leader → learner: end of the synced history; the learner adopts the epoch and acks. */
export interface NewLeader {
  readonly type: 'newLeader';
  readonly epoch: number;
  readonly zxid: bigint;
}
/** Leader → learner: the learner may serve; everything up to commitZxid is committed. */
export interface UpToDate {
  readonly type: 'upToDate';
  readonly epoch: number;
  readonly commitZxid: bigint;
}
/** Leader → followers (and the sync diff to any learner). prevZxid makes a lost message a detected gap. */
export interface Proposal {
  readonly type: 'proposal';
  readonly prevZxid: bigint;
  readonly entry: LogEntry;
}
/** Learner → leader: cumulative: "my log is durable up to zxid" (only after NEWLEADER). */
export interface Ack {
  readonly type: 'ack';
  readonly zxid: bigint;
}
/** Leader → followers: cumulative commit point. */
export interface Commit {
  readonly type: 'commit';
  readonly zxid: bigint;
}
/** Leader → observers: a committed entry with its payload. */
export interface Inform {
  readonly type: 'inform';
  readonly prevZxid: bigint;
  readonly entry: LogEntry;
}
/** Both ways: liveness. The leader's carries its commit point; a synced learner's its durable zxid. */
export interface Ping {
  readonly type: 'ping';
  readonly zxid: bigint;
}

export type QuorumMessage = FollowerInfo | NewEpoch | AckEpoch | SyncStart | NewLeader | UpToDate | Proposal | Ack | Commit | Inform | Ping;
export type Message = Notification | QuorumMessage;

/** Election notifications travel on ZooKeeper's election port, everything else on the quorum port. */
export function isElectionMessage(message: Message): message is Notification {
  return message.type === 'notification';
}

/** Orders votes: epoch, then zxid, then server id (FastLeaderElection.totalOrderPredicate). */
export function compareVotes(a: Vote, b: Vote): number {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  if (a.zxid !== b.zxid) return a.zxid < b.zxid ? -1 : 1;
  if (a.leader !== b.leader) return a.leader < b.leader ? -1 : 1;
  return 0;
}

export function sameVote(a: Vote, b: Vote): boolean {
  return compareVotes(a, b) === 0;
}
