// @zk/zab: ZooKeeper's atomic broadcast as pure state machines — fast leader election, discovery,
// synchronization, broadcast — driven by step(input) → outputs, plus a deterministic simulator.
export { assert, AssertionError } from './assert';
export { ZabPeer } from './peer';
export type { PeerStatus } from './peer';
export type { LeaderStatus, LeaderPhase } from './leader';
export type { LearnerPhase } from './learner';
export type {
  ServerId,
  LogEntry,
  TickLimits,
  PeerLimits,
  DurableState,
  PeerConfig,
  ProtocolMutations,
  Role,
  ProposeRefusal,
  Input,
  Output,
} from './types';
export type { Message, QuorumMessage, Notification, Vote, PeerState } from './messages';
export { isElectionMessage, compareVotes } from './messages';
export { encodeMessage, decodeMessage, CodecError } from './codec';
export { describeMessage, describeOutput } from './describe';
export { makeZxid, epochOf, counterOf, formatZxid, ZXID_COUNTER_MAX } from './zxid';
export { simulate, replayHint, Simulation, FAULT_PROFILES } from './sim/cluster';
export type { SimOptions, SimResult, FaultRates } from './sim/options';
export { InvariantChecker, InvariantViolation } from './sim/invariants';
export type { InvariantKind, ViolationKind } from './sim/invariants';
