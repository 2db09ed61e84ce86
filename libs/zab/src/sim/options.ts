// The simulator's knobs and its report: cluster shape, fault mixes, checks, and what a run found.

import type { PeerLimits, ProtocolMutations, TickLimits } from '../types';
import type { InvariantKind, ViolationKind } from './invariants';

export interface FaultRates {
  /** Probability that one message is lost. */
  readonly lossRate: number;
  /** Per tick: a live server crashes. */
  readonly crashPerTick: number;
  /** Per tick: the network splits in two (when not already split). */
  readonly partitionPerTick: number;
  /** Per tick: a server snapshots its applied state and compacts its log. */
  readonly compactPerTick: number;
  /** Per tick: a client write arrives at a random server. */
  readonly proposePerTick: number;
}

export interface SimOptions {
  readonly seed: number;
  readonly voters?: number;
  readonly observers?: number;
  /** Ticks during which faults happen; then the network heals and every server restarts. */
  readonly faultTicks?: number;
  /** After faults stop: ticks within which a write must be delivered by every server. */
  readonly livenessBoundTicks?: number;
  readonly tickLimits?: TickLimits;
  readonly faults?: Partial<FaultRates>;
  readonly mutations?: ProtocolMutations;
  /** Peer limits, e.g. a tiny zxidCounterMax to force epoch changes by counter overflow. */
  readonly peerLimits?: Partial<PeerLimits>;
  readonly checks?: readonly InvariantKind[];
  readonly checkLiveness?: boolean;
  /** Encode and decode every message (exercises the codec; default true). */
  readonly roundTripCodec?: boolean;
  /** Keep the last N trace lines for the report (0: none). */
  readonly traceLimit?: number;
  /** When a server crashes, the others hear of it soon (as a TCP reset would tell): `disconnected` inputs. */
  readonly disconnectNotices?: boolean;
  /** Trace every message delivered (replays only: it is verbose). */
  readonly traceMessages?: boolean;
}

export interface SimResult {
  readonly seed: number;
  readonly ok: boolean;
  readonly violation: { kind: ViolationKind; message: string } | null;
  readonly voters: number;
  readonly observers: number;
  readonly profile: string;
  readonly ticks: number;
  readonly committed: number;
  readonly messages: number;
  readonly livenessTicks: number | null;
  readonly trace: readonly string[];
}

export const DEFAULT_TICK_LIMITS: TickLimits = { initLimitTicks: 10, syncLimitTicks: 5, electionTimeoutTicks: 2, finalizeWaitTicks: 1 };
/** Fault mixes a seed picks from when the options do not fix one. */
export const FAULT_PROFILES: Readonly<Record<string, FaultRates>> = {
  mixed: { lossRate: 0.01, crashPerTick: 0.04, partitionPerTick: 0.03, compactPerTick: 0.05, proposePerTick: 0.8 },
  crashy: { lossRate: 0.002, crashPerTick: 0.12, partitionPerTick: 0.01, compactPerTick: 0.1, proposePerTick: 1 },
  lossy: { lossRate: 0.05, crashPerTick: 0.02, partitionPerTick: 0.02, compactPerTick: 0.05, proposePerTick: 0.8 },
  splitty: { lossRate: 0.005, crashPerTick: 0.03, partitionPerTick: 0.1, compactPerTick: 0.05, proposePerTick: 0.9 },
};
