// Snapshot bytes: lastZxid, sessions, every node in pre-order (path, data, ACL, persisted stat,
// kind) and the digest, which loading recomputes and compares so a damaged snapshot is refused.
import { dataOrNull, JuteReader, JuteWriter } from '@zk/wire';
import { assert } from './assert';
import { NodeStore } from './node-store';
import { storedEphemeralOwner, type NodeKind } from './node-kind';
import type { PersistedStat } from './stat';
import { marshallingErrorOf } from './txn-codec';
import { valueBytes } from './value-store';

const SNAPSHOT_MAGIC = 0x5a4b4454; // "ZKDT"
const SNAPSHOT_VERSION = 1;
const KINDS: readonly NodeKind[] = ['persistent', 'ephemeral', 'container', 'ttl'];

export function writeSnapshot(store: NodeStore, sessions: ReadonlyMap<bigint, number>, lastZxid: bigint): Uint8Array {
  const writer = new JuteWriter(1024);
  writer.int(SNAPSHOT_MAGIC).int(SNAPSHOT_VERSION).long(lastZxid);
  const sessionIds = [...sessions.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  writer.int(sessionIds.length);
  for (const id of sessionIds) writer.long(id).int(sessions.get(id) as number);
  writer.int(store.size);
  for (const [path, node] of store.preOrder()) {
    writer.string(path).buffer(valueBytes(node)).aclList(node.acl);
    writer.long(node.czxid).long(node.mzxid).long(node.pzxid).long(node.ctime).long(node.mtime);
    writer.int(node.version).int(node.cversion).int(node.aversion).long(node.ephemeralOwner);
    writer.int(KINDS.indexOf(node.kind)).long(node.ttlMs === undefined ? -1n : BigInt(node.ttlMs));
  }
  writer.long(store.digest);
  return writer.toBytes().slice();
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
