// Snapshot bytes: lastZxid, sessions, every node in pre-order (path, data, ACL, persisted stat,
// kind) and the digest, which loading recomputes and compares so a damaged snapshot is refused.
import { dataOrNull, JuteReader, JuteWriter } from '@zk/wire';
import { assert } from './assert';
import { NodeStore } from './node-store';
import { storedEphemeralOwner, type NodeKind } from './node-kind';
import type { PersistedStat } from './stat';
import { marshallingErrorOf } from './txn-codec';

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
    writer.string(path).buffer(node.data).aclList(node.acl);
    const s = node.stat;
    writer.long(s.czxid).long(s.mzxid).long(s.pzxid).long(s.ctime).long(s.mtime);
    writer.int(s.version).int(s.cversion).int(s.aversion).long(s.ephemeralOwner);
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
  const reader = new JuteReader(bytes);
  if (reader.int() !== SNAPSHOT_MAGIC) throw marshallingErrorOf('not a datatree snapshot');
  const version = reader.int();
  if (version !== SNAPSHOT_VERSION) throw marshallingErrorOf(`snapshot version ${version} is not supported`);
  const lastZxid = reader.long();
  const sessions = new Map<bigint, number>();
  const sessionCount = reader.int();
  for (let i = 0; i < sessionCount; i++) sessions.set(reader.long(), reader.int());
  const store = new NodeStore();
  const nodeCount = reader.int();
  for (let i = 0; i < nodeCount; i++) {
    const path = reader.requiredString('path');
    const data = dataOrNull(reader.buffer());
    const acl = reader.aclList() ?? [];
    const stat: PersistedStat = {
      czxid: reader.long(),
      mzxid: reader.long(),
      pzxid: reader.long(),
      ctime: reader.long(),
      mtime: reader.long(),
      version: reader.int(),
      cversion: reader.int(),
      aversion: reader.int(),
      ephemeralOwner: reader.long(),
    };
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
