// The entry point: checks a recorded history key by key, and for the first key that fails (in key order)
// reports a smallest failing window. Pure: no I/O, no clock.

import { findFailingWindow, type SearchTally } from './failing-window';
import { historyUntil, partitionByKey } from './history';
import { formatStart } from './format';
import { registerModel } from './register-model';
import { findLinearization } from './wgl-search';
import type { CheckOptions, CheckResult, FailureReport, RegisterOp, RegisterState } from './types';

export const DEFAULT_INITIAL_STATE: RegisterState = { value: '', version: 0 };
/** Ample for thousands of operations at the concurrency of a handful of clients (a few steps per op). */
export const DEFAULT_SEARCH_STEPS_MAX = 5_000_000;
export const DEFAULT_WINDOW_START_STATES_MAX = 64;

function initialFor(key: string, options: CheckOptions): RegisterState {
  const initial = options.initial ?? DEFAULT_INITIAL_STATE;
  return typeof initial === 'function' ? initial(key) : initial;
}

export function checkHistory(ops: readonly RegisterOp[], options: CheckOptions = {}): CheckResult {
  const byKey = partitionByKey(ops);
  const tally: SearchTally = { stepsMax: options.searchStepsMax ?? DEFAULT_SEARCH_STEPS_MAX, searches: 0, steps: 0 };
  const stats = () => ({ keys: byKey.size, operations: ops.length, searches: tally.searches, searchSteps: tally.steps });
  let undecided: { key: string; explanation: string } | undefined;

  for (const [key, keyOps] of byKey) {
    const initial = initialFor(key, options);
    const outcome = findLinearization(historyUntil(keyOps, Infinity), initial, registerModel, tally.stepsMax);
    tally.searches++;
    tally.steps += outcome.steps;
    if (outcome.kind === 'linearizable') continue;
    if (outcome.kind === 'budget-exceeded') {
      // Keep going: a definite failure on another key is worth more than "unknown".
      undecided ??= {
        key,
        explanation: `search for key ${key} (${keyOps.length} operations) stopped after ${outcome.steps} steps (searchStepsMax)`,
      };
      continue;
    }
    const windowStartStatesMax = options.windowStartStatesMax ?? DEFAULT_WINDOW_START_STATES_MAX;
    const window = findFailingWindow(keyOps, initial, windowStartStatesMax, tally);
    const failure: FailureReport = {
      key,
      keyOperations: keyOps.length,
      window: window.ops.map((op) => op.source),
      failingOps: window.failingOps,
      pendingOps: window.pendingOps,
      starts: window.starts,
      explanation:
        `no order of these ${window.ops.length} operations on ${key}, consistent with their real-time order and ` +
        `starting from ${window.starts.map(formatStart).join(' or ')}, lets the marked operation` +
        `${window.failingOps.length > 1 ? 's' : ''} complete at t=${window.endMs} with the recorded result`,
    };
    return { verdict: 'not-linearizable', failure, stats: stats() };
  }
  if (undecided !== undefined) return { verdict: 'unknown', ...undecided, stats: stats() };
  return { verdict: 'linearizable', stats: stats() };
}
