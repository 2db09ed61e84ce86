// Server-local watches as ZooKeeper keeps them: a data table (data, exists, persistent) and a
// child table (children, persistent); tree events trigger them in DataTree's order, ACL-filtered.
import { EventType, Perm, WatcherType, type Id } from '@zk/wire';
import { checkAcl } from './acl';
import type { DataTree } from './data-tree';
import type { TreeEvent } from './txn';
import { WatchTable, type WatchKind } from './watch-table';

export interface RestoredWatches {
  data: string[];
  exist: string[];
  child: string[];
  persistent: string[];
  persistentRecursive: string[];
}

export interface WatchDelivery<W> {
  watcher: W;
  event: TreeEvent;
}

export class WatchManager<W> {
  private readonly dataWatches = new WatchTable<W>();
  private readonly childWatches = new WatchTable<W>();

  /** data/exist → data table; child → child table; persistent(Recursive) → both (addWatch). */
  add(path: string, watcher: W, kind: WatchKind): void {
    switch (kind) {
      case 'data':
      case 'exist':
        this.dataWatches.add(path, watcher, 'standard');
        break;
      case 'child':
        this.childWatches.add(path, watcher, 'standard');
        break;
      case 'persistent':
      case 'persistentRecursive':
        this.dataWatches.add(path, watcher, kind);
        this.childWatches.add(path, watcher, kind);
        break;
    }
  }

  /**
   * The deliveries for apply()'s events, in order. Per event, as DataTree fires them:
   * NodeCreated/NodeDataChanged → data table; NodeChildrenChanged → child table; NodeDeleted →
   * data table, then child table minus the watchers the data table already notified.
   * With `authIdsOf`, a watcher without READ on the event's ACL gets nothing (ZooKeeper 3.8.4+),
   * but its one-shot watch is still consumed.
   */
  trigger(events: readonly TreeEvent[], authIdsOf?: (watcher: W) => readonly Id[]): Array<WatchDelivery<W>> {
    const deliveries: Array<WatchDelivery<W>> = [];
    const deliver = (watchers: W[], event: TreeEvent, suppressed?: ReadonlySet<W>): void => {
      for (const watcher of watchers) {
        if (suppressed?.has(watcher)) continue;
        if (authIdsOf && event.acl && !checkAcl(event.acl, Perm.read, authIdsOf(watcher))) continue;
        deliveries.push({ watcher, event });
      }
    };
    for (const event of events) {
      switch (event.type) {
        case EventType.nodeCreated:
        case EventType.nodeDataChanged:
          deliver(this.dataWatches.trigger(event.path, event.type), event);
          break;
        case EventType.nodeChildrenChanged:
          deliver(this.childWatches.trigger(event.path, event.type), event);
          break;
        case EventType.nodeDeleted: {
          const notified = this.dataWatches.trigger(event.path, event.type);
          deliver(notified, event);
          deliver(this.childWatches.trigger(event.path, event.type), event, new Set(notified));
          break;
        }
        default:
          throw new Error(`not a tree event type: ${event.type}`);
      }
    }
    return deliveries;
  }

  /**
   * removeWatches (checkOnly false) / checkWatches (checkOnly true) for WatcherType children (1),
   * data (2) or any (3). false: nothing matched (NOWATCHER). Another type: false as well — ZooKeeper
   * fails to parse it and answers MARSHALLINGERROR; check isValidWatcherType first.
   * checkWatches keeps 3.8's quirk: it matches any connection's watch on exactly this path.
   */
  remove(path: string, watcher: W, watcherType: number, checkOnly: boolean): boolean {
    const inTable = (table: WatchTable<W>): boolean => (checkOnly ? table.contains(path, watcher) : table.remove(path, watcher));
    switch (watcherType) {
      case WatcherType.children:
        return inTable(this.childWatches);
      case WatcherType.data:
        return inTable(this.dataWatches);
      case WatcherType.any: {
        const child = inTable(this.childWatches);
        const data = inTable(this.dataWatches);
        return child || data;
      }
      default:
        return false;
    }
  }

  /** A connection closed: all its watches go. */
  removeWatcher(watcher: W): void {
    this.dataWatches.removeWatcher(watcher);
    this.childWatches.removeWatcher(watcher);
  }

  /**
   * setWatches / setWatches2 after a reconnect (DataTree.setWatches): for each watch, the event
   * the client missed since relativeZxid — data: NodeDeleted if gone, NodeDataChanged if
   * mzxid > relativeZxid; exist: NodeCreated if present; child: NodeDeleted if gone,
   * NodeChildrenChanged if pzxid > relativeZxid — else the watch is registered again. Persistent
   * watches are always registered. The events carry no ACL: ZooKeeper does not filter these.
   */
  restore(tree: DataTree, relativeZxid: bigint, watches: RestoredWatches, watcher: W): TreeEvent[] {
    const events: TreeEvent[] = [];
    for (const path of watches.data) {
      const node = tree.getNode(path);
      if (node === undefined) events.push({ type: EventType.nodeDeleted, path });
      else if (node.stat.mzxid > relativeZxid) events.push({ type: EventType.nodeDataChanged, path });
      else this.dataWatches.add(path, watcher, 'standard');
    }
    for (const path of watches.exist) {
      if (tree.getNode(path) !== undefined) events.push({ type: EventType.nodeCreated, path });
      else this.dataWatches.add(path, watcher, 'standard');
    }
    for (const path of watches.child) {
      const node = tree.getNode(path);
      if (node === undefined) events.push({ type: EventType.nodeDeleted, path });
      else if (node.stat.pzxid > relativeZxid) events.push({ type: EventType.nodeChildrenChanged, path });
      else this.childWatches.add(path, watcher, 'standard');
    }
    for (const path of watches.persistent) this.add(path, watcher, 'persistent');
    for (const path of watches.persistentRecursive) this.add(path, watcher, 'persistentRecursive');
    return events;
  }

  /** ZooKeeper's watch count: data table plus child table (a persistent watch counts twice). */
  get size(): number {
    return this.dataWatches.size + this.childWatches.size;
  }

  /** wchp: ZooKeeper reports the data table only; pass 'child' for the other. */
  byPath(table: 'data' | 'child' = 'data'): Map<string, W[]> {
    return (table === 'data' ? this.dataWatches : this.childWatches).byPath();
  }

  /** wchc: likewise the data table by default. */
  byWatcher(table: 'data' | 'child' = 'data'): Map<W, string[]> {
    return (table === 'data' ? this.dataWatches : this.childWatches).byWatcher();
  }
}

export function isValidWatcherType(watcherType: number): boolean {
  return watcherType === WatcherType.children || watcherType === WatcherType.data || watcherType === WatcherType.any;
}
