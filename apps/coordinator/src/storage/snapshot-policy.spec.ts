import { describe, expect, it } from 'vitest';
import { SnapshotPolicy } from './snapshot-policy';
import { seededRandom } from './test-support';

const countOnly = (snapCount: number) => ({ snapCount, snapSizeBytes: 0 });

describe('snapshot policy', () => {
  it('asks for a snapshot after more than snapCount/2 + random(snapCount/2) txns, rolled anew each time', () => {
    const policy = new SnapshotPolicy(countOnly(1000), seededRandom(7));
    const intervals: number[] = [];
    let sinceLast = 0;
    for (let txn = 0; txn < 20_000; txn++) {
      sinceLast++;
      if (policy.logged(1, 100)) {
        intervals.push(sinceLast);
        sinceLast = 0;
      }
    }
    expect(Math.min(...intervals)).toBeGreaterThan(500);
    expect(Math.max(...intervals)).toBeLessThanOrEqual(1000);
    expect(new Set(intervals).size).toBeGreaterThan(5); // servers of an ensemble do not snapshot together
  });

  it('counts the txns replayed at start-up towards the next snapshot', () => {
    const policy = new SnapshotPolicy(countOnly(100), () => 0, { txns: 49, bytes: 0 });
    expect(policy.logged(1)).toBe(false);
    expect(policy.logged(1)).toBe(true);
  });

  it('counts a batch as its txns', () => {
    const policy = new SnapshotPolicy(countOnly(100), () => 0.99);
    expect(policy.txnsThreshold).toBe(99);
    expect(policy.logged(99)).toBe(false);
    expect(policy.logged(10)).toBe(true);
    expect(policy.txnsSinceLastSnapshot).toBe(0);
  });

  it('asks for a snapshot after more than snapSize/2 + random(snapSize/2) payload bytes, long before snapCount', () => {
    const snapSizeBytes = 64 * 1024 * 1024;
    const policy = new SnapshotPolicy({ snapCount: 100_000, snapSizeBytes }, seededRandom(11));
    const value = 512 * 1024;
    const intervals: number[] = [];
    let bytesSinceLast = 0;
    for (let txn = 0; txn < 2_000; txn++) {
      bytesSinceLast += value;
      if (policy.logged(1, value)) {
        intervals.push(bytesSinceLast);
        bytesSinceLast = 0;
      }
    }
    expect(intervals.length).toBeGreaterThan(10);
    expect(Math.min(...intervals)).toBeGreaterThan(snapSizeBytes / 2);
    expect(Math.max(...intervals)).toBeLessThanOrEqual(snapSizeBytes + value);
    expect(new Set(intervals).size).toBeGreaterThan(3);
  });

  it('starts both counts again after a snapshot, whichever bound made it due, and counts replayed bytes', () => {
    const policy = new SnapshotPolicy({ snapCount: 100, snapSizeBytes: 1000 }, () => 0, { txns: 0, bytes: 450 });
    expect(policy.bytesThreshold).toBe(500);
    expect(policy.logged(1, 40)).toBe(false);
    expect(policy.logged(1, 20)).toBe(true); // 510 bytes > 500
    expect(policy.bytesSinceLastSnapshot).toBe(0);
    expect(policy.txnsSinceLastSnapshot).toBe(0);
    expect(policy.logged(50, 10)).toBe(false);
    expect(policy.logged(1, 10)).toBe(true); // 51 txns > 50
    expect(policy.bytesSinceLastSnapshot).toBe(0);
  });

  it('has no byte bound when snapSize is 0 or less, as ZooKeeper', () => {
    for (const snapSizeBytes of [0, -1]) {
      const policy = new SnapshotPolicy({ snapCount: 1000, snapSizeBytes }, () => 0);
      expect(policy.logged(1, 2 ** 40)).toBe(false);
    }
  });
});
