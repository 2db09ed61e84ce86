// Histories correct by construction (a real sequential execution, intervals drawn around each operation's
// instant) must all pass; one read changed to a value never written must fail, and be the one reported.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory } from './check';
import { formatFailure } from './format';
import { executeSequentially, plannedWorkload, unknown, type PlannedOp } from './test-histories';
import type { ReadOp, RegisterOp } from './types';

const planArbitrary = fc.record({
  client: fc.integer({ min: 0, max: 4 }),
  key: fc.constantFrom('/a', '/b'),
  kind: fc.constantFrom('write' as const, 'cas' as const, 'read' as const),
  gapMs: fc.integer({ min: 0, max: 10 }),
  durationMs: fc.integer({ min: 0, max: 40 }),
  effectFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  casOffset: fc.constantFrom(-1, 0, 0, 1),
  fate: fc.constantFrom('recorded' as const, 'recorded' as const, 'recorded' as const, 'unknown-applied' as const, 'unknown-dropped' as const),
  reportsVersion: fc.boolean(),
});

type PlanSpec = typeof planArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** Each client issues its operations one after another; an unknown one may take effect after it gave up. */
function layOut(specs: PlanSpec[]): PlannedOp[] {
  const clientNowMs = new Map<number, number>();
  return specs.map((spec) => {
    const invokeMs = (clientNowMs.get(spec.client) ?? 0) + spec.gapMs;
    const completeMs = invokeMs + spec.durationMs;
    clientNowMs.set(spec.client, completeMs);
    const reachMs = spec.fate === 'recorded' ? spec.durationMs : spec.durationMs * 3;
    const effectMs = invokeMs + Math.floor(spec.effectFraction * reachMs);
    return { ...spec, clientId: `c${spec.client}`, invokeMs, completeMs, effectMs };
  });
}

const historyArbitrary = fc.array(planArbitrary, { minLength: 1, maxLength: 40 }).map((specs) => executeSequentially(layOut(specs)));

function okReadIndices(ops: readonly RegisterOp[]): number[] {
  return ops.flatMap((op, i) => (op.kind === 'read' && op.result.status === 'ok' ? [i] : []));
}

describe('histories from a real sequential execution', () => {
  it('are all linearizable', () => {
    fc.assert(
      fc.property(historyArbitrary, (ops) => {
        const result = checkHistory(ops);
        if (result.verdict !== 'linearizable') throw new Error(formatFailure(result));
      }),
      { numRuns: 300 },
    );
  });

  it('are rejected once a read returns a value never written, with that read reported', () => {
    const withRead = historyArbitrary.filter((ops) => okReadIndices(ops).length > 0);
    fc.assert(
      fc.property(withRead, fc.nat(), (ops, pick) => {
        const indices = okReadIndices(ops);
        const target = ops[indices[pick % indices.length]] as ReadOp;
        const forged: ReadOp = { ...target, result: { status: 'ok', value: 'never-written', version: 1 } };
        const mutated = ops.map((op) => (op === target ? forged : op));
        const result = checkHistory(mutated);
        expect(result.verdict).toBe('not-linearizable');
        if (result.verdict !== 'not-linearizable') return;
        expect(result.failure.failingOps).toContain(forged);
        // The window fails on its own too, from the states reported for its start.
        const alone = result.failure.window.map((op) => (result.failure.pendingOps.includes(op) ? unknown(op) : op));
        for (const start of result.failure.starts) {
          const rest = alone.filter((op) => !start.unknownOpsApplied.includes(op));
          expect(checkHistory(rest, { initial: start.state }).verdict).toBe('not-linearizable');
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('performance', () => {
  const plans = plannedWorkload({ seed: 7, clients: 5, opsPerClient: 400, keys: ['/a', '/b', '/c'], unknownRate: 0.02 });
  const ops = executeSequentially(plans);

  it('checks 2,000 operations by 5 clients on 3 keys well under 2 seconds', () => {
    const startedMs = performance.now();
    const result = checkHistory(ops);
    const elapsedMs = performance.now() - startedMs;
    expect(result.verdict).toBe('linearizable');
    expect(result.stats.operations).toBe(2_000);
    expect(elapsedMs).toBeLessThan(1_000);
  });

  it('finds the failing window in the same history with one late read forged', () => {
    const reads = okReadIndices(ops);
    const target = ops[reads[Math.floor(reads.length * 0.9)]] as ReadOp;
    const forged: ReadOp = { ...target, result: { status: 'ok', value: 'never-written', version: 1 } };
    const startedMs = performance.now();
    const result = checkHistory(ops.map((op) => (op === target ? forged : op)));
    const elapsedMs = performance.now() - startedMs;
    expect(result.verdict === 'not-linearizable' && result.failure.failingOps).toContain(forged);
    expect(result.verdict === 'not-linearizable' && result.failure.window.length).toBeLessThan(20);
    expect(elapsedMs).toBeLessThan(2_000);
  });
});
