// One quarter of the CI simulator run (ZAB_SEEDS_PER_FILE seeds each, 2,500 by default; four files
// so two workers share them). Every failure prints its seed and the command that replays it.
import { describe, expect, it } from 'vitest';
import { formatFailure, runSeeds } from './seed-runner';

const PER_FILE = Number(process.env.ZAB_SEEDS_PER_FILE ?? 2500);
const FIRST = (3 - 1) * PER_FILE + 1;

describe(`simulator seeds ${FIRST}..${FIRST + PER_FILE - 1}`, () => {
  it('keep every safety invariant, and elect a leader that commits once faults stop', () => {
    expect(runSeeds(FIRST, PER_FILE).map(formatFailure)).toEqual([]);
  }, 240_000);
});
