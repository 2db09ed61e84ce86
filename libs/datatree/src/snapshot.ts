// Snapshot bytes: lastZxid, sessions, every node in pre-order (path, data, ACL, persisted stat,
// kind) and the digest, which loading recomputes and compares so a damaged snapshot is refused.
import { dataOrNull, JuteReader, JuteWriter } from '@zk/wire';
import { assert } from './assert';
import { NodeStore, type NodeChangeObserver, type ZNode } from './node-store';
import { storedEphemeralOwner, type NodeKind } from './node-kind';
import type { PersistedStat } from './stat';
import { marshallingErrorOf } from './txn-codec';
import { valueBytes } from './value-store';

const SNAPSHOT_MAGIC = 0x5a4b4454; // "ZKDT"
const SNAPSHOT_VERSION = 1;
const KINDS: readonly NodeKind[] = ['persistent', 'ephemeral', 'container', 'ttl'];

export function writeSnapshot(store: NodeStore, sessions: ReadonlyMap<bigint, number>, lastZxid: bigint): Uint8Array {
  // Written in one go: nothing changes meanwhile, so nothing to observe (and a live snapshot may be observing).
  const snapshot = new IncrementalSnapshot(store, sessions, lastZxid, { observe: false });
  snapshot.advance(Infinity);
  return snapshot.finish().slice();
}

/** A node's state when the snapshot began, kept when it changed before the snapshot reached it. */
interface NodeAtStart {
  record: Uint8Array;
  children: string[] | undefined;
}

/**
 * The snapshot of a tree exactly as it was when this was made, written a slice of nodes at a time while
 * txns keep changing the tree (the serving thread never pauses for a whole tree). The store tells it of
 * every node about to change (NodeChangeObserver): a node the snapshot has not written yet keeps its state
 * from the start here, child names included, and nodes created after the start are never reached, as the
 * walk follows the child sets of the start. The bytes equal writeSnapshot's at the start, digest included.
 */
export class IncrementalSnapshot implements NodeChangeObserver {
  readonly lastZxid: bigint;
  /** Node records in the snapshot (DataTree.nodeCount counts one more, as ZooKeeper does). */
  readonly nodeCount: number;
  readonly sessionCount: number;
  readonly digest: bigint;
  private readonly writer: JuteWriter;
  /** Paths still to write, the next on top (pre-order: parents before children, children sorted). */
  private readonly pending: string[] = ['/'];
  private readonly atStart = new Map<string, NodeAtStart>();
  private written = 0;
  private finished = false;
  private readonly observing: boolean;

  constructor(
    private readonly store: NodeStore,
    sessions: ReadonlyMap<bigint, number>,
    lastZxid: bigint,
    { initialCapacityBytes = 1024, observe = true }: { initialCapacityBytes?: number; observe?: boolean } = {},
  ) {
    this.lastZxid = lastZxid;
    this.nodeCount = store.size;
    this.sessionCount = sessions.size;
    this.digest = store.digest;
    this.writer = new JuteWriter(initialCapacityBytes);
    this.writer.int(SNAPSHOT_MAGIC).int(SNAPSHOT_VERSION).long(lastZxid);
    const sessionIds = [...sessions.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.writer.int(sessionIds.length);
    for (const id of sessionIds) this.writer.long(id).int(sessions.get(id) as number);
    this.writer.int(this.nodeCount);
    this.observing = observe;
    if (observe) store.observeChanges(this);
  }

  /** Whether every node is written (finish may be called). */
  get complete(): boolean {
    return this.pending.length === 0;
  }

  /** Bytes written so far. */
  get bytesWritten(): number {
    return this.writer.length;
  }

  /** Writes up to `nodes` more nodes; true once all are written. */
  advance(nodes: number): boolean {
    assert(!this.finished, 'advance after the snapshot finished');
    for (let n = 0; n < nodes && this.pending.length > 0; n++) {
      const path = this.pending.pop() as string;
      const kept = this.atStart.get(path);
      let children: Iterable<string> | undefined;
      if (kept !== undefined) {
        this.writer.raw(kept.record);
        children = kept.children;
      } else {
        // Not changed since the start (a change or removal would have been kept), child set included.
        const node = this.store.get(path);
        assert(node !== undefined, `snapshot: ${path} is gone but its state at the start was not kept`);
        writeNodeRecord(this.writer, path, node);
        children = node.children;
      }
      this.written++;
      if (children === undefined) continue;
      const prefix = path === '/' ? '/' : path + '/';
      const names = [...children].sort();
      for (let i = names.length - 1; i >= 0; i--) this.pending.push(prefix + names[i]);
    }
    return this.pending.length === 0;
  }

  /** The snapshot's bytes (a view of the writer's buffer); stops observing the store. */
  finish(): Uint8Array {
    assert(this.complete, 'finish before every node was written');
    assert(this.written === this.nodeCount, `snapshot wrote ${this.written} nodes of ${this.nodeCount}`);
    this.stop();
    this.writer.long(this.digest);
    return this.writer.toBytes();
  }

  /** Gives up (the tree was replaced, the server stops): stops observing. */
  abort(): void {
    this.stop();
  }

  beforeChange(path: string, node: ZNode): void {
    // Created after the start: not in this snapshot. Kept already: that is the state at the start.
    if (node.czxid > this.lastZxid || this.atStart.has(path)) return;
    const record = new JuteWriter(256);
    writeNodeRecord(record, path, node);
    this.atStart.set(path, { record: record.toBytes().slice(), children: node.children === undefined ? undefined : [...node.children] });
  }

  private stop(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.observing) this.store.observeChanges(undefined);
    this.atStart.clear();
  }
}

