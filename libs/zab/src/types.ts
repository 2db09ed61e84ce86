// The ZabPeer's contract with its driver (the quorum module or the simulator): configuration, the
// durable state it starts from, the inputs it steps on and the outputs the driver must carry out.

import type { Message, PeerState } from './messages';

export type ServerId = number;

/** One replicated txn: opaque bytes at a zxid. */
export interface LogEntry {
  readonly zxid: bigint;
  readonly payload: Uint8Array;
}

export interface TickLimits {
  /** Ticks a new leader may take to establish its epoch, and a learner to reach UPTODATE (ZooKeeper's initLimit). */
  readonly initLimitTicks: number;
  /** Ticks of silence after which a follower drops its leader and a leader drops a learner (syncLimit). */
  readonly syncLimitTicks: number;
  /** Ticks between re-sends of a looking server's notifications. */
  readonly electionTimeoutTicks: number;
  /** Ticks a looking voter waits after a quorum agrees, for a better vote, before deciding (finalizeWait). Default 1. */
  readonly finalizeWaitTicks?: number;
}

export interface PeerLimits {
  /** Proposals not yet committed the leader accepts before refusing with 'too-many-in-flight'. */
  readonly proposalsInFlightMax: number;
  /** Highest zxid counter before the leader refuses with 'zxid-overflow' and forces a new epoch. */
  readonly zxidCounterMax: bigint;
}

/** What survives a restart. The log holds the entries after snapshotZxid, in zxid order. */
export interface DurableState {
  readonly acceptedEpoch: number;
  readonly currentEpoch: number;
  readonly snapshotZxid: bigint;
  readonly log: readonly LogEntry[];
}

/** Deliberate protocol bugs, only for tests that prove the simulator's checks catch bugs. */
export interface ProtocolMutations {
  /** The leader commits a proposal as soon as it is proposed. */
  readonly commitWithoutQuorum?: boolean;
  /** The leader sends DIFF where TRUNC was needed (the learner keeps entries the leader does not have). */
  readonly skipTrunc?: boolean;
  /** The leader counts itself as a quorum for discovery and establishment. */
  readonly quorumOfOne?: boolean;
  /** A follower delivers only the entry a COMMIT names, not every entry up to it. */
  readonly commitDeliversNamedEntryOnly?: boolean;
}

export interface PeerConfig {
  readonly myId: ServerId;
  /** Participants: they vote and count for quorums. */
  readonly voters: readonly ServerId[];
  /** Observers: they learn the leader and every committed txn, never vote. */
  readonly observers: readonly ServerId[];
  readonly tickLimits: TickLimits;
  readonly durable: DurableState;
  readonly limits?: Partial<PeerLimits>;
  readonly mutations?: ProtocolMutations;
}

export type Role = PeerState;

export type ProposeRefusal = 'not-leader' | 'not-established' | 'too-many-in-flight' | 'zxid-overflow';

export type Input =
  /** A message from another server, as decoded from the wire. */
  | { readonly kind: 'message'; readonly from: ServerId; readonly message: Message }
  /** One tick of the clock (tickTime). */
  | { readonly kind: 'tick' }
  /** Storage made every entry up to zxid durable (in the order persistEntries asked). */
  | { readonly kind: 'persisted'; readonly zxid: bigint }
  /**
   * A client write at this server: accepted only by an established leader. `origin` names the learner that
   * forwarded it (its client waits for the COMMIT), which then hears the COMMIT before the other learners.
   */
  | { readonly kind: 'propose'; readonly payload: Uint8Array; readonly origin?: ServerId }
  /** Answer to requestSnapshot: the application's state as of its last delivered zxid. */
  | { readonly kind: 'snapshot'; readonly zxid: bigint; readonly bytes: Uint8Array }
  /** The application took a durable snapshot at zxid (≤ last delivered): log entries up to it may be forgotten. */
  | { readonly kind: 'compacted'; readonly zxid: bigint }
  /** The connection to a peer broke (optional: timeouts reach the same state, only later). */
  | { readonly kind: 'disconnected'; readonly peer: ServerId };

export type Output =
  | { readonly kind: 'send'; readonly to: ServerId; readonly message: Message }
  /** Append to the durable log (may be batched and made durable later); answer with `persisted`. */
  | { readonly kind: 'persistEntries'; readonly entries: readonly LogEntry[] }
  /** Must be durable before the driver carries out any later output. */
  | { readonly kind: 'persistEpochs'; readonly acceptedEpoch: number; readonly currentEpoch: number }
  /** Drop every log entry above afterZxid; durable before any later output. */
  | { readonly kind: 'truncateLog'; readonly afterZxid: bigint }
  /** Replace the application state and the whole log with this snapshot; durable before any later output. */
  | { readonly kind: 'installSnapshot'; readonly zxid: bigint; readonly bytes: Uint8Array }
  /** A committed txn: apply it. In zxid order, each once per incarnation of the peer. */
  | { readonly kind: 'deliver'; readonly zxid: bigint; readonly payload: Uint8Array }
  /** The leader needs the application's snapshot to SNAP-sync a learner: answer with a `snapshot` input. */
  | { readonly kind: 'requestSnapshot' }
  /** The answer to a `propose` input: the txn's zxid (delivered later, when committed). */
  | { readonly kind: 'proposed'; readonly zxid: bigint }
  | { readonly kind: 'proposeRefused'; readonly reason: ProposeRefusal; readonly leaderId: ServerId | null }
  /** Role or serving state changed. `serving` is true for an established leader and an UPTODATE learner. */
  | {
      readonly kind: 'roleChanged';
      readonly role: Role;
      readonly leaderId: ServerId | null;
      readonly epoch: number;
      readonly serving: boolean;
      /** Why the server went looking (for the log): a timeout, a gap, a learner ahead, ... */
      readonly reason?: string;
    };
