// The znode tree: applies txns deterministically (same txns ⇒ same tree, same digest) and answers
// the queries reads, the preparer, the container manager and snapshots need. No I/O, no clock.
import type { Acl, Stat } from '@zk/wire';
import { assert } from './assert';
import { applyTxn } from './apply-txn';
import { copyAcl } from './acl';
import type { NodeKind } from './node-kind';
import { childCountOf, childrenOf, clientStatOf, NodeStore } from './node-store';
import { nodeKey } from './path';
import { copyPersistedStat, type PersistedStat } from './stat';
import type { ApplyResult, Txn, TxnHeader } from './txn';
import { IncrementalSnapshot, readSnapshot, writeSnapshot } from './snapshot';
import { valueBytes } from './value-store';

export interface ZNodeView {
  /** The tree's own bytes (not a copy, reads are hot; a small value is a view into a slab shared with other nodes): never mutate them. */
  data: Uint8Array;
  acl: Acl[];
  /** The Stat a client sees (cversion as changes, container/TTL owner shown as 0). */
  stat: Stat;
  kind: NodeKind;
  ttlMs?: number;
}

/** A node as ZooKeeper stores it; what the preparer builds its change records from. */
export interface PersistedNodeView {
  data: Uint8Array;
  acl: readonly Acl[];
  stat: PersistedStat;
  childCount: number;
  kind: NodeKind;
  ttlMs?: number;
}

export interface DataTreeOptions {
  /** When set, apply refuses (asserts) data above this size: the preparer should have answered BADARGUMENTS. */
  maxDataBytes?: number;
}

export class DataTree {
  private store: NodeStore;
  private readonly liveSessions = new Map<bigint, number>();
  private zxidLast = 0n;
  private readonly maxDataBytes: number | undefined;

  constructor(options: DataTreeOptions = {}) {
    this.store = NodeStore.withSystemNodes();
    this.maxDataBytes = options.maxDataBytes;
  }

  get lastZxid(): bigint {
    return this.zxidLast;
  }

  /** ZooKeeper's node count, which counts the root twice (it is stored under "" and "/"). */
  get nodeCount(): number {
    return this.store.size + 1;
  }

  /** The tree digest as ZooKeeper computes it (a signed 64-bit sum of per-node CRC32s). */
  digest(): bigint {
    return this.store.digest;
  }

  apply(header: TxnHeader, txn: Txn): ApplyResult {
    assert(header.zxid > this.zxidLast, `zxid ${header.zxid} applied after ${this.zxidLast}`);
    assert(Number.isSafeInteger(header.timeMs), `bad txn time ${header.timeMs}`);
    if (this.maxDataBytes !== undefined) assertDataWithin(txn, this.maxDataBytes);
    const result = applyTxn({ store: this.store, sessions: this.liveSessions }, header, txn);
    this.zxidLast = header.zxid;
    return result;
  }

  getNode(path: string): ZNodeView | undefined {
    const node = this.store.get(path);
    if (node === undefined) return undefined;
    return {
      data: valueBytes(node),
      acl: node.acl.map(copyAcl),
      stat: clientStatOf(node),
      kind: node.kind,
      ...(node.ttlMs === undefined ? {} : { ttlMs: node.ttlMs }),
    };
  }

  getPersisted(path: string): PersistedNodeView | undefined {
    const node = this.store.get(path);
    if (node === undefined) return undefined;
    return {
      data: valueBytes(node),
      acl: node.acl,
      stat: copyPersistedStat(node),
      childCount: childCountOf(node),
      kind: node.kind,
      ...(node.ttlMs === undefined ? {} : { ttlMs: node.ttlMs }),
    };
  }

  /** Child names, sorted (ZooKeeper answers in hash order; any order is legal, sorted is reproducible). */
  getChildren(path: string): string[] {
    const node = this.store.get(path);
    return node === undefined ? [] : [...childrenOf(node)].sort();
  }

  /** getAllChildrenNumber: descendants of path; for "/" every node but the root. undefined if missing. */
  allChildrenNumber(path: string): number | undefined {
    const node = this.store.get(path);
    if (node === undefined) return undefined;
    if (path === '') return this.store.size; // ZooKeeper counts keys starting with "/": all of them
    let count = 0;
    const stack = [nodeKey(path)];
    while (stack.length > 0) {
      const current = stack.pop() as string;
      const node = this.store.get(current);
      const children = node === undefined ? [] : childrenOf(node);
      const prefix = current === '/' ? '/' : current + '/';
      for (const name of children) {
        count++;
        stack.push(prefix + name);
      }
    }
    return count;
  }

  sessions(): ReadonlyMap<bigint, number> {
    return this.liveSessions;
  }

  ephemeralsOf(sessionId: bigint): string[] {
    return [...this.store.ephemerals(sessionId)].sort();
  }

  /**
   * ContainerManager.getCandidates: empty containers that once had a child (or, with
   * maxNeverUsedIntervalMs, unused for longer than that since their mtime), and empty TTL nodes
   * not modified for longer than their ttl. Sorted.
   */
  containersToDelete(nowMs: number, maxNeverUsedIntervalMs = 0): string[] {
    const candidates: string[] = [];
    for (const path of this.store.containers()) {
      const node = this.store.get(path);
      if (node === undefined || childCountOf(node) > 0) continue;
      const elapsedMs = nowMs - Number(node.mtime);
      if (node.cversion > 0 || (maxNeverUsedIntervalMs !== 0 && elapsedMs > maxNeverUsedIntervalMs)) candidates.push(path);
    }
    for (const path of this.store.ttls()) {
      const node = this.store.get(path);
      if (node === undefined || childCountOf(node) > 0 || node.ttlMs === undefined) continue;
      if (node.ttlMs !== 0 && nowMs - Number(node.mtime) > node.ttlMs) candidates.push(path);
    }
    return candidates.sort();
  }

  /** A snapshot: nodes, sessions, lastZxid and the digest (checked on load). */
  serialize(): Uint8Array {
    return writeSnapshot(this.store, this.liveSessions, this.zxidLast);
  }

  /**
   * A snapshot of the tree as it is now, to be written a slice at a time (IncrementalSnapshot.advance) while
   * txns go on being applied; its bytes equal serialize()'s now. One at a time per tree.
   */
  beginSnapshot(initialCapacityBytes?: number): IncrementalSnapshot {
    return new IncrementalSnapshot(this.store, this.liveSessions, this.zxidLast, { initialCapacityBytes });
  }

  static deserialize(bytes: Uint8Array, options: DataTreeOptions = {}): DataTree {
    const tree = new DataTree(options);
    const snapshot = readSnapshot(bytes);
    tree.store = snapshot.store;
    for (const [sessionId, timeoutMs] of snapshot.sessions) tree.liveSessions.set(sessionId, timeoutMs);
    tree.zxidLast = snapshot.lastZxid;
    return tree;
  }
}

function assertDataWithin(txn: Txn, maxDataBytes: number): void {
  if (txn.type === 'multi') txn.txns.forEach((t) => assertDataWithin(t, maxDataBytes));
  else if (txn.type === 'create' || txn.type === 'setData') {
    assert(txn.data.length <= maxDataBytes, `${txn.path}: ${txn.data.length} bytes of data exceed ${maxDataBytes}`);
  }
}
