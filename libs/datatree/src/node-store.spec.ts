// The node store's memory-saving layout: leaves have no child set, equal ACLs are one list counted by
// their nodes, small values live in slabs that compaction keeps dense — none of it visible in what it answers.
import { describe, expect, it } from 'vitest';
import type { Acl } from '@zk/wire';
import { OPEN_ACL_UNSAFE } from './acl';
import { childCountOf, childrenOf, NodeStore } from './node-store';
import { SLAB_BYTES, SLAB_VALUE_MAX_BYTES, SLAB_WASTE_TOLERATED_BYTES, valueBytes } from './value-store';
import type { TreeEvent } from './txn';
import { readSnapshot, writeSnapshot } from './snapshot';

const digestAcl = (user: string): Acl[] => [{ perms: 31, id: { scheme: 'digest', id: `${user}:h=` } }];
const OPEN: Acl[] = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

/** A store with a few helpers that apply the primitives the way txns do (zxids going up). */
function storeDriver() {
  const store = NodeStore.withSystemNodes();
  let zxid = 1n;
  const events: TreeEvent[] = [];
  return {
    store,
    create: (path: string, data: Uint8Array = new Uint8Array(0), acl: Acl[] = OPEN) =>
      store.create(path, { data, acl, kind: 'persistent', ephemeralOwner: 0n }, -1, zxid++, 1000, events),
    remove: (path: string) => store.delete(path, zxid++, events),
    setData: (path: string, data: Uint8Array) => store.setData(path, data, 1, zxid++, 2000, events),
    setAcl: (path: string, acl: Acl[]) => store.setAcl(path, acl, 1),
  };
}

/** Hex, for comparing bytes: fast, and a failure shows where they differ. */
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The value of the node at `path`, as hex. */
function valueHex(store: NodeStore, path: string): string {
  const node = store.get(path);
  if (node === undefined) throw new Error(`${path} is missing`);
  return hex(valueBytes(node));
}

function filled(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (seed * 13 + i * 7) & 0xff;
  return bytes;
}

describe('NodeStore: child sets', () => {
  it('gives a leaf no set until its first child, and drops it with its last', () => {
    const { store, create, remove } = storeDriver();
    create('/a');
    const a = store.get('/a');
    expect(a?.children).toBeUndefined();
    expect(a && [childCountOf(a), [...childrenOf(a)]]).toEqual([0, []]);
    create('/a/y');
    create('/a/x');
    expect(a && [childCountOf(a), [...childrenOf(a)].sort()]).toEqual([2, ['x', 'y']]);
    remove('/a/y');
    expect(a && [...childrenOf(a)]).toEqual(['x']);
    remove('/a/x');
    expect(a?.children).toBeUndefined();
    create('/a/z');
    expect(a && [...childrenOf(a)]).toEqual(['z']);
  });

  it('walks the tree in pre-order through leaves and parents alike', () => {
    const { store, create, remove } = storeDriver();
    for (const path of ['/b', '/a', '/a/2', '/a/1', '/a/1/x', '/c', '/c/gone']) create(path);
    remove('/c/gone');
    expect([...store.preOrder()].map(([path]) => path)).toEqual([
      '/', '/a', '/a/1', '/a/1/x', '/a/2', '/b', '/c', '/zookeeper', '/zookeeper/config', '/zookeeper/quota',
    ]);
  });
});

