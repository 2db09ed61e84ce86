// Simulator seeds with a tiny zxid counter, so epochs end by counter overflow again and again.
import { describe, expect, it } from 'vitest';
import { formatFailure, runSeeds } from './seed-runner';

const COUNT = Number(process.env.ZAB_SEEDS_PER_FILE ?? 2500) / 2;

describe('simulator seeds where the zxid counter overflows', () => {
  it(`${COUNT} seeds at 30 txns per epoch keep every invariant and stay live`, () => {
    expect(runSeeds(1, COUNT, { peerLimits: { zxidCounterMax: 30n } }).map(formatFailure)).toEqual([]);
  }, 240_000);

  it(`${COUNT / 2} seeds at 3 txns per epoch keep every safety invariant`, () => {
    expect(runSeeds(1, COUNT / 2, { peerLimits: { zxidCounterMax: 3n }, checkLiveness: false }).map(formatFailure)).toEqual([]);
  }, 240_000);
});
