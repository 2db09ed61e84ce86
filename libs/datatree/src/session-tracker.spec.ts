// Session expiry in tick buckets (ExpiryQueue).
import { describe, expect, it } from 'vitest';
import { SessionTracker } from './session-tracker';

describe('SessionTracker (ExpiryQueue)', () => {
  it('expires at the tick boundary after now + timeout', () => {
    const tracker = new SessionTracker(2000);
    tracker.touch(1n, 5000, 1000); // 6000 → next boundary 8000
    expect(tracker.expiryMsOf(1n)).toBe(8000);
    expect(tracker.expired(7999)).toEqual([]);
    expect(tracker.expired(8000)).toEqual([1n]);
    expect(tracker.has(1n)).toBe(false);
    expect(tracker.expired(9000)).toEqual([]);
  });

  it('rounds an exact boundary up to the next one', () => {
    const tracker = new SessionTracker(1000);
    tracker.touch(1n, 2000, 0);
    expect(tracker.expiryMsOf(1n)).toBe(3000);
  });

  it('moves a touched session to its new bucket', () => {
    const tracker = new SessionTracker(1000);
    tracker.touch(1n, 3000, 0);
    tracker.touch(1n, 3000, 2500);
    expect(tracker.expired(4000)).toEqual([]);
    expect(tracker.expired(6000)).toEqual([1n]);
  });

  it('returns due sessions earliest bucket first, by id within a bucket', () => {
    const tracker = new SessionTracker(1000);
    tracker.touch(9n, 1000, 0);
    tracker.touch(3n, 1000, 100);
    tracker.touch(5n, 100, 0);
    tracker.touch(7n, 9000, 0);
    expect(tracker.nextExpiryMs()).toBe(1000);
    expect(tracker.expired(2000)).toEqual([5n, 3n, 9n]);
    expect(tracker.size).toBe(1);
    expect(tracker.nextExpiryMs()).toBe(10000);
  });

  it('forgets removed sessions', () => {
    const tracker = new SessionTracker(1000);
    tracker.touch(1n, 1000, 0);
    tracker.remove(1n);
    tracker.remove(2n);
    expect(tracker.has(1n)).toBe(false);
    expect(tracker.expired(1e9)).toEqual([]);
    expect(tracker.nextExpiryMs()).toBeUndefined();
  });

  it('needs a positive integer tick', () => {
    expect(() => new SessionTracker(0)).toThrow();
    expect(() => new SessionTracker(1.5)).toThrow();
  });
});
