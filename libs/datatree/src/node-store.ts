// The nodes themselves: a path → node map with ZooKeeper's indexes (ephemerals by session,
// containers, TTLs) and the incremental digest; the primitive changes DataTree's txns are built of.
import { EventType, ErrorCode, type Acl } from '@zk/wire';
import { assert } from './assert';
import { OPEN_ACL_UNSAFE, READ_ACL_UNSAFE } from './acl';
import { addDigest, nodeDigest, removeDigest } from './digest';
import type { NodeKind } from './node-kind';
import { childNameOf, nodeKey, parentOf } from './path';
import { createPersistedStat, type PersistedStat } from './stat';
import type { TreeEvent } from './txn';

export interface ZNode {
  data: Uint8Array;
  acl: readonly Acl[];
  stat: PersistedStat;
  children: Set<string>;
  kind: NodeKind;
  ttlMs?: number;
  /** nodeDigest(path, data, stat), kept so that removal needs no recomputation. */
  digest: bigint;
}

export function freezeAcl(acl: readonly Acl[]): readonly Acl[] {
  return Object.freeze(acl.map((a) => Object.freeze({ perms: a.perms, id: Object.freeze({ scheme: a.id.scheme, id: a.id.id }) })));
}

const EMPTY = new Uint8Array(0);

export class NodeStore {
  private readonly nodes = new Map<string, ZNode>();
  private readonly ephemeralsBySession = new Map<bigint, Set<string>>();
  private readonly containerPaths = new Set<string>();
  private readonly ttlPaths = new Set<string>();
  private digestSum = 0n;

  /** The tree every ZooKeeper starts with: /, /zookeeper, /zookeeper/quota, /zookeeper/config. */
  static withSystemNodes(): NodeStore {
    const store = new NodeStore();
    const zeroStat = (): PersistedStat => createPersistedStat(0n, 0, 0n);
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

  /** Paths in pre-order (parents before children, children sorted): deterministic for snapshots. */
  *preOrder(): Generator<[string, ZNode]> {
    const stack: string[] = ['/'];
    while (stack.length > 0) {
      const path = stack.pop() as string;
      const node = this.nodes.get(path);
      assert(node !== undefined, `child ${path} listed but missing`);
      yield [path, node];
      const prefix = path === '/' ? '/' : path + '/';
      const names = [...node.children].sort().reverse();
      for (const name of names) stack.push(prefix + name);
    }
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

  /** Adds a node under an existing parent (or the root), without touching the parent's stat. */
  insert(path: string, fields: { data: Uint8Array; acl: readonly Acl[]; stat: PersistedStat; kind: NodeKind; ttlMs?: number }): void {
    assert(!this.nodes.has(path), `insert: ${path} exists`);
    const node: ZNode = { ...fields, acl: freezeAcl(fields.acl), children: new Set(), digest: nodeDigest(path, fields.data, fields.stat) };
    if (path !== '/') {
      const parent = this.nodes.get(parentOf(path));
      assert(parent !== undefined, `insert: parent of ${path} missing`);
      parent.children.add(childNameOf(path));
    }
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
    const cversion = parentCversion === -1 ? parent.stat.cversion + 1 : parentCversion;
    this.change(parentPath, parent, () => {
      // Only forward, as ZooKeeper does (a replayed create must not move cversion/pzxid back).
      if (cversion > parent.stat.cversion) {
        parent.stat.cversion = cversion;
        parent.stat.pzxid = zxid;
      }
    });
    parent.children.add(childNameOf(path));
    const stat = createPersistedStat(zxid, timeMs, fields.ephemeralOwner);
    const node: ZNode = {
      data: fields.data,
      acl: freezeAcl(fields.acl),
      stat,
      children: new Set(),
      kind: fields.kind,
      ...(fields.ttlMs === undefined ? {} : { ttlMs: fields.ttlMs }),
      digest: nodeDigest(path, fields.data, stat),
    };
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
      if (zxid > parent.stat.pzxid) parent.stat.pzxid = zxid;
    });
    parent.children.delete(name);
    const node = path === '/' ? undefined : this.nodes.get(path);
    if (node === undefined) return ErrorCode.noNode;
    assert(node.children.size === 0, `delete: ${path} has children`);
    this.nodes.delete(path);
    this.digestSum = removeDigest(this.digestSum, node.digest);
    this.unindex(path, node);
    events.push({ type: EventType.nodeDeleted, path, acl: node.acl });
    events.push({ type: EventType.nodeChildrenChanged, path: parentPath, acl: parent.acl });
    return ErrorCode.ok;
  }

  /** DataTree.setData: `version` is the new version. */
  setData(path: string, data: Uint8Array, version: number, zxid: bigint, timeMs: number, events: TreeEvent[]): number {
    const node = this.get(path);
    if (node === undefined) return ErrorCode.noNode;
    this.change(nodeKey(path), node, () => {
      node.data = data;
      node.stat.mtime = BigInt(timeMs);
      node.stat.mzxid = zxid;
      node.stat.version = version;
    });
    events.push({ type: EventType.nodeDataChanged, path, acl: node.acl });
    return ErrorCode.ok;
  }

  /** DataTree.setACL: `version` is the new aversion. No watch fires. */
  setAcl(path: string, acl: readonly Acl[], version: number): number {
    const node = this.get(path);
    if (node === undefined) return ErrorCode.noNode;
    this.change(nodeKey(path), node, () => {
      node.stat.aversion = version;
      node.acl = freezeAcl(acl);
    });
    return ErrorCode.ok;
  }

  /** DataTree.setCversionPzxid (the NODEEXISTS replay fix-up of processTxn). */
  setCversionPzxid(path: string, cversion: number, zxid: bigint): number {
    const node = this.get(path);
    if (node === undefined) return ErrorCode.noNode;
    const target = cversion === -1 ? node.stat.cversion + 1 : cversion;
    if (target > node.stat.cversion) {
      this.change(nodeKey(path), node, () => {
        node.stat.cversion = target;
        node.stat.pzxid = zxid;
      });
    }
    return ErrorCode.ok;
  }

  /** Every change to a node's data or stat goes through here so the digest stays exact. */
  private change(path: string, node: ZNode, mutate: () => void): void {
    this.digestSum = removeDigest(this.digestSum, node.digest);
    mutate();
    node.digest = nodeDigest(path, node.data, node.stat);
    this.digestSum = addDigest(this.digestSum, node.digest);
  }

  private index(path: string, node: ZNode): void {
    if (node.kind === 'container') this.containerPaths.add(path);
    else if (node.kind === 'ttl') this.ttlPaths.add(path);
    else if (node.kind === 'ephemeral') {
      let paths = this.ephemeralsBySession.get(node.stat.ephemeralOwner);
      if (paths === undefined) {
        paths = new Set();
        this.ephemeralsBySession.set(node.stat.ephemeralOwner, paths);
      }
      paths.add(path);
    }
  }

  private unindex(path: string, node: ZNode): void {
    if (node.kind === 'container') this.containerPaths.delete(path);
    else if (node.kind === 'ttl') this.ttlPaths.delete(path);
    else if (node.kind === 'ephemeral') {
      const paths = this.ephemeralsBySession.get(node.stat.ephemeralOwner);
      paths?.delete(path);
      if (paths?.size === 0) this.ephemeralsBySession.delete(node.stat.ephemeralOwner);
    }
  }
}
