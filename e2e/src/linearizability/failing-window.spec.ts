// The failure report: a window small enough to read, started from the right state, printed with its times.

import { describe, expect, it } from 'vitest';
import { checkHistory } from './check';
import { formatFailure } from './format';
import { read, unknown, write } from './test-histories';
import type { CheckResult, FailureReport, RegisterOp } from './types';

function failureOf(result: CheckResult): FailureReport {
  if (result.verdict !== 'not-linearizable') throw new Error(`expected a failure, got ${result.verdict}`);
  return result.failure;
}

/** 50 sequential writes by one client, each read back by another: a long correct prefix. */
function correctPrefix(): RegisterOp[] {
  const ops: RegisterOp[] = [];
  for (let i = 1; i <= 50; i++) {
    ops.push(write('c1', 10 * i, 10 * i + 4, `v${i}`, i));
    ops.push(read('c2', 10 * i + 5, 10 * i + 8, `v${i}`, i));
  }
  return ops;
}

describe('the smallest failing window', () => {
  it('leaves out a long correct prefix and starts from the state it left', () => {
    const staleRead = read('c3', 600, 610, 'v48', 48);
    const failure = failureOf(checkHistory([...correctPrefix(), staleRead, write('c1', 620, 630, 'late', 51)]));
    expect(failure.window).toEqual([staleRead]);
    expect(failure.failingOps).toEqual([staleRead]);
    expect(failure.starts).toEqual([{ state: { value: 'v50', version: 50 }, unknownOpsApplied: [] }]);
    expect(failure.keyOperations).toBe(102);
  });

  it('keeps the concurrent operations the failing one conflicts with', () => {
    const w = write('c1', 600, 640, 'x', 51);
    const sawX = read('c2', 610, 620, 'x', 51);
    const missedX = read('c3', 625, 635, 'v50', 50);
    const failure = failureOf(checkHistory([...correctPrefix(), w, sawX, missedX]));
    expect(failure.window).toEqual([w, sawX, missedX]);
    expect(failure.failingOps).toEqual([missedX]);
    expect(failure.pendingOps).toEqual([w]);
    expect(failure.starts).toEqual([{ state: { value: 'v50', version: 50 }, unknownOpsApplied: [] }]);
  });

  it('carries every possible state across its start', () => {
    // Two racing writes with no version reported, then quiet: the register holds a@2 or b@2.
    const race = [write('c1', 0, 10, 'a'), write('c2', 0, 10, 'b')];
    const stale = read('c3', 30, 40, '', 0);
    const failure = failureOf(checkHistory([...race, stale]));
    expect(failure.window).toEqual([stale]);
    expect(failure.starts.map((start) => start.state)).toEqual([
      { value: 'a', version: 2 },
      { value: 'b', version: 2 },
    ]);
  });

  it('starts after an unknown operation only with its effect carried into the start states', () => {
    const maybe = unknown(write('c1', 0, 5, 'a'));
    const ops = [maybe, read('c2', 10, 20, '', 0), read('c2', 30, 40, 'a', 1), read('c3', 50, 60, '', 0)];
    const failure = failureOf(checkHistory(ops));
    expect(failure.window).toEqual([ops[3]]);
    expect(failure.starts).toEqual([{ state: { value: 'a', version: 1 }, unknownOpsApplied: [maybe] }]);
  });

  it('keeps an unknown operation that may still take effect inside the window', () => {
    const maybe = unknown(write('c1', 0, 5, 'a'));
    const ops = [maybe, read('c2', 10, 20, '', 0), read('c3', 30, 40, 'b', 1)];
    const failure = failureOf(checkHistory(ops));
    expect(failure.window).toEqual([maybe, ops[2]]);
    expect(failure.starts.map((start) => start.unknownOpsApplied)).toEqual([[], [maybe]]);
  });

  it('is itself not linearizable when checked on its own', () => {
    const w = write('c1', 600, 640, 'x');
    const ops = [...correctPrefix(), w, read('c2', 610, 620, 'x', 51), read('c3', 625, 635, 'v50', 50)];
    const failure = failureOf(checkHistory(ops));
    const alone = failure.window.map((op) => (failure.pendingOps.includes(op) ? unknown(op) : op));
    expect(checkHistory(alone, { initial: failure.starts[0].state }).verdict).toBe('not-linearizable');
  });
});

describe('formatFailure', () => {
  it('prints the window with times, clients, results and the failing operation marked', () => {
    const ops = [...correctPrefix(), write('c1', 600, 640, 'x', 51), read('c2', 610, 620, 'x', 51), read('c3', 625, 635, 'v50', 50)];
    const text = formatFailure(checkHistory(ops));
    expect(text).toBe(
      [
        'not linearizable: key /r, smallest failing window of 3 of its 103 operations',
        `register at the window's start: "v50"@v50`,
        '  [600 → 640] c1  write "x" → ok v51   (completed later: checked as unknown)',
        '  [610 → 620] c2  read → "x"@v51',
        '  [625 → 635] c3  read → "v50"@v50   <-- cannot complete here',
        'why: no order of these 3 operations on /r, consistent with their real-time order and starting from ' +
          '"v50"@v50, lets the marked operation complete at t=635 with the recorded result',
      ].join('\n'),
    );
  });

  it('shows when a client gave up on an unknown operation', () => {
    const ops = [unknown(write('c1', 0, 5, 'a')), read('c2', 10, 20, '', 0), read('c3', 30, 40, 'b', 1)];
    const text = formatFailure(checkHistory(ops));
    expect(text).toContain(`register at the window's start: ""@v0 or "a"@v1 (after c1's unknown write "a")`);
    expect(text).toContain('[ 0 →  ?] c1  write "a" → unknown   (gave up at 5)');
  });

  it('says so when the history is linearizable', () => {
    expect(formatFailure(checkHistory([write('c1', 0, 1, 'a')]))).toBe('linearizable (1 operations on 1 keys)');
  });
});
