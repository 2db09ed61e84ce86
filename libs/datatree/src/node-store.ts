// The nodes themselves: a path → node map with ZooKeeper's indexes (ephemerals by session,
// containers, TTLs) and the incremental digest; the primitive changes DataTree's txns are built of.
import { EventType, ErrorCode, NULL_DATA, type Acl, type Stat } from '@zk/wire';
import { assert } from './assert';
import { OPEN_ACL_UNSAFE, READ_ACL_UNSAFE } from './acl';
import { AclCache } from './acl-cache';
import { addDigest, nodeDigest, removeDigest, type NodeDigest } from './digest';
import type { NodeKind } from './node-kind';
import { childNameOf, nodeKey, parentOf } from './path';
import { clientStat, createPersistedStat, type PersistedStat } from './stat';
import type { TreeEvent } from './txn';
import { valueBytes, valueLength, ValueStore, type ValueHolder } from './value-store';

/**
 * A node's value is read with valueBytes(node) and valueLength(node) (see ValueHolder). The persisted stat's
 * fields are the node's own: a stat object of its own would cost another 32 B per node.
 */
export interface ZNode extends ValueHolder, PersistedStat {
  acl: readonly Acl[];
  /** Child names; undefined while there are none (most nodes are leaves, and an empty Set costs ~150 B). */
  children: Set<string> | undefined;
  kind: NodeKind;
  ttlMs?: number;
  /** nodeDigest(path, value, stat), kept so that removal needs no recomputation. */
  digest: NodeDigest;
}

/**
 * Hears of a node's state just before it changes or goes: data, ACL or stat, its child set (a child added or
 * removed), or the node itself deleted. An incremental snapshot keeps the states it started from this way.
 */
export interface NodeChangeObserver {
  beforeChange(path: string, node: ZNode): void;
}

const EMPTY = new Uint8Array(0);
const NO_CHILDREN: ReadonlySet<string> = new Set<string>();

/** A node's child names (a leaf's are one shared empty set: read them, never change them). */
export function childrenOf(node: ZNode): ReadonlySet<string> {
  return node.children ?? NO_CHILDREN;
}

export function childCountOf(node: ZNode): number {
  return node.children === undefined ? 0 : node.children.size;
}

/** The Stat a client sees of this node. */
export function clientStatOf(node: ZNode): Stat {
  return clientStat(node, node.kind, valueLength(node), childCountOf(node));
}

export class NodeStore {
  private readonly nodes = new Map<string, ZNode>();
  private readonly ephemeralsBySession = new Map<bigint, Set<string>>();
  private readonly containerPaths = new Set<string>();
  private readonly ttlPaths = new Set<string>();
  private readonly acls = new AclCache();
  private readonly values = new ValueStore();
  private digestSum = 0n;
  private lastTimeMs = 0;
  private lastTime = 0n;
  private observer: NodeChangeObserver | undefined;

  /** The tree every ZooKeeper starts with: /, /zookeeper, /zookeeper/quota, /zookeeper/config. */
  static withSystemNodes(): NodeStore {
    const store = new NodeStore();
    const zeroStat = (): PersistedStat => createPersistedStat(0n, 0n, 0n);
    store.insert('/', { data: EMPTY, acl: OPEN_ACL_UNSAFE, stat: zeroStat(), kind: 'persistent' });
    store.insert('/zookeeper', { data: EMPTY, acl: OPEN_ACL_UNSAFE, stat: zeroStat(), kind: 'persistent' });
    store.insert('/zookeeper/quota', { data: EMPTY, acl: OPEN_ACL_UNSAFE, stat: zeroStat(), kind: 'persistent' });
    // DataTree.addConfigNode sets a read-only ACL through setACL(path, acl, -1): aversion is -1.
    store.insert('/zookeeper/config', { data: EMPTY, acl: READ_ACL_UNSAFE, stat: { ...zeroStat(), aversion: -1 }, kind: 'persistent' });
    return store;
  }

  get(path: string): ZNode | undefined {
    return this.nodes.get(nodeKey(path));
  }

  get size(): number {
    return this.nodes.size;
  }

  get digest(): bigint {
    return this.digestSum;
  }

  /** How many distinct ACLs the nodes hold (each is stored once). */
  get distinctAcls(): number {
    return this.acls.size;
  }

  /** How the values are kept (slab use), for tests and measurements. */
  get valueStats(): ValueStore['stats'] {
    return this.values.stats;
  }

  /** Paths in pre-order (parents before children, children sorted): deterministic for snapshots. */
  *preOrder(): Generator<[string, ZNode]> {
    const stack: string[] = ['/'];
    while (stack.length > 0) {
      const path = stack.pop() as string;
      const node = this.nodes.get(path);
      assert(node !== undefined, `child ${path} listed but missing`);
      yield [path, node];
      const prefix = path === '/' ? '/' : path + '/';
      const names = [...childrenOf(node)].sort().reverse();
      for (const name of names) stack.push(prefix + name);
    }
  }

