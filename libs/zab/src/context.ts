// What the leader and learner halves of a peer share: its durable mirrors, its log, its commit and
// delivery points, and the output buffer. Implemented by ZabPeer; kept narrow so each half reads alone.

import type { Message } from './messages';
import type { ZabLog } from './log';
import type { Output, PeerLimits, ProtocolMutations, ServerId, TickLimits } from './types';

export interface PeerContext {
  readonly myId: ServerId;
  readonly voters: readonly ServerId[];
  readonly tickLimits: TickLimits;
  readonly limits: PeerLimits;
  readonly mutations: ProtocolMutations;
  readonly log: ZabLog;
  acceptedEpoch: number;
  currentEpoch: number;
  /** Every log entry up to here is durable. */
  durableZxid: bigint;
  /** Every log entry up to here is known committed. */
  readonly commitZxid: bigint;
  readonly deliveredZxid: bigint;

  isVoter(id: ServerId): boolean;
  isQuorum(voterCount: number): boolean;
  send(to: ServerId, message: Message): void;
  emit(output: Output): void;
  /** Queue an appended entry for the step's persistEntries batch. */
  appendEntry(entry: import('./types').LogEntry): void;
  persistEpochs(): void;
  truncateLog(afterZxid: bigint): void;
  installSnapshot(zxid: bigint, bytes: Uint8Array): void;
  /** Raise the commit point (never past the log) and deliver if serving. */
  commitTo(zxid: bigint): void;
  /** Deliver only the entry at zxid (the commitDeliversNamedEntryOnly mutation). */
  deliverNamedOnly(zxid: bigint): void;
  setServing(serving: boolean): void;
  /** Abandon the current leader/learner role and start an election. */
  goLooking(reason: string): void;
}
