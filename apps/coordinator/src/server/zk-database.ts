// The server's in-memory database: the tree and the watches on it. Applying a txn here is the one
// place where the tree changes, so it is also where watch events are fired, before any reply is sent.
import type { Id } from '@zk/wire';
import { DataTree, WatchManager, type ApplyResult, type TreeEvent, type Txn, type TxnHeader } from '@zk/datatree';

/** Anything that can receive watch events: a client connection, with the identities its events are filtered by. */
export interface Watcher {
  readonly authIds: readonly Id[];
  deliverEvent(event: TreeEvent): void;
}

const authIdsOf = (watcher: Watcher): readonly Id[] => watcher.authIds;

export class ZkDatabase {
  readonly watches = new WatchManager<Watcher>();

  /** Hears every applied createSession (whichever member's client asked): the leader must start its clock. */
  private readonly sessionCreatedListeners: Array<(sessionId: bigint, timeoutMs: number) => void> = [];

  constructor(private currentTree: DataTree) {}

  onSessionCreated(listener: (sessionId: bigint, timeoutMs: number) => void): void {
    this.sessionCreatedListeners.push(listener);
  }

  get tree(): DataTree {
    return this.currentTree;
  }

  /** A SNAP sync replaced the whole state; watches went with the connections that held them. */
  replaceTree(tree: DataTree): void {
    this.currentTree = tree;
  }

  apply(header: TxnHeader, txn: Txn): ApplyResult {
    const result = this.tree.apply(header, txn);
    if (txn.type === 'createSession' && result.err === 0) for (const listener of this.sessionCreatedListeners) listener(header.sessionId, txn.timeoutMs);
    if (result.events.length > 0) {
      for (const { watcher, event } of this.watches.trigger(result.events, authIdsOf)) watcher.deliverEvent(event);
    }
    return result;
  }
}
