// Snapshots: a round trip gives the same tree, and damaged bytes are refused.
import { describe, expect, it } from 'vitest';
import { DataTree } from './data-tree';
import { Harness, bytes, create } from './test-harness';
import type { CreateRequest } from '@zk/wire';

function busyTree(): Harness {
  const h = new Harness();
  h.createSession(5n, 4000);
  h.createSession(6n, 9000);
  h.run(create('/a', 0, 'alpha'));
  h.run(create('/a/e', 1), { sessionId: 5n });
  h.run({ op: 19, path: '/c', data: bytes(''), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: 4 });
  h.run({ op: 21, path: '/t', data: bytes('t'), acl: [{ perms: 1, id: { scheme: 'digest', id: 'u:p' } }], flags: 5, ttl: 1234n } as CreateRequest);
  h.run(create('/c/x'));
  h.run({ op: 2, path: '/c/x', version: -1 });
  h.run({ op: 5, path: '/a', data: bytes('beta'), version: 0 });
  h.run(create('/zookeeper/mine'));
  return h;
}

describe('DataTree snapshots', () => {
  it('round-trips nodes, stats, kinds, sessions, lastZxid and the digest', () => {
    const original = busyTree().tree;
    const copy = DataTree.deserialize(original.serialize());
    for (const path of ['/', '/a', '/a/e', '/c', '/t', '/zookeeper', '/zookeeper/config', '/zookeeper/mine']) {
      expect([path, copy.getNode(path)]).toEqual([path, original.getNode(path)]);
      expect([path, copy.getPersisted(path)]).toEqual([path, original.getPersisted(path)]);
    }
    expect(copy.digest()).toBe(original.digest());
    expect(copy.lastZxid).toBe(original.lastZxid);
    expect([...copy.sessions()]).toEqual([...original.sessions()]);
    expect(copy.ephemeralsOf(5n)).toEqual(['/a/e']);
    expect(copy.containersToDelete(1e12)).toEqual(original.containersToDelete(1e12));
    expect(copy.nodeCount).toBe(original.nodeCount);
    expect(copy.serialize()).toEqual(original.serialize());
  });

  it('keeps its own copies of the values it loaded (values are read as views into the snapshot bytes)', () => {
    const h = busyTree();
    h.run(create('/medium', 0, 'm'.repeat(3000)));
    h.run(create('/large', 0, 'l'.repeat(20_000)));
    const original = h.tree;
    const bytesOfSnapshot = Buffer.from(original.serialize());
    const copy = DataTree.deserialize(bytesOfSnapshot);
    bytesOfSnapshot.fill(0);
    for (const path of ['/a', '/t', '/medium', '/large']) expect([path, copy.getNode(path)?.data]).toEqual([path, original.getNode(path)?.data]);
    expect(copy.serialize()).toEqual(original.serialize());
  });

  it('keeps working after loading: the same txns give the same tree', () => {
    const h = busyTree();
    const copy = DataTree.deserialize(h.tree.serialize());
    const next = { sessionId: 5n, cxid: 0, zxid: h.tree.lastZxid + 1n, timeMs: 2000 };
    const close = { type: 'closeSession' as const, paths: ['/a/e'] };
    expect(copy.apply(next, close)).toEqual(h.tree.apply(next, close));
    expect(copy.serialize()).toEqual(h.tree.serialize());
  });

  it('refuses a damaged snapshot', () => {
    const bytesOf = busyTree().tree.serialize();
    const dataAt = Buffer.from(bytesOf).indexOf(Buffer.from('beta'));
    const damaged = bytesOf.slice();
    damaged[dataAt] ^= 1;
    expect(() => DataTree.deserialize(damaged)).toThrow(/digest/);
    expect(() => DataTree.deserialize(bytesOf.subarray(0, bytesOf.length - 3))).toThrow();
    expect(() => DataTree.deserialize(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(/not a datatree snapshot/);
  });
});
