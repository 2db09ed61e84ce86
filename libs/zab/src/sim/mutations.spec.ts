// The checker must be able to catch a bug: with the protocol deliberately broken, each invariant
// check, enabled alone, finds a violation within a few hundred seeds.
import { describe, expect, it } from 'vitest';
import type { ProtocolMutations } from '../types';
import { simulate } from './cluster';
import type { InvariantKind } from './invariants';

function firstSeedCaught(mutations: ProtocolMutations, check: InvariantKind, seeds = 400): number | null {
  for (let seed = 1; seed <= seeds; seed++) {
    const result = simulate({ seed, mutations, checks: [check], checkLiveness: false, traceLimit: 0 });
    if (result.violation?.kind === check) return seed;
  }
  return null;
}

describe('each invariant check fires on a broken protocol', () => {
  it.each<[InvariantKind, keyof ProtocolMutations]>([
    ['one-leader-per-epoch', 'quorumOfOne'],
    ['agreement', 'skipTrunc'],
    ['agreement', 'commitWithoutQuorum'],
    ['no-lost-commit', 'commitWithoutQuorum'],
    ['no-lost-commit', 'quorumOfOne'],
    ['primary-order', 'commitDeliversNamedEntryOnly'],
    ['primary-order', 'skipTrunc'],
  ])('%s catches %s', (check, mutation) => {
    expect(firstSeedCaught({ [mutation]: true }, check)).not.toBeNull();
  });

  it('the unbroken protocol passes the same seeds', () => {
    for (let seed = 1; seed <= 100; seed++) expect(simulate({ seed, traceLimit: 0 }).violation).toBeNull();
  });
});
