// Snapshots: a round trip gives the same tree, and damaged bytes are refused.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DataTree } from './data-tree';
import { Harness, OPEN, bytes, create } from './test-harness';
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

/** Random writes on a small namespace (so they hit nodes the snapshot has and has not reached yet). */
function randomWrite(h: Harness, random: () => number): void {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const names = ['a', 'b', 'c', 'd'];
  const depth = 1 + Math.floor(random() * 3);
  const path = '/' + Array.from({ length: depth }, () => pick(names)).join('/');
  const parent = path.slice(0, path.lastIndexOf('/')) || '/';
  const value = 'v'.repeat(Math.floor(random() * 40)) + String(random());
  switch (pick(['create', 'create', 'sequential', 'ephemeral', 'delete', 'setData', 'setData', 'setAcl', 'session'] as const)) {
    case 'create':
      h.run(create(path, 0, value));
      return;
    case 'sequential':
      h.run(create(`${parent === '/' ? '' : parent}/seq-`, 2, value));
      return;
    case 'ephemeral':
      h.run(create(path, 1, value), { sessionId: pick([5n, 6n]) });
      return;
    case 'delete':
      h.run({ op: 2, path, version: -1 });
      return;
    case 'setData':
      h.run({ op: 5, path, data: bytes(value), version: -1 });
      return;
    case 'setAcl':
      h.run({ op: 7, path, acl: random() < 0.5 ? OPEN : [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }], version: -1 });
      return;
    case 'session': {
      // Closing a session deletes its ephemerals; open it again so later ephemerals have an owner.
      const sessionId = pick([5n, 6n]);
      h.closeSession(sessionId);
      h.createSession(sessionId, 4000);
      return;
    }
  }
}

describe('DataTree incremental snapshots', () => {
  it('equal the snapshot of the tree when they began, whatever txns change it between slices (property)', () => {
    // Uniform numbers in [0, 1): unbiased integers (fast-check otherwise leans towards edge values, and its
    // doubles are uniform over their bit patterns, mostly tiny), so the writes are spread over every kind.
    const randomNumbers = fc.infiniteStream(fc.noBias(fc.integer({ min: 0, max: 0xffff_ffff })).map((n) => n / 2 ** 32));
    fc.assert(
      fc.property(randomNumbers, (stream) => {
        const numbers = stream[Symbol.iterator]();
        const random = (): number => numbers.next().value as number;
        const h = busyTree();
        for (let i = 0; i < 150; i++) randomWrite(h, random);
        const expected = h.tree.serialize();
        const snapshot = h.tree.beginSnapshot();
        let done = false;
        while (!done) {
          done = snapshot.advance(1 + Math.floor(random() * 4));
          for (let i = Math.floor(random() * 6); i > 0; i--) randomWrite(h, random);
        }
        const bytesOf = snapshot.finish();
        expect(Buffer.from(bytesOf).equals(Buffer.from(expected))).toBe(true);
        expect(DataTree.deserialize(bytesOf).digest()).toBe(DataTree.deserialize(expected).digest());
        // It let go of the tree: another may begin, and one taken now is the tree as it is now.
        const next = h.tree.beginSnapshot();
        next.advance(Infinity);
        expect(Buffer.from(next.finish()).equals(Buffer.from(h.tree.serialize()))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('keeps a subtree removed and created again before the snapshot reached it as it was', () => {
    const h = new Harness();
    h.run(create('/z', 0, 'old-z'));
    h.run(create('/z/child', 0, 'old-child'));
    const expected = h.tree.serialize();
    const snapshot = h.tree.beginSnapshot();
    snapshot.advance(1); // the root only: /zookeeper and /z are still ahead
    h.run({ op: 2, path: '/z/child', version: -1 });
    h.run({ op: 2, path: '/z', version: -1 });
    h.run(create('/z', 0, 'new-z'));
    h.run(create('/z/other', 0, 'new'));
    h.run(create('/y', 0, 'new'));
    snapshot.advance(Infinity);
    expect(Buffer.from(snapshot.finish()).equals(Buffer.from(expected))).toBe(true);
  });

  it('refuses a second observer while one snapshot is under way, and an unfinished finish', () => {
    const h = busyTree();
    const first = h.tree.beginSnapshot();
    expect(() => h.tree.beginSnapshot()).toThrow(/another observer/);
    expect(() => first.finish()).toThrow(/before every node/);
    first.abort();
    const second = h.tree.beginSnapshot();
    second.advance(Infinity);
    expect(Buffer.from(second.finish()).equals(Buffer.from(h.tree.serialize()))).toBe(true);
  });
});
