// Every bug a simulator seed found, kept as a named test with that seed. Each seed failed before its
// fix (checked by putting the bug back) and must keep passing.
import { describe, expect, it } from 'vitest';
import { simulate } from './cluster';
import { formatFailure } from './seed-runner';

function passes(seed: number): void {
  const result = simulate({ seed, traceLimit: 200 });
  expect(result.ok, formatFailure(result)).toBe(true);
}

describe('simulator regressions', () => {
  it('seed 35: leader pings do not keep a learner whose sync stalled (lost NEWEPOCH) waiting forever', () => passes(35));
  it('seed 868: servers that settled in different rounds still count as agreeing on the leader', () => passes(868));
  it('seed 3947: a learner that promised a later epoch makes the established leader stand down', () => passes(3947));
  it('seed 1473: a looking notification the leader sent before it settled does not make a follower leave', () => passes(1473));
  it('seed 36390: followers join the election as soon as their leader is looking (no re-election without them)', () => passes(36390));
});
