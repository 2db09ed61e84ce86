// From recorded client operations to what the search sees: validated, split per key (registers are
// independent, so a history is linearizable iff each key's sub-history is), and turned into model actions,
// optionally cut off at an end time.

import { assert, assertNever } from './assert';
import type { RegisterAction } from './register-model';
import type { SearchOp } from './wgl-search';
import type { RegisterOp } from './types';

/** One search operation and the recorded operation it stands for. */
export interface CheckedOp extends SearchOp<RegisterAction> {
  readonly source: RegisterOp;
}

export function assertWellFormed(op: RegisterOp, index: number): void {
  const where = `operation ${index} (${op.kind} by ${op.clientId} on ${op.key})`;
  assert(Number.isFinite(op.invokeMs), `${where}: invokeMs must be a finite number`);
  assert(!Number.isNaN(op.completeMs), `${where}: completeMs must be a number`);
  if (op.result.status !== 'unknown') assert(op.completeMs >= op.invokeMs, `${where}: completes before it is invoked`);
  if (op.kind === 'cas') assert(Number.isInteger(op.expectedVersion), `${where}: expectedVersion must be an integer`);
}

/** Each key's operations in invocation order, keys in sorted order so that reports are reproducible. */
export function partitionByKey(ops: readonly RegisterOp[]): Map<string, RegisterOp[]> {
  const byKey = new Map<string, RegisterOp[]>();
  ops.forEach((op, index) => {
    assertWellFormed(op, index);
    const list = byKey.get(op.key);
    if (list === undefined) byKey.set(op.key, [op]);
    else list.push(op);
  });
  const sorted = new Map<string, RegisterOp[]>();
  for (const key of [...byKey.keys()].sort()) {
    // Stable sort: equal invocation times keep the caller's order.
    sorted.set(key, [...(byKey.get(key) ?? [])].sort((a, b) => a.invokeMs - b.invokeMs));
  }
  return sorted;
}

/** An op whose effect, if any, is unknown: it may happen at any time after invocation, or never. */
function asUnknown(op: RegisterOp): CheckedOp | undefined {
  const base = { source: op, invokeMs: op.invokeMs, completeMs: Infinity, optional: true };
  switch (op.kind) {
    case 'write':
      return { ...base, action: { kind: 'write', value: op.value } };
    case 'cas':
      return { ...base, action: { kind: 'cas', value: op.value, expectedVersion: op.expectedVersion } };
    case 'read':
      // A read with no result has no effect and tells nothing: leave it out.
      return undefined;
    default:
      return assertNever(op, 'operation');
  }
}

function asRecorded(op: RegisterOp): CheckedOp | undefined {
  const base = { source: op, invokeMs: op.invokeMs, completeMs: op.completeMs, optional: false };
  switch (op.kind) {
    case 'write': {
      const result = op.result;
      if (result.status === 'unknown') return asUnknown(op);
      return { ...base, action: { kind: 'write', value: op.value, versionAfter: result.version } };
    }
    case 'cas': {
      const result = op.result;
      if (result.status === 'unknown') return asUnknown(op);
      if (result.status === 'fail') return { ...base, action: { kind: 'cas-rejected', expectedVersion: op.expectedVersion } };
      return {
        ...base,
        action: { kind: 'cas', value: op.value, expectedVersion: op.expectedVersion, versionAfter: result.version },
      };
    }
    case 'read': {
      const result = op.result;
      if (result.status === 'unknown') return asUnknown(op);
      return { ...base, action: { kind: 'read', value: result.value, version: result.version } };
    }
    default:
      return assertNever(op, 'operation');
  }
}

/**
 * The key's history as it stood at `endMs`: operations invoked later are left out, and operations still
 * running at `endMs` become unknown (reads and rejected CAS, which change nothing, are left out).
 *
 * Why this is sound: in any linearization of the whole history, operations invoked after `endMs` take
 * effect after every operation completed by `endMs`, so dropping them changes no state those saw; an
 * operation still running either took effect by `endMs` or after all the completed ones, which is exactly
 * what an unknown operation allows. So if this cut is not linearizable, neither is the whole.
 */
export function historyUntil(keyOps: readonly RegisterOp[], endMs: number): CheckedOp[] {
  const checked: CheckedOp[] = [];
  for (const op of keyOps) {
    if (op.invokeMs > endMs) continue;
    const stillRunning = op.result.status !== 'unknown' && op.completeMs > endMs;
    const converted = stillRunning ? asRunningAt(op) : asRecorded(op);
    if (converted !== undefined) checked.push(converted);
  }
  return checked;
}

function asRunningAt(op: RegisterOp): CheckedOp | undefined {
  if (op.kind === 'cas' && op.result.status === 'fail') return undefined;
  return asUnknown(op);
}
