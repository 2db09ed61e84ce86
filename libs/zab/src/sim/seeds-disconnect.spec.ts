// Simulator seeds where survivors hear of a crash (the `disconnected` input a quorum module steps
// when a peer's TCP connection drops), on top of the usual faults.
import { describe, expect, it } from 'vitest';
import { formatFailure, runSeeds } from './seed-runner';

const COUNT = Number(process.env.ZAB_SEEDS_PER_FILE ?? 2500) / 2;

describe(`simulator seeds 1..${COUNT} with disconnect notices`, () => {
  it('keep every safety invariant, and elect a leader that commits once faults stop', () => {
    expect(runSeeds(1, COUNT, { disconnectNotices: true }).map(formatFailure)).toEqual([]);
  }, 240_000);
});
