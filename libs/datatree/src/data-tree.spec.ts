// DataTree.apply for every txn type with hand-built txns: stats, responses, events, digest,
// container/TTL candidates — what ZooKeeper's DataTree.processTxn does, branch by branch.
import { describe, expect, it } from 'vitest';
import { EventType, NULL_DATA } from '@zk/wire';
import { DataTree } from './data-tree';
import { crc32, nodeDigest } from './digest';
import { CONTAINER_EPHEMERAL_OWNER, ttlEphemeralOwner } from './node-kind';
import { OPEN, bytes } from './test-harness';
import type { CreateTxn, Txn, TxnHeader } from './txn';

const READ_ONLY = [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }];

function header(zxid: bigint, sessionId = 7n, timeMs = 5_000): TxnHeader {
  return { sessionId, cxid: 1, zxid, timeMs };
}

function createTxn(path: string, fields: Partial<CreateTxn> = {}): CreateTxn {
  return { type: 'create', path, data: bytes('d'), acl: OPEN, ephemeralOwner: 0n, parentCversion: -1, kind: 'persistent', responseOp: 1, ...fields };
}

/** A tree with /a (zxid 1) and /a/b (zxid 2). */
function treeWithAB(): DataTree {
  const tree = new DataTree();
  tree.apply(header(1n), createTxn('/a', { parentCversion: 1 }));
  tree.apply(header(2n), createTxn('/a/b', { parentCversion: 1 }));
  return tree;
}

describe('DataTree: the initial tree', () => {
  it('holds ZooKeeper’s system nodes with their stats', () => {
    const tree = new DataTree();
    expect(tree.getChildren('/')).toEqual(['zookeeper']);
    expect(tree.getChildren('/zookeeper')).toEqual(['config', 'quota']);
    // stored cversion 0 with children added directly: clients see 0*2 - numChildren.
    expect(tree.getNode('/')?.stat).toEqual({
      czxid: 0n, mzxid: 0n, ctime: 0n, mtime: 0n, version: 0, cversion: -1, aversion: 0, ephemeralOwner: 0n, dataLength: 0, numChildren: 1, pzxid: 0n,
    });
    expect(tree.getNode('/zookeeper')?.stat.cversion).toBe(-2);
    expect(tree.getNode('/zookeeper/config')).toMatchObject({ acl: READ_ONLY, stat: { aversion: -1 } });
    expect(tree.getNode('/zookeeper/quota')?.acl).toEqual(OPEN);
    expect(tree.nodeCount).toBe(5); // ZooKeeper counts the root under "" and "/"
    expect(tree.lastZxid).toBe(0n);
  });

  it('answers "" as the root, like ZooKeeper’s alias', () => {
    expect(new DataTree().getNode('')?.stat.numChildren).toBe(1);
  });
});

