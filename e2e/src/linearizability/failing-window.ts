// Shrinks a non-linearizable key history to a smallest failing window, so that a report shows the handful
// of operations that conflict rather than thousands: first the earliest end that fails, then the latest
// quiet start that still fails from every state the register can have there. Every reported window has
// been checked to fail, and each shrinking step keeps "this window fails => the whole history fails".

import { assert } from './assert';
import { historyUntil, type CheckedOp } from './history';
import { registerModel } from './register-model';
import { collectFinalStates, findLinearization } from './wgl-search';
import type { RegisterOp, RegisterState, WindowStart } from './types';

export interface SearchTally {
  readonly stepsMax: number;
  searches: number;
  steps: number;
}

export interface FailingWindow {
  /** Checked operations of the window, by invocation time. */
  readonly ops: readonly CheckedOp[];
  readonly endMs: number;
  readonly failingOps: readonly RegisterOp[];
  /** Recorded with a result, but checked as unknown: they completed after `endMs`. */
  readonly pendingOps: readonly RegisterOp[];
  readonly starts: readonly WindowStart[];
}

function withoutApplied(ops: readonly CheckedOp[], start: WindowStart): CheckedOp[] {
  return ops.filter((op) => !start.unknownOpsApplied.includes(op.source));
}

function fails(ops: readonly CheckedOp[], starts: readonly WindowStart[], tally: SearchTally): boolean {
  // A window fails only if no start explains it; a search out of budget proves nothing.
  return starts.every((start) => {
    const outcome = findLinearization(withoutApplied(ops, start), start.state, registerModel, tally.stepsMax);
    tally.searches++;
    tally.steps += outcome.steps;
    return outcome.kind === 'not-linearizable';
  });
}

/**
 * The end: the earliest completion time T such that the history as it stood at T (historyUntil) already
 * fails. Failing at T implies failing at every later T', so a binary search finds it. The largest T is
 * equivalent to the whole history, which the caller has found to fail, so the search starts from a failure.
 */
function earliestFailingEnd(keyOps: readonly RegisterOp[], initial: RegisterState, tally: SearchTally): number {
  const ends = [...new Set(keyOps.filter((op) => op.result.status !== 'unknown').map((op) => op.completeMs))].sort(
    (a, b) => a - b,
  );
  assert(ends.length > 0, 'a history with no completed operation cannot fail');
  const start: WindowStart = { state: initial, unknownOpsApplied: [] };
  let lo = 0;
  let hi = ends.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (fails(historyUntil(keyOps, ends[mid]), [start], tally)) hi = mid;
    else lo = mid + 1;
  }
  return ends[hi];
}

interface StartCut {
  /** The window holds the definite operations invoked at or after this time. */
  readonly fromMs: number;
  readonly starts: readonly WindowStart[];
}

function startKey(start: WindowStart, ops: readonly CheckedOp[]): string {
  const applied = start.unknownOpsApplied.map((source) => ops.findIndex((op) => op.source === source));
  return `${registerModel.stateKey(start.state)}|${applied.sort((a, b) => a - b).join(',')}`;
}

/**
 * Candidate starts: quiet points, where every definite operation invoked before has completed, and no
 * operation still running at the window's end (a pending one) has begun: pending operations are
 * concurrent with the failure, and the report should show them.
 *
 * Each prefix up to a quiet point is linearized on its own, carrying forward every way it can end: the
 * state, and which unknown operations took effect (unknown operations may take effect at any time, so
 * those that did not stay candidates in later segments and in the window). A window is then checked
 * from each of these starts, which together are exactly what the real register could have been.
 */
function startCuts(truncated: readonly CheckedOp[], initial: RegisterState, startsMax: number, tally: SearchTally): StartCut[] {
  const definite = truncated.filter((op) => !op.optional);
  const optional = truncated.filter((op) => op.optional);
  const pending = optional.filter((op) => op.source.result.status !== 'unknown');
  const firstPendingMs = Math.min(...pending.map((op) => op.invokeMs));
  const cutTimes = [...new Set([...definite, ...pending].map((op) => op.invokeMs))].sort((a, b) => a - b);
  const cuts: StartCut[] = [{ fromMs: -Infinity, starts: [{ state: initial, unknownOpsApplied: [] }] }];
  for (const cutMs of cutTimes) {
    if (cutMs > firstPendingMs) break;
    const previousCut = cuts[cuts.length - 1];
    const segmentDefinite = definite.filter((op) => op.invokeMs >= previousCut.fromMs && op.invokeMs < cutMs);
    const quiet = segmentDefinite.length > 0 && segmentDefinite.every((op) => op.completeMs < cutMs);
    if (!quiet) continue;
    const segment = [...segmentDefinite, ...optional.filter((op) => op.invokeMs < cutMs)];
    const reached = new Map<string, WindowStart>();
    for (const start of previousCut.starts) {
      const ops = withoutApplied(segment, start);
      const outcome = collectFinalStates(ops, start.state, registerModel, tally.stepsMax);
      tally.searches++;
      tally.steps += outcome.steps;
      // Without every way the prefix can end, a window check from here could condemn a correct history.
      if (outcome.kind === 'budget-exceeded') return cuts;
      for (const final of outcome.finals) {
        const applied = [...start.unknownOpsApplied, ...final.optionalLinearized.map((k) => ops[k].source)];
        const next = { state: final.state, unknownOpsApplied: applied };
        reached.set(startKey(next, truncated), next);
      }
    }
    if (reached.size === 0 || reached.size > startsMax) return cuts;
    const starts = [...reached.values()].sort((a, b) => a.state.version - b.state.version || a.state.value.localeCompare(b.state.value));
    cuts.push({ fromMs: cutMs, starts });
  }
  return cuts;
}

/** Precondition: the key's whole history, from `initial`, has been found not linearizable. */
export function findFailingWindow(
  keyOps: readonly RegisterOp[],
  initial: RegisterState,
  startsMax: number,
  tally: SearchTally,
): FailingWindow {
  const endMs = earliestFailingEnd(keyOps, initial, tally);
  const truncated = historyUntil(keyOps, endMs);
  const windowFrom = (cut: StartCut): CheckedOp[] => {
    const definite = truncated.filter((op) => !op.optional && op.invokeMs >= cut.fromMs);
    // An unknown operation is no part of the window if it took effect before it in every case, or if it is
    // a CAS expecting a version older than every start state (versions only grow, so it can never apply).
    const versionMin = Math.min(...cut.starts.map((start) => start.state.version));
    const canApply = (op: CheckedOp) => op.action.kind !== 'cas' || op.action.expectedVersion >= versionMin;
    const optional = truncated.filter(
      (op) => op.optional && canApply(op) && cut.starts.some((start) => !start.unknownOpsApplied.includes(op.source)),
    );
    return [...definite, ...optional].sort((a, b) => a.invokeMs - b.invokeMs);
  };

  // The latest start whose window still fails; cuts[0] (the whole truncated history) is known to fail.
  // Later starts fail less often, so a binary search keeps a verified failing start in `lo`.
  const cuts = startCuts(truncated, initial, startsMax, tally);
  let lo = 0;
  let hi = cuts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (fails(windowFrom(cuts[mid]), cuts[mid].starts, tally)) lo = mid;
    else hi = mid - 1;
  }
  const ops = windowFrom(cuts[lo]);
  return {
    ops,
    endMs,
    failingOps: ops.filter((op) => !op.optional && op.completeMs === endMs).map((op) => op.source),
    pendingOps: ops.filter((op) => op.optional && op.source.result.status !== 'unknown').map((op) => op.source),
    starts: cuts[lo].starts,
  };
}
