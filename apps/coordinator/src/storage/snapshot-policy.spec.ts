import { describe, expect, it } from 'vitest';
import { SnapshotPolicy } from './snapshot-policy';
import { seededRandom } from './test-support';

describe('snapshot policy', () => {
  it('asks for a snapshot after more than snapCount/2 + random(snapCount/2) txns, rolled anew each time', () => {
    const policy = new SnapshotPolicy(1000, seededRandom(7));
    const intervals: number[] = [];
    let sinceLast = 0;
    for (let txn = 0; txn < 20_000; txn++) {
      sinceLast++;
      if (policy.logged(1)) {
        intervals.push(sinceLast);
        sinceLast = 0;
      }
    }
    expect(Math.min(...intervals)).toBeGreaterThan(500);
    expect(Math.max(...intervals)).toBeLessThanOrEqual(1000);
    expect(new Set(intervals).size).toBeGreaterThan(5); // servers of an ensemble do not snapshot together
  });

  it('counts the txns replayed at start-up towards the next snapshot', () => {
    const policy = new SnapshotPolicy(100, () => 0, 49);
    expect(policy.logged(1)).toBe(false);
    expect(policy.logged(1)).toBe(true);
  });

  it('counts a batch as its txns', () => {
    const policy = new SnapshotPolicy(100, () => 0.99);
    expect(policy.txnsThreshold).toBe(99);
    expect(policy.logged(99)).toBe(false);
    expect(policy.logged(10)).toBe(true);
    expect(policy.txnsSinceLastSnapshot).toBe(0);
  });
});