describe('DataTree.apply create', () => {
  it('creates a persistent node: stat, parent cversion/pzxid, events, CreateResponse', () => {
    const tree = new DataTree();
    const result = tree.apply(header(0x100000001n, 7n, 1234), createTxn('/a', { parentCversion: 1 }));
    expect(result).toEqual({
      err: 0,
      replyErr: 0,
      response: { op: 1, path: '/a' },
      events: [
        { type: EventType.nodeCreated, path: '/a', acl: OPEN },
        { type: EventType.nodeChildrenChanged, path: '/', acl: OPEN },
      ],
    });
    expect(tree.getNode('/a')?.stat).toEqual({
      czxid: 0x100000001n, mzxid: 0x100000001n, ctime: 1234n, mtime: 1234n, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 1, numChildren: 0, pzxid: 0x100000001n,
    });
    expect(tree.getNode('/')?.stat).toMatchObject({ cversion: 0, numChildren: 2, pzxid: 0x100000001n });
    expect(tree.getPersisted('/')?.stat.cversion).toBe(1);
    expect(tree.lastZxid).toBe(0x100000001n);
  });

  it('answers create2 with the new node’s stat', () => {
    const tree = new DataTree();
    const result = tree.apply(header(3n), createTxn('/a', { responseOp: 15 }));
    expect(result.response).toEqual({ op: 15, path: '/a', stat: tree.getNode('/a')?.stat });
  });

  it('takes the parent cversion from the txn, or parent+1 for -1', () => {
    const tree = new DataTree();
    tree.apply(header(1n), createTxn('/a', { parentCversion: 9 }));
    expect(tree.getPersisted('/')?.stat.cversion).toBe(9);
    tree.apply(header(2n), createTxn('/b', { parentCversion: -1 }));
    expect(tree.getPersisted('/')?.stat.cversion).toBe(10);
  });

  it('records an ephemeral under its session', () => {
    const tree = new DataTree();
    tree.apply(header(1n, 42n), createTxn('/e', { kind: 'ephemeral', ephemeralOwner: 42n }));
    expect(tree.getNode('/e')).toMatchObject({ kind: 'ephemeral', stat: { ephemeralOwner: 42n } });
    expect(tree.ephemeralsOf(42n)).toEqual(['/e']);
  });

  it('creates a container: clients see ephemeralOwner 0, the store keeps Long.MIN_VALUE', () => {
    const tree = new DataTree();
    const result = tree.apply(header(1n), createTxn('/c', { kind: 'container', ephemeralOwner: CONTAINER_EPHEMERAL_OWNER, responseOp: 19 }));
    expect(result.response).toMatchObject({ op: 19, path: '/c', stat: { ephemeralOwner: 0n } });
    expect(tree.getPersisted('/c')?.stat.ephemeralOwner).toBe(-(2n ** 63n));
  });

  it('creates a TTL node: ttl encoded in the stored owner, 0 for clients', () => {
    const tree = new DataTree();
    const owner = ttlEphemeralOwner(5000);
    expect(owner).toBe(BigInt.asIntN(64, 0xff00000000001388n));
    tree.apply(header(1n), createTxn('/t', { kind: 'ttl', ttlMs: 5000, ephemeralOwner: owner, responseOp: 21 }));
    expect(tree.getNode('/t')).toMatchObject({ kind: 'ttl', ttlMs: 5000, stat: { ephemeralOwner: 0n } });
  });

  it('fails with NONODE when the parent is missing, changing nothing', () => {
    const tree = new DataTree();
    const digest = tree.digest();
    expect(tree.apply(header(1n), createTxn('/x/y'))).toEqual({ err: -101, replyErr: -101, events: [] });
    expect(tree.digest()).toBe(digest);
    expect(tree.lastZxid).toBe(1n);
  });

  it('fails with NODEEXISTS, and a create (op 1) still moves the parent’s cversion forward (replay rule)', () => {
    const tree = treeWithAB();
    expect(tree.apply(header(3n), createTxn('/a/b', { parentCversion: 5 })).err).toBe(-110);
    expect(tree.getPersisted('/a')?.stat).toMatchObject({ cversion: 5, pzxid: 3n });
    expect(tree.apply(header(4n), createTxn('/a/b', { parentCversion: 9, responseOp: 15 })).err).toBe(-110);
    expect(tree.getPersisted('/a')?.stat.cversion).toBe(5);
  });

  it('keeps its own copy of the data', () => {
    const tree = new DataTree();
    const data = bytes('abc');
    tree.apply(header(1n), createTxn('/a', { data }));
    data[0] = 0;
    expect(new TextDecoder().decode(tree.getNode('/a')?.data)).toBe('abc');
  });

  it.each<[string, Partial<CreateTxn>]>([
    ['a container must be txn type 19', { kind: 'container', ephemeralOwner: CONTAINER_EPHEMERAL_OWNER, responseOp: 15 }],
    ['a ttl node must be txn type 21', { kind: 'ttl', ttlMs: 10, ephemeralOwner: ttlEphemeralOwner(10), responseOp: 15 }],
    ['a ttl node needs a valid ttl', { kind: 'ttl', ttlMs: 0, ephemeralOwner: 0n, responseOp: 21 }],
    ['an ephemeral is owned by the txn’s session', { kind: 'ephemeral', ephemeralOwner: 8n }],
    ['a persistent node has owner 0', { ephemeralOwner: 7n }],
    ['a persistent node is not type 19', { responseOp: 19 }],
  ])('asserts the txn is consistent: %s', (_name, fields) => {
    expect(() => new DataTree().apply(header(1n), createTxn('/a', fields))).toThrow();
  });
});

