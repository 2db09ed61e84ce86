import { describe, expect, it } from 'vitest';
import { setWatchesBatches } from './set-watches';
import { WatchRegistry } from './watch-registry';

describe('setWatchesBatches', () => {
  const watcher = (): void => undefined;

  it('sends nothing without watches', () => {
    expect(setWatchesBatches(new WatchRegistry(), (p) => p, 5n)).toEqual([]);
  });

  it('lists each kind in its field, with server paths and the relative zxid', () => {
    const registry = new WatchRegistry();
    registry.add('data', '/a', watcher);
    registry.add('exist', '/b', watcher);
    registry.add('child', '/c', watcher);
    registry.add('persistent', '/d', watcher);
    registry.add('persistentRecursive', '/e', watcher);
    expect(setWatchesBatches(registry, (p) => `/root${p}`, 42n)).toEqual([
      {
        op: 105,
        relativeZxid: 42n,
        dataWatches: ['/root/a'],
        existWatches: ['/root/b'],
        childWatches: ['/root/c'],
        persistentWatches: ['/root/d'],
        persistentRecursiveWatches: ['/root/e'],
      },
    ]);
  });

  it('splits into batches that stay under the byte limit', () => {
    const registry = new WatchRegistry();
    for (let i = 0; i < 10; i++) registry.add('data', `/node-${i}`, watcher);
    const batches = setWatchesBatches(registry, (p) => p, 1n, 35);
    expect(batches.length).toBe(4);
    expect(batches.flatMap((batch) => batch.dataWatches)).toHaveLength(10);
    for (const batch of batches) expect(batch.dataWatches.reduce((sum, p) => sum + p.length + 4, 0)).toBeLessThanOrEqual(35);
  });
});
