// The client's watch table (ZooKeeper's ZKWatchManager): which callbacks a notification fires,
// one-shot watches removed as they fire, persistent ones kept; and the lists SetWatches2 replays.
import { EventType } from '@zk/wire';
import { parentOf } from './paths';

export type WatchEventType =
  | 'nodeCreated'
  | 'nodeDeleted'
  | 'nodeDataChanged'
  | 'nodeChildrenChanged'
  | 'dataWatchRemoved'
  | 'childWatchRemoved'
  | 'persistentWatchRemoved';

export interface WatchEvent {
  type: WatchEventType;
  /** The client path (chroot stripped). */
  path: string;
  /** The zxid in the notification's header (-1 from servers that do not send it). */
  zxid: bigint;
}

export type Watcher = (event: WatchEvent) => void;

export type WatchKind = 'data' | 'exist' | 'child' | 'persistent' | 'persistentRecursive';

const eventTypeNames = new Map<number, WatchEventType>([
  [EventType.nodeCreated, 'nodeCreated'],
  [EventType.nodeDeleted, 'nodeDeleted'],
  [EventType.nodeDataChanged, 'nodeDataChanged'],
  [EventType.nodeChildrenChanged, 'nodeChildrenChanged'],
  [EventType.dataWatchRemoved, 'dataWatchRemoved'],
  [EventType.childWatchRemoved, 'childWatchRemoved'],
  [EventType.persistentWatchRemoved, 'persistentWatchRemoved'],
]);

export function watchEventTypeOf(type: number): WatchEventType | undefined {
  return eventTypeNames.get(type);
}

export class WatchRegistry {
  private readonly tables: Record<WatchKind, Map<string, Set<Watcher>>> = {
    data: new Map(),
    exist: new Map(),
    child: new Map(),
    persistent: new Map(),
    persistentRecursive: new Map(),
  };

  add(kind: WatchKind, path: string, watcher: Watcher): void {
    const table = this.tables[kind];
    let watchers = table.get(path);
    if (watchers === undefined) table.set(path, (watchers = new Set()));
    watchers.add(watcher);
  }

  /** Removes one watcher; returns true when no watcher of `kind` is left at `path`. */
  remove(kind: WatchKind, path: string, watcher: Watcher): boolean {
    const table = this.tables[kind];
    const watchers = table.get(path);
    if (watchers === undefined) return true;
    watchers.delete(watcher);
    if (watchers.size > 0) return false;
    table.delete(path);
    return true;
  }

  /** Removes every watcher of the kinds at `path` (removeWatches) and returns them. */
  removeAll(kinds: readonly WatchKind[], path: string): Set<Watcher> {
    const removed = new Set<Watcher>();
    for (const kind of kinds) {
      for (const watcher of this.tables[kind].get(path) ?? []) removed.add(watcher);
      this.tables[kind].delete(path);
    }
    return removed;
  }

  has(kind: WatchKind, path: string): boolean {
    return this.tables[kind].has(path);
  }

  /** The watchers a notification fires, each once; one-shot watches it triggers are removed. */
  materialize(type: WatchEventType, path: string): Watcher[] {
    const fired = new Set<Watcher>();
    const take = (kind: WatchKind): void => {
      for (const watcher of this.tables[kind].get(path) ?? []) fired.add(watcher);
      this.tables[kind].delete(path);
    };
    switch (type) {
      case 'nodeCreated':
      case 'nodeDataChanged':
        take('data');
        take('exist');
        break;
      case 'nodeChildrenChanged':
        take('child');
        break;
      case 'nodeDeleted':
        take('data');
        take('exist');
        take('child');
        break;
      case 'dataWatchRemoved':
      case 'childWatchRemoved':
      case 'persistentWatchRemoved':
        return [];
    }
    for (const watcher of this.tables.persistent.get(path) ?? []) fired.add(watcher);
    // Recursive watches see every change below them except child-list changes (ZooKeeper sends none for them).
    if (type !== 'nodeChildrenChanged') {
      for (let p: string | undefined = path; p !== undefined; p = parentOf(p)) {
        for (const watcher of this.tables.persistentRecursive.get(p) ?? []) fired.add(watcher);
      }
    }
    return [...fired];
  }

  /** The paths to replay after a reconnect, per kind. */
  paths(kind: WatchKind): string[] {
    return [...this.tables[kind].keys()];
  }

  get isEmpty(): boolean {
    return Object.values(this.tables).every((table) => table.size === 0);
  }

  /** Drops every watch (session expired) and returns all watchers, each once. */
  clear(): Set<Watcher> {
    const all = new Set<Watcher>();
    for (const table of Object.values(this.tables)) {
      for (const watchers of table.values()) for (const watcher of watchers) all.add(watcher);
      table.clear();
    }
    return all;
  }
}