describe('DataTree.apply delete', () => {
  it('deletes: parent pzxid moves, its stored cversion does not (clients see +1), events', () => {
    const tree = treeWithAB();
    const before = tree.getNode('/a')?.stat;
    const result = tree.apply(header(3n), { type: 'delete', path: '/a/b' });
    expect(result).toEqual({
      err: 0,
      replyErr: 0,
      response: { op: 2 },
      events: [
        { type: EventType.nodeDeleted, path: '/a/b', acl: OPEN },
        { type: EventType.nodeChildrenChanged, path: '/a', acl: OPEN },
      ],
    });
    expect(before).toMatchObject({ cversion: 1, numChildren: 1 });
    expect(tree.getNode('/a')?.stat).toMatchObject({ cversion: 2, numChildren: 0, pzxid: 3n });
    expect(tree.getPersisted('/a')?.stat.cversion).toBe(1);
    expect(tree.getNode('/a/b')).toBeUndefined();
  });

  it('answers deleteContainer’s txn with op 20', () => {
    const tree = treeWithAB();
    expect(tree.apply(header(3n), { type: 'delete', path: '/a/b', responseOp: 20 }).response).toEqual({ op: 20 });
  });

  it('fails with NONODE for a missing node, after moving the parent’s pzxid (as ZooKeeper does)', () => {
    const tree = treeWithAB();
    expect(tree.apply(header(3n), { type: 'delete', path: '/a/zz' }).err).toBe(-101);
    expect(tree.getNode('/a')?.stat.pzxid).toBe(3n);
    expect(tree.apply(header(4n), { type: 'delete', path: '/q/zz' }).err).toBe(-101);
  });

  it('removes a deleted ephemeral from its session’s set', () => {
    const tree = new DataTree();
    tree.apply(header(1n, 9n), createTxn('/e', { kind: 'ephemeral', ephemeralOwner: 9n }));
    tree.apply(header(2n), { type: 'delete', path: '/e' });
    expect(tree.ephemeralsOf(9n)).toEqual([]);
  });
});

describe('DataTree.apply setData / setAcl / check / error', () => {
  it('sets data: version from the txn, mtime and mzxid from the header, a NodeDataChanged', () => {
    const tree = treeWithAB();
    const result = tree.apply(header(3n, 7n, 9_999), { type: 'setData', path: '/a', data: bytes('hello'), version: 1 });
    const stat = tree.getNode('/a')?.stat;
    expect(stat).toMatchObject({ version: 1, mzxid: 3n, mtime: 9_999n, czxid: 1n, dataLength: 5 });
    expect(result).toEqual({ err: 0, replyErr: 0, response: { op: 5, stat }, events: [{ type: EventType.nodeDataChanged, path: '/a', acl: OPEN }] });
  });

  it('sets data on the root', () => {
    const tree = new DataTree();
    expect(tree.apply(header(1n), { type: 'setData', path: '/', data: bytes('r'), version: 1 }).err).toBe(0);
    expect(tree.getNode('/')?.stat.dataLength).toBe(1);
  });

  it('sets an ACL: aversion from the txn, no event, StatResponse', () => {
    const tree = treeWithAB();
    const result = tree.apply(header(3n), { type: 'setAcl', path: '/a', acl: READ_ONLY, version: 1 });
    expect(result).toEqual({ err: 0, replyErr: 0, response: { op: 7, stat: tree.getNode('/a')?.stat }, events: [] });
    expect(tree.getNode('/a')).toMatchObject({ acl: READ_ONLY, stat: { aversion: 1, mzxid: 1n } });
  });

  it('fails setData/setAcl on a missing node with NONODE', () => {
    const tree = new DataTree();
    expect(tree.apply(header(1n), { type: 'setData', path: '/x', data: bytes(''), version: 1 }).err).toBe(-101);
    expect(tree.apply(header(2n), { type: 'setAcl', path: '/x', acl: OPEN, version: 1 }).err).toBe(-101);
  });

  it('applies a check as a no-op with an empty response', () => {
    const tree = treeWithAB();
    const digest = tree.digest();
    expect(tree.apply(header(3n), { type: 'check', path: '/a', version: 1 })).toEqual({ err: 0, replyErr: 0, response: { op: 13 }, events: [] });
    expect(tree.digest()).toBe(digest);
  });

  it('applies an error txn: its code, no body, only lastZxid moves', () => {
    const tree = treeWithAB();
    const digest = tree.digest();
    expect(tree.apply(header(3n), { type: 'error', err: -103 })).toEqual({ err: -103, replyErr: -103, events: [] });
    expect(tree.digest()).toBe(digest);
    expect(tree.lastZxid).toBe(3n);
  });

  it('refuses a zxid that does not move forward', () => {
    const tree = treeWithAB();
    expect(() => tree.apply(header(2n), { type: 'error', err: -1 })).toThrow(/zxid 2 applied after 2/);
  });

  it('refuses oversized data when built with maxDataBytes', () => {
    const tree = new DataTree({ maxDataBytes: 2 });
    expect(() => tree.apply(header(1n), createTxn('/a', { data: bytes('abc') }))).toThrow(/exceed/);
  });
});