function writeNodeRecord(writer: JuteWriter, path: string, node: ZNode): void {
  writer.string(path).buffer(valueBytes(node)).aclList(node.acl);
  writer.long(node.czxid).long(node.mzxid).long(node.pzxid).long(node.ctime).long(node.mtime);
  writer.int(node.version).int(node.cversion).int(node.aversion).long(node.ephemeralOwner);
  writer.int(KINDS.indexOf(node.kind)).long(node.ttlMs === undefined ? -1n : BigInt(node.ttlMs));
}

export interface Snapshot {
  store: NodeStore;
  sessions: Map<bigint, number>;
  lastZxid: bigint;
}

/** Throws (WireError or AssertionError) on bytes that are not a whole, consistent snapshot. */
export function readSnapshot(bytes: Uint8Array): Snapshot {
  // A plain view (not a Node Buffer, whose views cost more to make): values are read as views into it, and
  // the store copies each one it keeps.
  const reader = new JuteReader(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (reader.int() !== SNAPSHOT_MAGIC) throw marshallingErrorOf('not a datatree snapshot');
  const version = reader.int();
  if (version !== SNAPSHOT_VERSION) throw marshallingErrorOf(`snapshot version ${version} is not supported`);
  const lastZxid = reader.long();
  const sessions = new Map<bigint, number>();
  const sessionIds = new Map<bigint, bigint>();
  const sessionCount = reader.int();
  for (let i = 0; i < sessionCount; i++) {
    const sessionId = reader.long();
    sessions.set(sessionId, reader.int());
    sessionIds.set(sessionId, sessionId);
  }
  const store = new NodeStore();
  const nodeCount = reader.int();
  let previous: PersistedStat | undefined;
  for (let i = 0; i < nodeCount; i++) {
    const path = reader.requiredString('path');
    const data = dataOrNull(reader.bufferView());
    const acl = reader.aclList() ?? [];
    const stat = readStat(reader, sessionIds, previous);
    previous = stat;
    const kind = KINDS[reader.int()];
    const ttl = reader.long();
    assert(kind !== undefined, `snapshot: bad kind for ${path}`);
    const ttlMs = kind === 'ttl' ? Number(ttl) : undefined;
    if (kind !== 'ephemeral') {
      assert(stat.ephemeralOwner === storedEphemeralOwner(kind, 0n, ttlMs), `snapshot: ${path} owner does not match ${kind}`);
    }
    store.insert(path, { data, acl, stat, kind, ...(ttlMs === undefined ? {} : { ttlMs }) });
  }
  const digest = reader.long();
  if (!reader.atEnd) throw marshallingErrorOf(`${reader.remaining} bytes after the snapshot`);
  assert(store.get('/') !== undefined, 'snapshot has no root');
  assert(store.digest === digest, `snapshot digest ${store.digest} != recorded ${digest}`);
  return { store, sessions, lastZxid };
}

/**
 * A stat whose equal fields share one bigint, as a node created by a txn has them (its zxid in czxid, mzxid
 * and pzxid, its time in ctime and mtime, its session's id as owner; siblings created in the same
 * millisecond, next to each other in pre-order, one time): each bigint is a 24 B heap object.
 */
function readStat(reader: JuteReader, sessionIds: ReadonlyMap<bigint, bigint>, previous: PersistedStat | undefined): PersistedStat {
  const czxid = reader.long();
  const mzxid = sameAs(reader.long(), czxid);
  const pzxid = sameAs(sameAs(reader.long(), czxid), mzxid);
  const ctime = previous === undefined ? reader.long() : sameAs(reader.long(), previous.ctime);
  const mtime = sameAs(reader.long(), ctime);
  const version = reader.int();
  const cversion = reader.int();
  const aversion = reader.int();
  const owner = reader.long();
  const ephemeralOwner = owner === 0n ? NO_OWNER : (sessionIds.get(owner) ?? owner);
  return { czxid, mzxid, pzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner };
}

const NO_OWNER = 0n;

function sameAs(value: bigint, earlier: bigint): bigint {
  return value === earlier ? earlier : value;
}
