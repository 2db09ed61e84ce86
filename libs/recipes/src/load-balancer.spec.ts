import { describe, expect, it } from 'vitest';
import { LoadBalancer } from './load-balancer';
import type { ServiceInstance } from './service-layout';

const instance = (id: string, weight?: number): ServiceInstance => ({ id, host: '127.0.0.1', port: 1000, weight });
const three = [instance('a'), instance('b'), instance('c')];

/** A deterministic random sequence (a small LCG). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('LoadBalancer', () => {
  it('returns nothing for no instances', () => {
    expect(new LoadBalancer().pick([], { strategy: 'random' })).toBeUndefined();
  });

  it('round robin cycles through the instances', () => {
    const balancer = new LoadBalancer();
    const ids = Array.from({ length: 6 }, () => balancer.pick(three, { strategy: 'round-robin' })?.id);
    expect(ids).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('weighted random follows the weights and never picks weight 0', () => {
    const balancer = new LoadBalancer(seeded(7));
    const instances = [instance('heavy', 300), instance('light', 100), instance('off', 0)];
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const id = balancer.pick(instances, { strategy: 'weighted' })?.id as string;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect(counts.get('off')).toBeUndefined();
    const ratio = (counts.get('heavy') ?? 0) / (counts.get('light') ?? 1);
    expect(ratio).toBeGreaterThan(2.5);
    expect(ratio).toBeLessThan(3.5);
  });

  it('random covers every instance', () => {
    const balancer = new LoadBalancer(seeded(3));
    const seen = new Set(Array.from({ length: 100 }, () => balancer.pick(three, { strategy: 'random' })?.id));
    expect(seen).toEqual(new Set(['a', 'b', 'c']));
  });

  it('least outstanding prefers the instance with fewest calls in progress', () => {
    const balancer = new LoadBalancer(seeded(1));
    const doneA = balancer.begin('a');
    balancer.begin('b');
    expect(balancer.pick(three, { strategy: 'least-outstanding' })?.id).toBe('c');
    balancer.begin('c');
    doneA();
    doneA();
    expect(balancer.outstandingOf('a')).toBe(0);
    expect(balancer.pick(three, { strategy: 'least-outstanding' })?.id).toBe('a');
  });

  it('consistent hash keeps a key on its instance and moves few keys when one leaves', () => {
    const balancer = new LoadBalancer();
    const keys = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
    const before = keys.map((key) => balancer.pick(three, { strategy: 'consistent-hash' }, { key })?.id);
    expect(keys.map((key) => balancer.pick(three, { strategy: 'consistent-hash' }, { key })?.id)).toEqual(before);
    const after = keys.map((key) => balancer.pick([three[0], three[1]], { strategy: 'consistent-hash' }, { key })?.id);
    const moved = before.filter((id, i) => id !== after[i]);
    // Only keys of the removed instance move.
    expect(moved.every((id) => id === 'c')).toBe(true);
    const share = before.filter((id) => id === 'a').length / keys.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.47);
  });

  it('sticky keeps its instance until it disappears', () => {
    const balancer = new LoadBalancer(seeded(5));
    const first = balancer.pick(three, { strategy: 'sticky' })?.id;
    for (let i = 0; i < 10; i++) expect(balancer.pick(three, { strategy: 'sticky' })?.id).toBe(first);
    const rest = three.filter((candidate) => candidate.id !== first);
    const second = balancer.pick(rest, { strategy: 'sticky' })?.id;
    expect(second).not.toBe(first);
    expect(balancer.pick(three, { strategy: 'sticky' })?.id).toBe(second);
  });
});