describe('DataTree.apply multi', () => {
  it('applies every op in order, with each op’s result and events', () => {
    const tree = treeWithAB();
    const txn: Txn = {
      type: 'multi',
      txns: [
        createTxn('/m', { parentCversion: 2, responseOp: 15 }),
        createTxn('/m/c', { parentCversion: 1 }),
        { type: 'setData', path: '/a', data: bytes('x'), version: 1 },
        { type: 'check', path: '/a', version: 2 },
        { type: 'delete', path: '/a/b' },
      ],
    };
    const result = tree.apply(header(3n), txn);
    expect(result.err).toBe(0);
    expect(result.replyErr).toBe(0);
    expect(result.response).toEqual({
      op: 14,
      results: [
        { op: 15, path: '/m', stat: expect.objectContaining({ czxid: 3n, numChildren: 0 }) },
        { op: 1, path: '/m/c' },
        // the stat as of that op: the delete of /a/b after it is not in it
        { op: 5, stat: { ...tree.getNode('/a')?.stat, numChildren: 1, cversion: 1, pzxid: 2n } },
        { op: 13 },
        { op: 2 },
      ],
    });
    expect(result.events.map((e) => [e.type, e.path])).toEqual([
      [EventType.nodeCreated, '/m'],
      [EventType.nodeChildrenChanged, '/'],
      [EventType.nodeCreated, '/m/c'],
      [EventType.nodeChildrenChanged, '/m'],
      [EventType.nodeDataChanged, '/a'],
      [EventType.nodeDeleted, '/a/b'],
      [EventType.nodeChildrenChanged, '/a'],
    ]);
  });

  it('applies nothing when an op is an error: earlier ops OK (0), that op its code, later ones RUNTIMEINCONSISTENCY; reply header 0', () => {
    const tree = treeWithAB();
    const digest = tree.digest();
    const txn: Txn = {
      type: 'multi',
      txns: [createTxn('/m', { parentCversion: 2 }), { type: 'error', err: -101 }, { type: 'error', err: -2 }],
    };
    expect(tree.apply(header(3n), txn)).toEqual({
      err: -101,
      replyErr: 0,
      response: { op: 14, results: [{ op: -1, err: 0 }, { op: -1, err: -101 }, { op: -1, err: -2 }] },
      events: [],
    });
    expect(tree.getNode('/m')).toBeUndefined();
    expect(tree.digest()).toBe(digest);
  });

  it('answers an empty multi with no results', () => {
    expect(new DataTree().apply(header(1n), { type: 'multi', txns: [] })).toEqual({ err: 0, replyErr: 0, response: { op: 14, results: [] }, events: [] });
  });

  it('refuses session txns inside a multi', () => {
    expect(() => new DataTree().apply(header(1n), { type: 'multi', txns: [{ type: 'createSession', timeoutMs: 1 }] })).toThrow();
  });
});

