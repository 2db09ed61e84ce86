// One of ZooKeeper's two server watch tables (data, child): path → watchers, each with a mode,
// triggered as WatchManager.triggerWatch does it (3.8: PathParentIterator, one event per watcher).
import { EventType } from '@zk/wire';

export type WatchKind = 'data' | 'exist' | 'child' | 'persistent' | 'persistentRecursive';
export type WatcherMode = 'standard' | 'persistent' | 'persistentRecursive';

export class WatchTable<W> {
  private readonly watchersByPath = new Map<string, Map<W, WatcherMode>>();
  private readonly pathsByWatcher = new Map<W, Set<string>>();
  private recursiveCount = 0;

  /** addWatch: a watcher has one mode per path here; adding again replaces it (even persistent → standard). */
  add(path: string, watcher: W, mode: WatcherMode): void {
    let watchers = this.watchersByPath.get(path);
    if (watchers === undefined) {
      watchers = new Map();
      this.watchersByPath.set(path, watchers);
    }
    const previous = watchers.get(watcher);
    if (previous === 'persistentRecursive') this.recursiveCount--;
    if (mode === 'persistentRecursive') this.recursiveCount++;
    watchers.set(watcher, mode);
    let paths = this.pathsByWatcher.get(watcher);
    if (paths === undefined) {
      paths = new Set();
      this.pathsByWatcher.set(watcher, paths);
    }
    paths.add(path);
  }

  /** removeWatcher(path, watcher): false when this watcher has no watch on exactly this path. */
  remove(path: string, watcher: W): boolean {
    const watchers = this.watchersByPath.get(path);
    const mode = watchers?.get(watcher);
    if (watchers === undefined || mode === undefined) return false;
    this.drop(path, watchers, watcher, mode);
    return true;
  }

  removeWatcher(watcher: W): void {
    const paths = this.pathsByWatcher.get(watcher);
    if (paths === undefined) return;
    for (const path of [...paths]) this.remove(path, watcher);
    this.pathsByWatcher.delete(watcher);
  }

  /**
   * containsWatcher as ZooKeeper 3.8 implements it: true when ANY watcher watches exactly this
   * path (it does not look at which one), so checkWatches succeeds on another connection's watch.
   */
  contains(path: string, _watcher: W): boolean {
    return this.watchersByPath.has(path);
  }

  /**
   * triggerWatch: the path and, when recursive watches exist, its ancestors. Recursive watchers
   * fire for every event but NodeChildrenChanged; others only at the path itself, and standard
   * ones are removed. Each watcher appears once, in the order first found.
   */
  trigger(path: string, type: number): W[] {
    const found = new Set<W>();
    const withAncestors = this.recursiveCount > 0;
    let local = path;
    for (let level = 0; local !== ''; level++) {
      const watchers = this.watchersByPath.get(local);
      if (watchers !== undefined) {
        for (const [watcher, mode] of watchers) {
          if (mode === 'persistentRecursive') {
            if (type !== EventType.nodeChildrenChanged) found.add(watcher);
          } else if (level === 0) {
            found.add(watcher);
            if (mode === 'standard') this.drop(local, watchers, watcher, mode);
          }
        }
      }
      if (!withAncestors) break;
      local = parentForIteration(local);
    }
    return [...found];
  }

  /** The number of (path, watcher) pairs. */
  get size(): number {
    let total = 0;
    for (const watchers of this.watchersByPath.values()) total += watchers.size;
    return total;
  }

  byPath(): Map<string, W[]> {
    const result = new Map<string, W[]>();
    for (const [path, watchers] of this.watchersByPath) result.set(path, [...watchers.keys()]);
    return result;
  }

  byWatcher(): Map<W, string[]> {
    const result = new Map<W, string[]>();
    for (const [watcher, paths] of this.pathsByWatcher) if (paths.size > 0) result.set(watcher, [...paths]);
    return result;
  }

  private drop(path: string, watchers: Map<W, WatcherMode>, watcher: W, mode: WatcherMode): void {
    watchers.delete(watcher);
    if (watchers.size === 0) this.watchersByPath.delete(path);
    if (mode === 'persistentRecursive') this.recursiveCount--;
    const paths = this.pathsByWatcher.get(watcher);
    paths?.delete(path);
    if (paths?.size === 0) this.pathsByWatcher.delete(watcher);
  }
}

/** PathParentIterator's step: "/a/b" → "/a" → "/" → "" (done). */
function parentForIteration(path: string): string {
  if (path === '/') return '';
  const parent = path.substring(0, path.lastIndexOf('/'));
  return parent === '' ? '/' : parent;
}
