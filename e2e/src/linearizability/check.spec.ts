// Hand-made histories, each small enough to verify by eye: the checker must reject every anomaly a broken
// ensemble could show and accept every behaviour a correct one may show.

import { describe, expect, it } from 'vitest';
import { checkHistory } from './check';
import { cas, read, unknown, write } from './test-histories';
import type { RegisterOp } from './types';

const rejected: [string, RegisterOp[]][] = [
  ['a stale read after a completed write', [write('c1', 0, 10, 'a'), read('c2', 20, 30, '', 0)]],
  ['a stale read by the writer itself', [write('c1', 0, 10, 'a', 1), read('c1', 11, 12, '', 0)]],
  [
    'a lost write: two acknowledged writes, but the version moved only once',
    [write('c1', 0, 10, 'a'), write('c2', 0, 10, 'b'), read('c3', 20, 30, 'b', 1)],
  ],
  [
    'two CAS with the same expected version both succeeding',
    [cas('c1', 0, 10, 'a', 0, { status: 'ok' }), cas('c2', 0, 10, 'b', 0, { status: 'ok' })],
  ],
  ['a read of a value never written', [write('c1', 0, 10, 'a'), read('c2', 5, 30, 'zzz', 1)]],
  [
    'reads going back in time: a later read (other client) misses what an earlier one saw',
    [write('c1', 0, 100, 'a'), read('c2', 10, 20, 'a', 1), read('c3', 30, 40, '', 0)],
  ],
  ['version skipping: a write reports version 2 on a fresh register', [write('c1', 0, 10, 'a', 2)]],
  ['version skipping: a read sees version 2 after one write', [write('c1', 0, 10, 'a'), read('c2', 20, 30, 'a', 2)]],
  [
    'a BadVersion where the version was the expected one',
    [write('c1', 0, 10, 'a', 1), cas('c2', 20, 30, 'b', 1, { status: 'fail' }), read('c2', 40, 50, 'a', 1)],
  ],
  ['an unknown write seen before it was invoked', [read('c1', 0, 10, 'a', 1), unknown(write('c2', 20, 30, 'a'))]],
  [
    'a write that took effect twice',
    [write('c1', 0, 10, 'a'), read('c2', 20, 30, 'a', 1), read('c3', 40, 50, 'a', 2)],
  ],
];

const accepted: [string, RegisterOp[]][] = [
  [
    'concurrent writes, reads seeing a then b',
    [write('c1', 0, 50, 'a'), write('c2', 0, 50, 'b'), read('c3', 10, 20, 'a', 1), read('c4', 60, 70, 'b', 2)],
  ],
  [
    'concurrent writes, reads seeing b then a',
    [write('c1', 0, 50, 'a'), write('c2', 0, 50, 'b'), read('c3', 10, 20, 'b', 1), read('c4', 60, 70, 'a', 2)],
  ],
  ['an unknown write that took effect', [unknown(write('c1', 0, 5, 'a')), read('c2', 100, 110, 'a', 1)]],
  [
    'an unknown write that never took effect',
    [unknown(write('c1', 0, 5, 'a')), read('c2', 100, 110, '', 0), write('c2', 120, 130, 'b', 1), read('c3', 140, 150, 'b', 1)],
  ],
  [
    'an unknown write that took effect long after the client gave up',
    [unknown(write('c1', 0, 5, 'a')), read('c2', 100, 110, '', 0), read('c2', 200, 210, 'a', 1)],
  ],
  [
    'an unknown CAS that took effect',
    [unknown(cas('c1', 0, 5, 'a', 0, { status: 'ok' })), read('c2', 100, 110, 'a', 1)],
  ],
  [
    'a failed CAS after a write moved the version',
    [write('c1', 0, 10, 'a', 1), cas('c2', 20, 30, 'b', 0, { status: 'fail' }), read('c3', 40, 50, 'a', 1)],
  ],
  [
    'a failed CAS concurrent with the write that beat it',
    [cas('c1', 0, 50, 'b', 0, { status: 'fail' }), write('c2', 10, 20, 'a', 1), read('c1', 60, 70, 'a', 1)],
  ],
  [
    'CAS races: one wins, the other gets BadVersion',
    [cas('c1', 0, 10, 'a', 0, { status: 'ok', version: 1 }), cas('c2', 0, 10, 'b', 0, { status: 'fail' }), read('c3', 20, 30, 'a', 1)],
  ],
  [
    'operations touching at one instant count as concurrent',
    [write('c1', 0, 10, 'a', 1), read('c2', 10, 20, '', 0)],
  ],
  ['registers are independent', [write('c1', 0, 10, 'a', 1, '/x'), read('c2', 20, 30, '', 0, '/y')]],
  ['an empty history', []],
];

describe('checkHistory rejects', () => {
  it.each(rejected)('%s', (_name, ops) => {
    const result = checkHistory(ops);
    expect(result.verdict).toBe('not-linearizable');
  });
});

describe('checkHistory accepts', () => {
  it.each(accepted)('%s', (_name, ops) => {
    expect(checkHistory(ops).verdict).toBe('linearizable');
  });

  it('many concurrent clients writing and reading one register', () => {
    const ops: RegisterOp[] = [];
    for (let c = 0; c < 12; c++) ops.push(write(`w${c}`, 0, 100, `v${c}`));
    // Mid-way reads may see any prefix of some order of the writes; these pin one order: v3, v7, v11 first.
    ops.push(read('r1', 10, 20, 'v3', 1), read('r2', 30, 40, 'v7', 2), read('r3', 50, 60, 'v11', 3));
    ops.push(read('r4', 200, 210, 'v5', 12));
    expect(checkHistory(ops).verdict).toBe('linearizable');
  });
});

describe('checkHistory options', () => {
  it('starts each register from the state the caller gives', () => {
    const ops = [read('c1', 0, 10, 'seed', 3, '/x'), read('c1', 20, 30, '', 0, '/y')];
    const initial = (key: string) => (key === '/x' ? { value: 'seed', version: 3 } : { value: '', version: 0 });
    expect(checkHistory(ops, { initial }).verdict).toBe('linearizable');
    expect(checkHistory(ops).verdict).toBe('not-linearizable');
  });

  it('answers unknown instead of searching without end', () => {
    // 24 concurrent writes and an impossible read: refuting it means trying every subset of the writes.
    const ops: RegisterOp[] = [];
    for (let c = 0; c < 24; c++) ops.push(write(`w${c}`, 0, 100, `v${c}`));
    ops.push(read('r', 0, 100, 'never', 5));
    const result = checkHistory(ops, { searchStepsMax: 20_000 });
    expect(result.verdict).toBe('unknown');
    expect(result.stats.searchSteps).toBeLessThanOrEqual(20_000);
  });

  it('reports a definite failure on one key even when another key is undecided', () => {
    const ops: RegisterOp[] = [];
    for (let c = 0; c < 24; c++) ops.push(write(`w${c}`, 0, 100, `v${c}`, undefined, '/a'));
    ops.push(read('r', 0, 100, 'never', 5, '/a'));
    ops.push(write('c1', 0, 10, 'x', 1, '/b'), read('c2', 20, 30, '', 0, '/b'));
    const result = checkHistory(ops, { searchStepsMax: 20_000 });
    expect(result.verdict === 'not-linearizable' && result.failure.key).toBe('/b');
  });

  it('refuses a malformed history', () => {
    expect(() => checkHistory([write('c1', 10, 5, 'a')])).toThrow(/completes before it is invoked/);
  });
});