describe('DataTree.apply sessions', () => {
  it('tracks sessions from createSession to closeSession', () => {
    const tree = new DataTree();
    expect(tree.apply(header(1n, 5n), { type: 'createSession', timeoutMs: 4000 })).toEqual({ err: 0, replyErr: 0, events: [] });
    expect([...tree.sessions()]).toEqual([[5n, 4000]]);
    expect(tree.apply(header(2n, 5n), { type: 'closeSession', paths: [] }).response).toEqual({ op: -11 });
    expect(tree.sessions().size).toBe(0);
  });

  it('closeSession deletes the listed paths, skips missing ones, then any unlisted ephemeral of the session', () => {
    const tree = new DataTree();
    tree.apply(header(1n, 5n), { type: 'createSession', timeoutMs: 4000 });
    tree.apply(header(2n), createTxn('/p'));
    tree.apply(header(3n, 5n), createTxn('/p/e1', { kind: 'ephemeral', ephemeralOwner: 5n }));
    tree.apply(header(4n, 5n), createTxn('/p/e2', { kind: 'ephemeral', ephemeralOwner: 5n }));
    tree.apply(header(5n, 6n), createTxn('/p/other', { kind: 'ephemeral', ephemeralOwner: 6n }));
    const result = tree.apply(header(6n, 5n), { type: 'closeSession', paths: ['/p/e2', '/p/gone'] });
    expect(result.events.map((e) => [e.type, e.path])).toEqual([
      [EventType.nodeDeleted, '/p/e2'],
      [EventType.nodeChildrenChanged, '/p'],
      [EventType.nodeDeleted, '/p/e1'],
      [EventType.nodeChildrenChanged, '/p'],
    ]);
    expect(tree.getChildren('/p')).toEqual(['other']);
    expect(tree.ephemeralsOf(5n)).toEqual([]);
    expect(tree.getNode('/p')?.stat.pzxid).toBe(6n);
  });
});

describe('DataTree queries', () => {
  it('lists children sorted', () => {
    const tree = new DataTree();
    ['/c', '/a', '/b'].forEach((p, i) => tree.apply(header(BigInt(i + 1)), createTxn(p)));
    expect(tree.getChildren('/')).toEqual(['a', 'b', 'c', 'zookeeper']);
    expect(tree.getChildren('/missing')).toEqual([]);
  });

  it('counts all descendants (getAllChildrenNumber)', () => {
    const tree = treeWithAB();
    expect(tree.allChildrenNumber('/a')).toBe(1);
    expect(tree.allChildrenNumber('/a/b')).toBe(0);
    expect(tree.allChildrenNumber('/')).toBe(5); // /zookeeper, quota, config, /a, /a/b: nodeCount - 2
    expect(tree.nodeCount - 2).toBe(5);
    expect(tree.allChildrenNumber('/nope')).toBeUndefined();
  });
});

