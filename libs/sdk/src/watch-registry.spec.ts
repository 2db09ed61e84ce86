import { describe, expect, it, vi } from 'vitest';
import { WatchRegistry } from './watch-registry';

describe('WatchRegistry', () => {
  it('fires a data watch once, then forgets it', () => {
    const registry = new WatchRegistry();
    const watcher = vi.fn();
    registry.add('data', '/a', watcher);
    expect(registry.materialize('nodeDataChanged', '/a')).toEqual([watcher]);
    expect(registry.materialize('nodeDataChanged', '/a')).toEqual([]);
  });

  it('fires a watcher registered as data and exist watch only once', () => {
    const registry = new WatchRegistry();
    const watcher = vi.fn();
    registry.add('data', '/a', watcher);
    registry.add('exist', '/a', watcher);
    expect(registry.materialize('nodeCreated', '/a')).toHaveLength(1);
  });

  it('sends child events only to child and persistent watches, deletions to all one-shot kinds', () => {
    const registry = new WatchRegistry();
    const data = vi.fn();
    const child = vi.fn();
    registry.add('data', '/a', data);
    registry.add('child', '/a', child);
    expect(registry.materialize('nodeChildrenChanged', '/a')).toEqual([child]);
    registry.add('child', '/a', child);
    expect(registry.materialize('nodeDeleted', '/a')).toEqual([data, child]);
  });

  it('keeps persistent watches and gives recursive ones everything below except child events', () => {
    const registry = new WatchRegistry();
    const persistent = vi.fn();
    const recursive = vi.fn();
    registry.add('persistent', '/a', persistent);
    registry.add('persistentRecursive', '/', recursive);
    expect(registry.materialize('nodeDataChanged', '/a')).toEqual([persistent, recursive]);
    expect(registry.materialize('nodeChildrenChanged', '/a')).toEqual([persistent]);
    expect(registry.materialize('nodeCreated', '/a/b/c')).toEqual([recursive]);
    expect(registry.paths('persistent')).toEqual(['/a']);
  });

  it('lists replay paths and clears everything on expiry', () => {
    const registry = new WatchRegistry();
    const watcher = vi.fn();
    registry.add('exist', '/x', watcher);
    registry.add('child', '/y', watcher);
    expect(registry.paths('exist')).toEqual(['/x']);
    expect(registry.clear()).toEqual(new Set([watcher]));
    expect(registry.isEmpty).toBe(true);
  });

  it('removes one watcher and reports when the path has none left', () => {
    const registry = new WatchRegistry();
    const first = vi.fn();
    const second = vi.fn();
    registry.add('persistent', '/a', first);
    registry.add('persistent', '/a', second);
    expect(registry.remove('persistent', '/a', first)).toBe(false);
    expect(registry.remove('persistent', '/a', second)).toBe(true);
    expect(registry.has('persistent', '/a')).toBe(false);
  });
});
