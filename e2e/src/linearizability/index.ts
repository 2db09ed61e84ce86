// Linearizability checking of client histories recorded against a ZooKeeper ensemble, znodes as registers.
// Usage: record every operation with its times and outcome, then `checkHistory(ops)`; on failure,
// `formatFailure(result)` prints the smallest failing window.

export { checkHistory, DEFAULT_INITIAL_STATE, DEFAULT_SEARCH_STEPS_MAX, DEFAULT_WINDOW_START_STATES_MAX } from './check';
export { formatFailure } from './format';
export type {
  CasOp,
  CheckOptions,
  CheckResult,
  CheckStats,
  FailureReport,
  ReadOp,
  RegisterOp,
  RegisterState,
  UnknownResult,
  WriteOp,
} from './types';