describe('DataTree.containersToDelete', () => {
  const container = (path: string): CreateTxn => createTxn(path, { kind: 'container', ephemeralOwner: CONTAINER_EPHEMERAL_OWNER, responseOp: 19 });

  it('offers a container once it has had a child and is empty again', () => {
    const tree = new DataTree();
    tree.apply(header(1n), container('/c'));
    expect(tree.containersToDelete(1e12)).toEqual([]);
    tree.apply(header(2n), createTxn('/c/x'));
    expect(tree.containersToDelete(1e12)).toEqual([]);
    tree.apply(header(3n), { type: 'delete', path: '/c/x' });
    expect(tree.containersToDelete(0)).toEqual(['/c']);
  });

  it('offers a never-used container after maxNeverUsedIntervalMs since its mtime', () => {
    const tree = new DataTree();
    tree.apply(header(1n, 7n, 1_000), container('/c'));
    expect(tree.containersToDelete(5_000, 4_000)).toEqual([]);
    expect(tree.containersToDelete(5_001, 4_000)).toEqual(['/c']);
  });

  it('offers an empty TTL node once now - mtime > ttl', () => {
    const tree = new DataTree();
    tree.apply(header(1n, 7n, 1_000), createTxn('/t', { kind: 'ttl', ttlMs: 500, ephemeralOwner: ttlEphemeralOwner(500), responseOp: 21 }));
    expect(tree.containersToDelete(1_500)).toEqual([]);
    expect(tree.containersToDelete(1_501)).toEqual(['/t']);
    tree.apply(header(2n, 7n, 1_400), createTxn('/t/child'));
    expect(tree.containersToDelete(9_999)).toEqual([]);
  });

  it('counts a TTL from the last modification', () => {
    const tree = new DataTree();
    tree.apply(header(1n, 7n, 1_000), createTxn('/t', { kind: 'ttl', ttlMs: 500, ephemeralOwner: ttlEphemeralOwner(500), responseOp: 21 }));
    tree.apply(header(2n, 7n, 1_400), { type: 'setData', path: '/t', data: bytes('x'), version: 1 });
    expect(tree.containersToDelete(1_600)).toEqual([]);
    expect(tree.containersToDelete(1_901)).toEqual(['/t']);
  });
});

describe('DataTree digest', () => {
  it('uses CRC32 (IEEE)', () => {
    expect(crc32(bytes('123456789'))).toBe(0xcbf43926);
  });

  it('hashes a node as CRC32 of its UTF-8 path, its value and its 60 stat bytes, whatever their sizes', () => {
    const stat = { czxid: 1n, mzxid: 2n, pzxid: 3n, ctime: 4n, mtime: 5n, version: 6, cversion: 7, aversion: 8, ephemeralOwner: 9n };
    const statBytes = new Uint8Array(60);
    const view = new DataView(statBytes.buffer);
    [stat.czxid, stat.mzxid, stat.pzxid, stat.ctime, stat.mtime].forEach((v, i) => view.setBigInt64(i * 8, v));
    view.setInt32(40, stat.version);
    view.setInt32(44, stat.cversion);
    view.setInt32(48, stat.aversion);
    view.setBigInt64(52, stat.ephemeralOwner);
    const expected = (path: string, data: Uint8Array): number => crc32(Buffer.concat([Buffer.from(path === '/' ? '' : path), data, statBytes])) | 0;
    const cases: Array<[string, Uint8Array]> = [
      ['/', new Uint8Array(0)],
      ['/a', bytes('small')],
      ['/größe/ü', new Uint8Array(1024).fill(1)],
      ['/large', new Uint8Array(5000).fill(2)],
      [`/${'x'.repeat(6000)}`, new Uint8Array(300).fill(3)],
    ];
    for (const [path, data] of cases) expect(nodeDigest(path, data, stat), path.slice(0, 20)).toBe(expected(path, data));
  });

  it('changes with every change and returns when the change is undone', () => {
    const tree = new DataTree();
    const initial = tree.digest();
    tree.apply(header(1n), createTxn('/a'));
    const withA = tree.digest();
    expect(withA).not.toBe(initial);
    tree.apply(header(2n), { type: 'setAcl', path: '/a', acl: READ_ONLY, version: 1 });
    expect(tree.digest()).not.toBe(withA);
  });

  it('leaves /zookeeper/ children out, as ZooKeeper does', () => {
    const tree = new DataTree();
    const initial = tree.digest();
    tree.apply(header(1n), createTxn('/zookeeper/mine', { parentCversion: 1 }));
    // only /zookeeper's own stat (cversion, pzxid) changed the digest
    const other = new DataTree();
    other.apply(header(1n), createTxn('/zookeeper/other', { parentCversion: 1 }));
    expect(tree.digest()).toBe(other.digest());
    expect(tree.digest()).not.toBe(initial);
  });

  it('is the same for the same tree reached through unrelated ops in another order', () => {
    const a = new DataTree();
    const b = new DataTree();
    a.apply(header(1n), createTxn('/x', { parentCversion: 1 }));
    a.apply(header(2n), createTxn('/y', { parentCversion: 2 }));
    b.apply(header(2n), createTxn('/y', { parentCversion: 2 }));
    b.apply(header(3n), createTxn('/x', { parentCversion: 1 }));
    // root pzxid differs (2 vs 3); make it equal by another op on both
    a.apply(header(4n), { type: 'delete', path: '/x' });
    b.apply(header(4n), { type: 'delete', path: '/x' });
    a.apply(header(5n), createTxn('/x', { parentCversion: 3 }));
    b.apply(header(5n), createTxn('/x', { parentCversion: 3 }));
    expect(a.digest()).toBe(b.digest());
  });
});