  /** One observer at a time (an incremental snapshot); undefined stops observing. */
  observeChanges(observer: NodeChangeObserver | undefined): void {
    assert(observer === undefined || this.observer === undefined || this.observer === observer, 'another observer already watches the store');
    this.observer = observer;
  }

  ephemerals(sessionId: bigint): ReadonlySet<string> {
    return this.ephemeralsBySession.get(sessionId) ?? new Set();
  }

  ephemeralSessions(): bigint[] {
    return [...this.ephemeralsBySession.keys()];
  }

  containers(): ReadonlySet<string> {
    return this.containerPaths;
  }

  ttls(): ReadonlySet<string> {
    return this.ttlPaths;
  }

  /**
   * Adds a node under an existing parent (or the root), without touching the parent's stat. Like create and
   * setData it keeps its own copy of small data (ValueStore.keep), so the caller may reuse its buffer.
   */
  insert(path: string, fields: { data: Uint8Array; acl: readonly Acl[]; stat: PersistedStat; kind: NodeKind; ttlMs?: number }): void {
    assert(!this.nodes.has(path), `insert: ${path} exists`);
    if (path !== '/') {
      const parentPath = parentOf(path);
      const parent = this.nodes.get(parentPath);
      assert(parent !== undefined, `insert: parent of ${path} missing`);
      this.observer?.beforeChange(parentPath, parent);
      addChild(parent, childNameOf(path));
    }
    const node = this.newNode(path, fields.data, fields.acl, fields.stat, fields.kind, fields.ttlMs);
    this.nodes.set(path, node);
    this.digestSum = addDigest(this.digestSum, node.digest);
    this.index(path, node);
  }

  /** DataTree.createNode. Returns 0, noNode (parent missing) or nodeExists. */
  create(
    path: string,
    fields: { data: Uint8Array; acl: readonly Acl[]; kind: NodeKind; ttlMs?: number; ephemeralOwner: bigint },
    parentCversion: number,
    zxid: bigint,
    timeMs: number,
    events: TreeEvent[],
  ): number {
    const parentPath = parentOf(path);
    const parent = this.nodes.get(parentPath);
    if (parent === undefined) return ErrorCode.noNode;
    if (this.nodes.has(path)) return ErrorCode.nodeExists;
    const cversion = parentCversion === -1 ? parent.cversion + 1 : parentCversion;
    this.change(parentPath, parent, () => {
      // Only forward, as ZooKeeper does (a replayed create must not move cversion/pzxid back).
      if (cversion > parent.cversion) {
        parent.cversion = cversion;
        parent.pzxid = zxid;
      }
    });
    addChild(parent, childNameOf(path));
    const stat = createPersistedStat(zxid, this.timeOf(timeMs), fields.ephemeralOwner);
    const node = this.newNode(path, fields.data, fields.acl, stat, fields.kind, fields.ttlMs);
    this.nodes.set(path, node);
    this.digestSum = addDigest(this.digestSum, node.digest);
    this.index(path, node);
    events.push({ type: EventType.nodeCreated, path, acl: node.acl });
    events.push({ type: EventType.nodeChildrenChanged, path: parentPath, acl: parent.acl });
    return ErrorCode.ok;
  }

  /** DataTree.deleteNode: the parent's pzxid moves forward even when the child is already gone. */
  delete(path: string, zxid: bigint, events: TreeEvent[]): number {
    const parentPath = parentOf(path);
    const parent = this.nodes.get(parentPath);
    if (parent === undefined) return ErrorCode.noNode;
    const name = childNameOf(path);
    this.change(parentPath, parent, () => {
      if (zxid > parent.pzxid) parent.pzxid = zxid;
    });
    removeChild(parent, name);
    const node = path === '/' ? undefined : this.nodes.get(path);
    if (node === undefined) return ErrorCode.noNode;
    assert(node.children === undefined, `delete: ${path} has children`);
    this.observer?.beforeChange(path, node);
    this.nodes.delete(path);
    this.digestSum = removeDigest(this.digestSum, node.digest);
    this.acls.release(node.acl);
    this.releaseValue(node.value, node.valueAt);
    this.unindex(path, node);
    events.push({ type: EventType.nodeDeleted, path, acl: node.acl });
    events.push({ type: EventType.nodeChildrenChanged, path: parentPath, acl: parent.acl });
    return ErrorCode.ok;
  }