describe('NodeStore: ACLs', () => {
  it('gives nodes with equal ACLs one frozen list, the constant for OPEN_ACL_UNSAFE', () => {
    const { store, create } = storeDriver();
    create('/a', undefined, digestAcl('u'));
    create('/b', undefined, digestAcl('u'));
    create('/c', undefined, [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }]);
    expect(store.get('/a')?.acl).toBe(store.get('/b')?.acl);
    expect(store.get('/a')?.acl).toEqual(digestAcl('u'));
    expect(Object.isFrozen(store.get('/a')?.acl)).toBe(true);
    expect(store.get('/c')?.acl).toBe(OPEN_ACL_UNSAFE);
    expect(store.distinctAcls).toBe(3); // OPEN, READ (for /zookeeper/config), digest:u
  });

  it('lets go of an ACL no node holds any more, through delete and setACL', () => {
    const { store, create, remove, setAcl } = storeDriver();
    const before = store.distinctAcls;
    for (let i = 0; i < 50; i++) create(`/n${i}`, undefined, digestAcl(`user${i}`));
    expect(store.distinctAcls).toBe(before + 50);
    for (let i = 0; i < 25; i++) remove(`/n${i}`);
    for (let i = 25; i < 50; i++) setAcl(`/n${i}`, OPEN);
    expect(store.distinctAcls).toBe(before);
    setAcl('/n30', digestAcl('again'));
    setAcl('/n30', digestAcl('again'));
    expect(store.get('/n30')?.acl).toEqual(digestAcl('again'));
    expect(store.distinctAcls).toBe(before + 1);
  });
});

describe('NodeStore: values', () => {
  it('reads back every value byte for byte after many creates, setData and deletes', () => {
    const { store, create, remove, setData } = storeDriver();
    const expected = new Map<string, Uint8Array>();
    const write = (path: string, data: Uint8Array, how: 'create' | 'setData' | 'recreate'): void => {
      if (how === 'recreate') remove(path);
      if (how === 'setData') setData(path, data);
      else create(path, data);
      expected.set(path, data.slice());
      data.fill(0xee); // the caller reuses its buffer
    };
    for (let i = 0; i < 400; i++) write(`/n${i}`, filled(i % 7 === 0 ? 0 : (i * 37) % (SLAB_VALUE_MAX_BYTES + 200), i), 'create');
    for (let round = 1; round <= 40; round++) {
      for (let i = round % 3; i < 400; i += 3) {
        write(`/n${i}`, filled((i * round * 11) % (SLAB_VALUE_MAX_BYTES + 200), i + round), round % 10 === 0 ? 'recreate' : 'setData');
      }
    }
    for (const [path, data] of expected) expect([path, valueHex(store, path)]).toEqual([path, hex(data)]);
    const inSlabs = [...expected.values()].filter((d) => d.length <= SLAB_VALUE_MAX_BYTES);
    expect(store.valueStats.liveBytes).toBe(inSlabs.reduce((sum, d) => sum + d.length, 0));
  });

  it('compacts the slabs that long-lived values pin, changing no value and no digest', () => {
    const { store, create, remove } = storeDriver();
    // 6 MiB of values, then all but one in 64 deleted: each survivor alone in a 64 KiB slab until compaction.
    const count = 6 * 1024;
    for (let i = 0; i < count; i++) create(`/n${i}`, filled(SLAB_VALUE_MAX_BYTES, i));
    const digestBefore = store.digest;
    for (let i = 0; i < count; i++) if (i % 64 !== 0) remove(`/n${i}`);
    const { slabs, liveBytes, wasteBytes } = store.valueStats;
    expect(liveBytes).toBe((count / 64) * SLAB_VALUE_MAX_BYTES);
    expect(wasteBytes).toBeLessThanOrEqual(Math.max(liveBytes, SLAB_WASTE_TOLERATED_BYTES));
    // Without compaction every survivor would still pin its own slab.
    expect(slabs).toBeLessThan(count / 64 - SLAB_WASTE_TOLERATED_BYTES / SLAB_BYTES / 2);
    for (let i = 0; i < count; i += 64) expect([i, valueHex(store, `/n${i}`)]).toEqual([i, hex(filled(SLAB_VALUE_MAX_BYTES, i))]);
    expect(store.digest).not.toBe(digestBefore);
    // Digests recomputed from scratch on loading match the store's.
    const bytes = writeSnapshot(store, new Map(), 0n);
    expect(hex(writeSnapshot(readSnapshot(bytes).store, new Map(), 0n))).toBe(hex(bytes));
  });
});