describe('DataTree: null data', () => {
  it('keeps null data apart from empty data, through apply and a snapshot', () => {
    const tree = new DataTree();
    tree.apply(header(1n), createTxn('/null', { data: NULL_DATA }));
    tree.apply(header(2n), createTxn('/empty', { data: new Uint8Array(0) }));
    expect(tree.getNode('/null')?.data).toBe(NULL_DATA);
    expect(tree.getNode('/empty')?.data).not.toBe(NULL_DATA);
    expect(tree.getNode('/null')?.stat.dataLength).toBe(0);
    const restored = DataTree.deserialize(tree.serialize());
    expect(restored.getNode('/null')?.data).toBe(NULL_DATA);
    expect(restored.getNode('/empty')?.data).not.toBe(NULL_DATA);
  });
});

describe('DataTree: the bytes it keeps', () => {
  it('copies a small value (the caller may reuse its buffer) and adopts a large one that owns its buffer', () => {
    const tree = new DataTree();
    const small = bytes('small');
    tree.apply(header(1n), createTxn('/small', { data: small }));
    small[0] = 0;
    expect(Buffer.from(tree.getNode('/small')?.data ?? []).toString()).toBe('small');
    const large = new Uint8Array(64 * 1024).fill(3);
    tree.apply(header(2n), { type: 'setData', path: '/small', data: large, version: -1 });
    expect(tree.getNode('/small')?.data).toBe(large);
    // A large view into a bigger buffer would keep all of it alive: copied.
    const view = new Uint8Array(128 * 1024).subarray(0, 64 * 1024);
    tree.apply(header(3n), { type: 'setData', path: '/small', data: view, version: -1 });
    expect(tree.getNode('/small')?.data).not.toBe(view);
    expect(tree.getNode('/small')?.data.buffer.byteLength).toBe(64 * 1024);
  });

  it('keeps small values together in shared slabs; bytes read out stay as they were when the node changes', () => {
    const tree = new DataTree();
    tree.apply(header(1n), createTxn('/a', { data: bytes('alpha') }));
    tree.apply(header(2n), createTxn('/b', { data: bytes('beta') }));
    const alpha = tree.getNode('/a')?.data ?? NULL_DATA;
    expect(alpha.buffer).toBe(tree.getNode('/b')?.data.buffer);
    tree.apply(header(3n), { type: 'setData', path: '/a', data: bytes('gamma'), version: -1 });
    tree.apply(header(4n), { type: 'delete', path: '/b' });
    expect(Buffer.from(alpha).toString()).toBe('alpha');
    expect(Buffer.from(tree.getNode('/a')?.data ?? []).toString()).toBe('gamma');
    expect(tree.getNode('/a')?.stat.dataLength).toBe(5);
  });

  it('keeps null data null and empty data empty', () => {
    const tree = new DataTree();
    tree.apply(header(1n), createTxn('/null', { data: NULL_DATA }));
    tree.apply(header(2n), createTxn('/empty', { data: new Uint8Array(0) }));
    expect(tree.getNode('/null')?.data).toBe(NULL_DATA);
    expect(tree.getNode('/empty')?.data).not.toBe(NULL_DATA);
    expect(tree.getNode('/empty')?.data.length).toBe(0);
  });
});