  /** DataTree.setData: `version` is the new version. */
  setData(path: string, data: Uint8Array, version: number, zxid: bigint, timeMs: number, events: TreeEvent[]): number {
    const node = this.get(path);
    if (node === undefined) return ErrorCode.noNode;
    const { value: replaced, valueAt: replacedAt } = node;
    this.change(nodeKey(path), node, () => {
      this.values.keep(node, data);
      node.mtime = this.timeOf(timeMs);
      node.mzxid = zxid;
      node.version = version;
    });
    this.releaseValue(replaced, replacedAt);
    events.push({ type: EventType.nodeDataChanged, path, acl: node.acl });
    return ErrorCode.ok;
  }

  /** DataTree.setACL: `version` is the new aversion. No watch fires. */
  setAcl(path: string, acl: readonly Acl[], version: number): number {
    const node = this.get(path);
    if (node === undefined) return ErrorCode.noNode;
    const held = this.acls.hold(acl);
    this.acls.release(node.acl);
    this.change(nodeKey(path), node, () => {
      node.aversion = version;
      node.acl = held;
    });
    return ErrorCode.ok;
  }

  /** DataTree.setCversionPzxid (the NODEEXISTS replay fix-up of processTxn). */
  setCversionPzxid(path: string, cversion: number, zxid: bigint): number {
    const node = this.get(path);
    if (node === undefined) return ErrorCode.noNode;
    const target = cversion === -1 ? node.cversion + 1 : cversion;
    if (target > node.cversion) {
      this.change(nodeKey(path), node, () => {
        node.cversion = target;
        node.pzxid = zxid;
      });
    }
    return ErrorCode.ok;
  }

  /** A txn time as a bigint: txns in a burst share their millisecond, and then their nodes one bigint (24 B). */
  private timeOf(timeMs: number): bigint {
    if (timeMs !== this.lastTimeMs) {
      this.lastTimeMs = timeMs;
      this.lastTime = BigInt(timeMs);
    }
    return this.lastTime;
  }

  /** Every node is built here, so that all have one shape (ttlMs is added only to TTL nodes). */
  private newNode(path: string, data: Uint8Array, acl: readonly Acl[], stat: PersistedStat, kind: NodeKind, ttlMs: number | undefined): ZNode {
    const node: ZNode = {
      value: NULL_DATA,
      valueAt: 0,
      acl: this.acls.hold(acl),
      children: undefined,
      kind,
      digest: 0,
      czxid: stat.czxid,
      mzxid: stat.mzxid,
      pzxid: stat.pzxid,
      ctime: stat.ctime,
      mtime: stat.mtime,
      version: stat.version,
      cversion: stat.cversion,
      aversion: stat.aversion,
      ephemeralOwner: stat.ephemeralOwner,
    };
    this.values.keep(node, data);
    node.digest = nodeDigest(path, data, stat);
    if (ttlMs !== undefined) node.ttlMs = ttlMs;
    return node;
  }

  /** Compaction runs here, where values are let go of, so that the slabs' dead space stays below the live bytes. */
  private releaseValue(value: ValueHolder['value'], valueAt: number): void {
    this.values.release(value, valueAt);
    if (!this.values.needsCompaction) return;
    this.values.compact((relocate) => {
      for (const node of this.nodes.values()) relocate(node);
    });
  }

  /** Every change to a node's data or stat goes through here so the digest stays exact. */
  private change(path: string, node: ZNode, mutate: () => void): void {
    this.observer?.beforeChange(path, node);
    this.digestSum = removeDigest(this.digestSum, node.digest);
    mutate();
    node.digest = nodeDigest(path, valueBytes(node), node);
    this.digestSum = addDigest(this.digestSum, node.digest);
  }

  private index(path: string, node: ZNode): void {
    if (node.kind === 'container') this.containerPaths.add(path);
    else if (node.kind === 'ttl') this.ttlPaths.add(path);
    else if (node.kind === 'ephemeral') {
      let paths = this.ephemeralsBySession.get(node.ephemeralOwner);
      if (paths === undefined) {
        paths = new Set();
        this.ephemeralsBySession.set(node.ephemeralOwner, paths);
      }
      paths.add(path);
    }
  }

  private unindex(path: string, node: ZNode): void {
    if (node.kind === 'container') this.containerPaths.delete(path);
    else if (node.kind === 'ttl') this.ttlPaths.delete(path);
    else if (node.kind === 'ephemeral') {
      const paths = this.ephemeralsBySession.get(node.ephemeralOwner);
      paths?.delete(path);
      if (paths?.size === 0) this.ephemeralsBySession.delete(node.ephemeralOwner);
    }
  }
}

function addChild(parent: ZNode, name: string): void {
  if (parent.children === undefined) parent.children = new Set();
  parent.children.add(name);
}

/** The last child gone, the set goes too: a node's memory does not depend on how many children it once had. */
function removeChild(parent: ZNode, name: string): void {
  if (parent.children === undefined) return;
  parent.children.delete(name);
  if (parent.children.size === 0) parent.children = undefined;
}
