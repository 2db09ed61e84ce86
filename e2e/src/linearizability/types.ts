// The vocabulary of the linearizability checker: client operations on ZooKeeper znodes seen as registers,
// what the caller may tune, and what the checker answers.

/** The register behind one znode: its data and its data version (Stat.version). */
export interface RegisterState {
  readonly value: string;
  readonly version: number;
}

/**
 * What every recorded operation carries. Times are from one monotonic clock, in ms.
 * `completeMs` is when the client saw the answer; for an 'unknown' outcome it is when the client gave up,
 * which the checker ignores (the operation may take effect at any later time) and only prints.
 */
interface OperationTiming {
  readonly clientId: string;
  /** The znode path: each key is an independent register, checked on its own. */
  readonly key: string;
  readonly invokeMs: number;
  readonly completeMs: number;
}

/**
 * 'unknown' is a timeout or connection loss: the operation may or may not have taken effect, at any time
 * after its invocation, and whatever it would have returned is unconstrained.
 *
 * There is no 'fail' for write and read: an operation that definitely had no effect (say, the connection
 * was refused before the request was sent) constrains nothing, so the caller simply does not record it.
 */
export interface UnknownResult {
  readonly status: 'unknown';
}

/** setData without a version: always succeeds; `version` is the znode's version after it, if the caller has it. */
export interface WriteOp extends OperationTiming {
  readonly kind: 'write';
  readonly value: string;
  readonly result: { readonly status: 'ok'; readonly version?: number } | UnknownResult;
}

/**
 * setData with an expected version. 'fail' is BadVersion: the write had no effect, and it is still an
 * observation: at its linearization point the version differed from `expectedVersion`.
 */
export interface CasOp extends OperationTiming {
  readonly kind: 'cas';
  readonly value: string;
  readonly expectedVersion: number;
  readonly result: { readonly status: 'ok'; readonly version?: number } | { readonly status: 'fail' } | UnknownResult;
}

/** getData after sync: the data and the version it was read at. */
export interface ReadOp extends OperationTiming {
  readonly kind: 'read';
  readonly result: { readonly status: 'ok'; readonly value: string; readonly version: number } | UnknownResult;
}

export type RegisterOp = WriteOp | CasOp | ReadOp;

export interface CheckOptions {
  /** The state of every register before the history; default `{ value: '', version: 0 }`. */
  readonly initial?: RegisterState | ((key: string) => RegisterState);
  /**
   * Most search steps one search may take before the checker answers 'unknown' instead of hanging on
   * a history whose concurrency makes the search exponential. A step budget rather than a wall-clock
   * timeout, so that a verdict is the same on every machine and every run.
   */
  readonly searchStepsMax?: number;
  /** Most distinct register states carried across a window start (see failing-window.ts). */
  readonly windowStartStatesMax?: number;
}

export interface CheckStats {
  readonly keys: number;
  readonly operations: number;
  /** Searches run, the failing-window search included. */
  readonly searches: number;
  readonly searchSteps: number;
}

/**
 * A smallest failing window of one key's history: a contiguous (in time) sub-history that, started from
 * any of `startStates`, has no linearization. Its failure implies the whole history's (see failing-window.ts).
 */
export interface FailureReport {
  readonly key: string;
  /** Operations recorded on this key. */
  readonly keyOperations: number;
  /** The window's operations in invocation order. */
  readonly window: readonly RegisterOp[];
  /** The operations whose completion no linearization of the window can reach: they end the window. */
  readonly failingOps: readonly RegisterOp[];
  /** Window operations checked as 'unknown' because they completed after the failing ones. */
  readonly pendingOps: readonly RegisterOp[];
  /** Every way the register may have been when the window starts. */
  readonly starts: readonly WindowStart[];
  readonly explanation: string;
}

/** One way the history before a window can have left the register. */
export interface WindowStart {
  readonly state: RegisterState;
  /** Unknown operations that took effect before the window in this case (so not again inside it). */
  readonly unknownOpsApplied: readonly RegisterOp[];
}

export type CheckResult =
  | { readonly verdict: 'linearizable'; readonly stats: CheckStats }
  | { readonly verdict: 'not-linearizable'; readonly failure: FailureReport; readonly stats: CheckStats }
  | { readonly verdict: 'unknown'; readonly key: string; readonly explanation: string; readonly stats: CheckStats };
