// Human-readable verdicts for test failures: the smallest failing window, one operation per line, with
// its times, so the conflict can be read off without opening the recorded history.

import { assertNever } from './assert';
import { formatState } from './register-model';
import type { CheckResult, RegisterOp, WindowStart } from './types';

function describeCall(op: RegisterOp): string {
  switch (op.kind) {
    case 'write':
      return `write ${JSON.stringify(op.value)}`;
    case 'cas':
      return `cas ${JSON.stringify(op.value)} if v${op.expectedVersion}`;
    case 'read':
      return 'read';
    default:
      return assertNever(op, 'operation');
  }
}

function describeResult(op: RegisterOp): string {
  const result = op.result;
  switch (result.status) {
    case 'unknown':
      return 'unknown';
    case 'fail':
      return 'BadVersion';
    case 'ok':
      if ('value' in result) return formatState(result);
      return result.version === undefined ? 'ok' : `ok v${result.version}`;
    default:
      return assertNever(result, 'result');
  }
}

/** A window's start state, and the unknown operations that must have taken effect to reach it. */
export function formatStart(start: WindowStart): string {
  const applied = start.unknownOpsApplied.map((op) => `${op.clientId}'s unknown ${describeCall(op)}`);
  return formatState(start.state) + (applied.length === 0 ? '' : ` (after ${applied.join(', ')})`);
}

function describeTimes(op: RegisterOp, width: number): string {
  const invoke = String(op.invokeMs).padStart(width);
  const complete = op.result.status === 'unknown' ? '?'.padStart(width) : String(op.completeMs).padStart(width);
  return `[${invoke} → ${complete}]`;
}

export function formatFailure(result: CheckResult): string {
  switch (result.verdict) {
    case 'linearizable':
      return `linearizable (${result.stats.operations} operations on ${result.stats.keys} keys)`;
    case 'unknown':
      return `undecided: ${result.explanation}`;
    case 'not-linearizable':
      break;
    default:
      return assertNever(result, 'verdict');
  }
  const { failure } = result;
  const failing = new Set(failure.failingOps);
  const pending = new Set(failure.pendingOps);
  const width = Math.max(...failure.window.map((op) => String(op.invokeMs).length), ...failure.window.map((op) => String(op.completeMs).length));
  const clientWidth = Math.max(...failure.window.map((op) => op.clientId.length));
  const lines = [
    `not linearizable: key ${failure.key}, smallest failing window of ${failure.window.length} of its ${failure.keyOperations} operations`,
    `register at the window's start: ${failure.starts.map(formatStart).join(' or ')}`,
  ];
  for (const op of failure.window) {
    let note = '';
    if (failing.has(op)) note = '   <-- cannot complete here';
    else if (pending.has(op)) note = '   (completed later: checked as unknown)';
    else if (op.result.status === 'unknown') note = `   (gave up at ${op.completeMs})`;
    lines.push(`  ${describeTimes(op, width)} ${op.clientId.padEnd(clientWidth)}  ${describeCall(op)} → ${describeResult(op)}${note}`);
  }
  lines.push(`why: ${failure.explanation}`);
  return lines.join('\n');
}
