// The preparer's checks, in ZooKeeper's order, for every op and error code; sequential names,
// pending changes, multi rollback and closeSession.
import { describe, expect, it } from 'vitest';
import type { Acl, CreateRequest, MultiOp } from '@zk/wire';
import { CONTAINER_EPHEMERAL_OWNER, ttlEphemeralOwner } from './node-kind';
import { Harness, IP_LOCAL, OPEN, bytes, create } from './test-harness';
import type { Txn } from './txn';

const E = {
  badArguments: -8,
  unimplemented: -6,
  marshalling: -5,
  runtimeInconsistency: -2,
  noNode: -101,
  noAuth: -102,
  badVersion: -103,
  noChildrenForEphemerals: -108,
  nodeExists: -110,
  notEmpty: -111,
  invalidAcl: -114,
};
const acl = (perms: number, scheme = 'world', id = 'anyone'): Acl[] => [{ perms, id: { scheme, id } }];
const errorOf = (txn: Txn): number | undefined => (txn.type === 'error' ? txn.err : undefined);

function ttlCreate(path: string, ttl: bigint, flags = 5): CreateRequest {
  return { op: 21, path, data: bytes(''), acl: OPEN, flags, ttl };
}

describe('Preparer: create', () => {
  it('builds a create txn with the parent’s next cversion', () => {
    const h = new Harness();
    const { txn } = h.prepare(create('/a', 0, 'data'));
    expect(txn).toEqual({ type: 'create', path: '/a', data: bytes('data'), acl: OPEN, ephemeralOwner: 0n, parentCversion: 1, kind: 'persistent', responseOp: 1 });
  });

  it.each<[string, CreateRequest, number]>([
    ['an unknown flag', { op: 1, path: '/a', data: bytes(''), acl: OPEN, flags: 7 }, E.badArguments],
    ['a negative flag', { op: 1, path: '/a', data: bytes(''), acl: OPEN, flags: -1 }, E.badArguments],
    ['a path without a slash', create('a'), E.badArguments],
    ['a path with a NUL', create('/a\u0000'), E.badArguments],
    ['an empty ACL', create('/a', 0, '', []), E.invalidAcl],
    ['an invalid ACL id', create('/a', 0, '', acl(31, 'ip', 'x')), E.invalidAcl],
    ['auth without authenticated ids', create('/a', 0, '', acl(31, 'auth', '')), E.invalidAcl],
    ['a missing parent', create('/nope/a'), E.noNode],
    ['an empty node name (parent "/x/" does not exist)', create('/x//a'), E.noNode],
    ['a relative path under an existing parent', create('/.'), E.badArguments],
    ['a trailing slash', create('/x/'), E.badArguments],
    ['an existing node', create('/x'), E.nodeExists],
    ['the root', create('/'), E.nodeExists],
    ['a child of an ephemeral', create('/eph/child'), E.noChildrenForEphemerals],
  ])('rejects %s', (_name, request, code) => {
    const h = new Harness();
    h.run(create('/x'));
    h.run(create('/eph', 1), { sessionId: 5n });
    expect(errorOf(h.prepare(request).txn)).toBe(code);
  });

  it('checks in ZooKeeper’s order: flags, TTL, path shape, ACL, parent, CREATE permission, name, existence, ephemeral parent', () => {
    const h = new Harness({ extendedTypesEnabled: false });
    h.run(create('/locked', 0, '', acl(1)));
    h.run(create('/locked2', 0, '', acl(31 & ~4)));
    h.run(create('/eph', 1), { sessionId: 5n });
    const cases: Array<[CreateRequest, number]> = [
      [{ ...create('bad', 0, '', []), flags: 9 } as CreateRequest, E.badArguments], // flag before everything
      [{ ...create('bad', 0, '', []), flags: 5 } as CreateRequest, E.unimplemented], // TTL disabled before the path
      [create('bad', 0, '', []), E.badArguments], // path shape before the ACL
      [create('/nope/a', 0, '', []), E.invalidAcl], // ACL before the parent
      [create('/locked/a', 0, '', OPEN), E.noAuth], // parent exists, no CREATE
      [create('/locked2/.'), E.noAuth], // permission before the name check
      [create('/eph'), E.nodeExists], // existence before the ephemeral-parent check… (parent is /)
      [create('/eph/.'), E.badArguments], // name check before the ephemeral parent
    ];
    for (const [request, code] of cases) expect([request.path, errorOf(h.prepare(request).txn)]).toEqual([request.path, code]);
  });

  it('rejects data above maxDataBytes with BADARGUMENTS', () => {
    const h = new Harness({ maxDataBytes: 3 });
    expect(errorOf(h.prepare(create('/a', 0, 'abcd')).txn)).toBe(E.badArguments);
    expect(h.prepare(create('/a', 0, 'abc')).txn.type).toBe('create');
  });

  it('expands auth into the caller’s digest ids', () => {
    const h = new Harness();
    const ids = [IP_LOCAL, { scheme: 'digest', id: 'bob:hash=' }];
    const { txn } = h.prepare(create('/a', 0, '', acl(3, 'auth', '')), { authIds: ids });
    expect(txn).toMatchObject({ acl: acl(3, 'digest', 'bob:hash=') });
  });

  it('lets a super user create anywhere', () => {
    const h = new Harness();
    h.run(create('/locked', 0, '', acl(1)));
    expect(h.prepare(create('/locked/a'), { authIds: [{ scheme: 'super', id: '' }] }).txn.type).toBe('create');
  });

  describe('sequential names', () => {
    it('appends %010d of the parent’s stored cversion (creates, not deletes)', () => {
      const h = new Harness();
      h.run(create('/q'));
      expect(h.run(create('/q/n-', 2)).response).toEqual({ op: 1, path: '/q/n-0000000000' });
      h.run(create('/q/plain'));
      h.run({ op: 2, path: '/q/plain', version: -1 });
      h.run({ op: 2, path: '/q/n-0000000000', version: -1 });
      expect(h.run(create('/q/n-', 3), { sessionId: 9n }).response).toEqual({ op: 1, path: '/q/n-0000000002' });
      expect(h.tree.getNode('/q')?.stat.cversion).toBe(3 * 2 - 1);
    });

    it('names a sequential node with a trailing slash (the server validates the final name)', () => {
      const h = new Harness();
      h.run(create('/q'));
      expect(h.run(create('/q/', 2)).response).toEqual({ op: 1, path: '/q/0000000000' });
      expect(h.run(create('/', 2)).response).toEqual({ op: 1, path: '/0000000001' }); // root: /q was its 1st create
    });

    it('counts pending creates: two prepared before either applies get consecutive numbers', () => {
      const h = new Harness();
      h.run(create('/q'));
      const first = h.prepare(create('/q/n-', 2));
      const second = h.prepare(create('/q/n-', 2));
      expect([first.txn, second.txn]).toMatchObject([{ path: '/q/n-0000000000', parentCversion: 1 }, { path: '/q/n-0000000001', parentCversion: 2 }]);
      h.apply(first);
      h.apply(second);
      expect(h.tree.getChildren('/q')).toEqual(['n-0000000000', 'n-0000000001']);
    });
  });

  describe('kinds', () => {
    it('makes an ephemeral owned by the session', () => {
      const h = new Harness();
      expect(h.prepare(create('/e', 1), { sessionId: 77n }).txn).toMatchObject({ kind: 'ephemeral', ephemeralOwner: 77n, responseOp: 1 });
    });

    it('makes a container for op 19, whatever its (valid, non-TTL) flags', () => {
      const h = new Harness();
      const request: CreateRequest = { op: 19, path: '/c', data: bytes(''), acl: OPEN, flags: 4 };
      expect(h.prepare(request).txn).toMatchObject({ kind: 'container', ephemeralOwner: CONTAINER_EPHEMERAL_OWNER, responseOp: 19 });
      expect(h.prepare({ ...request, path: '/c2', flags: 1 }).txn).toMatchObject({ kind: 'container', responseOp: 19 });
      expect(h.prepare({ ...request, path: '/c3', flags: 2 }).txn).toMatchObject({ kind: 'container', path: '/c30000000002' });
    });

    it('makes a persistent node for op 1 with the container flag (ZooKeeper’s CreateTxn has no container bit)', () => {
      const h = new Harness();
      expect(h.prepare(create('/c', 4)).txn).toMatchObject({ kind: 'persistent', ephemeralOwner: 0n, responseOp: 1 });
    });

    it('makes a TTL node for op 21 with a TTL flag and a ttl in (0, 2^40-1]', () => {
      const h = new Harness();
      expect(h.prepare(ttlCreate('/t', 1000n)).txn).toMatchObject({ kind: 'ttl', ttlMs: 1000, ephemeralOwner: ttlEphemeralOwner(1000), responseOp: 21 });
      expect(h.prepare(ttlCreate('/t', 1000n, 6)).txn).toMatchObject({ kind: 'ttl', path: '/t0000000001' });
      expect(h.prepare(ttlCreate('/u', 2n ** 40n - 1n)).txn.type).toBe('create');
    });

    it.each<[string, CreateRequest, number]>([
      ['ttl 0', ttlCreate('/t', 0n), E.badArguments],
      ['a negative ttl', ttlCreate('/t', -5n), E.badArguments],
      ['ttl above 2^40-1', ttlCreate('/t', 2n ** 40n), E.badArguments],
      ['createTTL with a non-TTL mode and a ttl', ttlCreate('/t', 10n, 0), E.badArguments],
      ['createTTL with a non-TTL mode and no ttl', ttlCreate('/t', -1n, 0), E.badArguments],
      ['a TTL flag on plain create (no ttl)', create('/t', 5), E.badArguments],
      ['a TTL flag on createContainer', { op: 19, path: '/t', data: bytes(''), acl: OPEN, flags: 6 }, E.badArguments],
    ])('rejects %s', (_name, request, code) => {
      expect(errorOf(new Harness().prepare(request).txn)).toBe(code);
    });

    it('answers UNIMPLEMENTED for TTL modes when extended types are disabled', () => {
      const h = new Harness({ extendedTypesEnabled: false });
      expect(errorOf(h.prepare(ttlCreate('/t', 1000n)).txn)).toBe(E.unimplemented);
      expect(errorOf(h.prepare(create('/t', 6)).txn)).toBe(E.unimplemented);
      expect(h.prepare({ op: 19, path: '/c', data: bytes(''), acl: OPEN, flags: 4 }).txn.type).toBe('create');
    });
  });
});

describe('Preparer: delete', () => {
  function setup(): Harness {
    const h = new Harness();
    h.run(create('/a', 0, 'v0'));
    h.run(create('/a/b'));
    h.run(create('/locked', 0, '', acl(31 & ~8)));
    h.run(create('/locked/c'));
    return h;
  }

  it.each<[string, number, number]>([
    ['abc', -1, E.badArguments],
    ['/', -1, E.badArguments],
    ['/zookeeper', -1, E.badArguments],
    ['/zookeeper/quota', -1, E.badArguments],
    ['/zookeeper/config', -1, E.badArguments],
    ['/a\u0000', -1, E.badArguments],
    ['/nope/x', -1, E.noNode],
    ['/locked/c', 5, E.noAuth], // no DELETE on the parent beats a bad version
    ['/locked/missing', -1, E.noAuth], // …and a missing node
    ['/a/missing', -1, E.noNode],
    ['/a', 3, E.badVersion], // bad version beats not-empty
    ['/a', -1, E.notEmpty],
    ['/a/', -1, E.noNode], // no path validation: "/a/" is just not there
  ])('delete %j version %i → %i', (path, version, code) => {
    expect(errorOf(setup().prepare({ op: 2, path, version }).txn)).toBe(code);
  });

  it('deletes with the matching version or -1', () => {
    const h = setup();
    expect(h.prepare({ op: 2, path: '/a/b', version: 0 }).txn).toEqual({ type: 'delete', path: '/a/b' });
    expect(h.prepare({ op: 2, path: '/locked', version: -1 }).txn.type).toBe('error'); // /locked/c still there
  });

  it('sees pending changes: a pending delete makes the node gone and its parent empty', () => {
    const h = setup();
    h.prepare({ op: 2, path: '/a/b', version: -1 });
    expect(errorOf(h.prepare({ op: 2, path: '/a/b', version: -1 }).txn)).toBe(E.noNode);
    expect(h.prepare({ op: 2, path: '/a', version: -1 }).txn).toEqual({ type: 'delete', path: '/a' });
    expect(h.prepare(create('/a/b')).txn.type).toBe('error');
  });
});

describe('Preparer: deleteContainer (op 20)', () => {
  function setup(): Harness {
    const h = new Harness();
    h.run({ op: 19, path: '/c', data: bytes(''), acl: acl(0), flags: 4 });
    h.run({ op: 19, path: '/full', data: bytes(''), acl: OPEN, flags: 4 });
    h.run(create('/full/x'));
    h.run(ttlCreate('/t', 10n));
    h.run(create('/p'));
    h.run(create('/e', 1), { sessionId: 3n });
    return h;
  }

  it('deletes an empty container without ACL or version checks, answering op 20', () => {
    expect(setup().prepare({ op: 20, path: '/c', version: 99 }).txn).toEqual({ type: 'delete', path: '/c', responseOp: 20 });
    expect(setup().prepare({ op: 20, path: '/t', version: -1 }).txn).toEqual({ type: 'delete', path: '/t', responseOp: 20 });
  });

  it.each<[string, number]>([
    ['/', E.badArguments],
    ['c', E.badArguments],
    ['/missing', E.noNode],
    ['/full', E.notEmpty],
    ['/e', E.badVersion],
    ['/p', E.badVersion], // ZooKeeper would delete an empty persistent node here; we never do
  ])('deleteContainer %j → %i', (path, code) => {
    expect(errorOf(setup().prepare({ op: 20, path, version: -1 }).txn)).toBe(code);
  });
});

describe('Preparer: setData', () => {
  function setup(): Harness {
    const h = new Harness();
    h.run(create('/a', 0, 'v0'));
    h.run(create('/ro', 0, '', acl(31 & ~2)));
    return h;
  }

  it.each<[string, number, number]>([
    ['/a/', -1, E.badArguments],
    ['a', -1, E.badArguments],
    ['/missing', -1, E.noNode],
    ['/ro', 7, E.noAuth], // permission before version
    ['/a', 7, E.badVersion],
  ])('setData %j version %i → %i', (path, version, code) => {
    expect(errorOf(setup().prepare({ op: 5, path, data: bytes('x'), version }).txn)).toBe(code);
  });

  it('carries the next version and chains pending versions', () => {
    const h = setup();
    expect(h.prepare({ op: 5, path: '/a', data: bytes('1'), version: 0 }).txn).toEqual({ type: 'setData', path: '/a', data: bytes('1'), version: 1 });
    expect(h.prepare({ op: 5, path: '/a', data: bytes('2'), version: 1 }).txn).toMatchObject({ version: 2 });
    expect(errorOf(h.prepare({ op: 5, path: '/a', data: bytes('3'), version: 1 }).txn)).toBe(E.badVersion);
  });

  it('rejects data above maxDataBytes first', () => {
    const h = new Harness({ maxDataBytes: 1 });
    expect(errorOf(h.prepare({ op: 5, path: '/missing', data: bytes('xx'), version: -1 }).txn)).toBe(E.badArguments);
  });
});

describe('Preparer: setACL', () => {
  function setup(): Harness {
    const h = new Harness();
    h.run(create('/a'));
    h.run(create('/noadmin', 0, '', acl(15)));
    return h;
  }

  it.each<[string, Acl[], number, number]>([
    ['/a/', OPEN, -1, E.badArguments],
    ['/missing', [], -1, E.invalidAcl], // ACL validity before existence
    ['/missing', OPEN, -1, E.noNode],
    ['/noadmin', OPEN, 4, E.noAuth],
    ['/a', OPEN, 4, E.badVersion],
  ])('setACL %j → %i', (path, entries, version, code) => {
    expect(errorOf(setup().prepare({ op: 7, path, acl: entries, version }).txn)).toBe(code);
  });

  it('carries the next aversion; later requests are checked against the pending ACL', () => {
    const h = setup();
    expect(h.prepare({ op: 7, path: '/a', acl: acl(1), version: 0 }).txn).toEqual({ type: 'setAcl', path: '/a', acl: acl(1), version: 1 });
    expect(errorOf(h.prepare({ op: 5, path: '/a', data: bytes(''), version: -1 }).txn)).toBe(E.noAuth);
  });
});

describe('Preparer: check', () => {
  it.each<[string, number, number | undefined]>([
    ['/a/', -1, E.badArguments],
    ['/missing', -1, E.noNode],
    ['/secret', 0, E.noAuth],
    ['/a', 3, E.badVersion],
    ['/a', 0, undefined],
  ])('check %j version %i → %s', (path, version, code) => {
    const h = new Harness();
    h.run(create('/a'));
    h.run(create('/secret', 0, '', acl(30)));
    const { txn } = h.prepare({ op: 13, path, version });
    if (code === undefined) expect(txn).toEqual({ type: 'check', path, version: 1 });
    else expect(errorOf(txn)).toBe(code);
  });
});

describe('Preparer: multi', () => {
  it('prepares ops against each other’s changes', () => {
    const h = new Harness();
    const ops: MultiOp[] = [create('/m') as MultiOp, create('/m/c', 2) as MultiOp, { op: 5, path: '/m', data: bytes('x'), version: 0 }, { op: 13, path: '/m', version: 1 }];
    const result = h.run({ op: 14, ops });
    expect(result.txn).toMatchObject({ type: 'multi', txns: [{ type: 'create' }, { type: 'create', path: '/m/c0000000000' }, { type: 'setData', version: 1 }, { type: 'check', version: 2 }] });
    expect(result.response).toEqual({
      op: 14,
      results: [{ op: 1, path: '/m' }, { op: 1, path: '/m/c0000000000' }, { op: 5, stat: expect.objectContaining({ version: 1 }) }, { op: 13 }],
    });
  });

  it('stops at the first failure: that op its code, the rest RUNTIMEINCONSISTENCY, nothing recorded', () => {
    const h = new Harness();
    h.run(create('/q'));
    const ops: MultiOp[] = [create('/q/s-', 2) as MultiOp, { op: 2, path: '/missing', version: -1 }, create('/other') as MultiOp];
    const { txn } = h.prepare({ op: 14, ops });
    expect(txn).toMatchObject({ type: 'multi', txns: [{ type: 'create' }, { type: 'error', err: E.noNode }, { type: 'error', err: E.runtimeInconsistency }] });
    // rolled back: the sequence number and the node are free again
    expect(h.prepare(create('/q/s-', 2)).txn).toMatchObject({ path: '/q/s-0000000000' });
  });

  it('restores earlier outstanding changes when it rolls back', () => {
    const h = new Harness();
    h.run(create('/a'));
    h.prepare({ op: 5, path: '/a', data: bytes('1'), version: 0 }); // pending: version 1
    const { txn } = h.prepare({ op: 14, ops: [{ op: 5, path: '/a', data: bytes('2'), version: 1 }, { op: 13, path: '/nope', version: -1 }] });
    expect(txn).toMatchObject({ txns: [{ type: 'setData' }, { type: 'error', err: E.noNode }] });
    expect(h.prepare({ op: 5, path: '/a', data: bytes('2'), version: 1 }).txn).toMatchObject({ type: 'setData', version: 2 });
  });

  it('fails the whole multi with MARSHALLINGERROR for ops the server cannot parse in a multi', () => {
    const h = new Harness();
    expect(h.prepare({ op: 14, ops: [create('/a') as MultiOp, { op: 20, path: '/a', version: -1 }] }).txn).toEqual({ type: 'error', err: E.marshalling });
    expect(h.prepare({ op: 14, ops: [{ ...create('/a'), flags: 7 } as MultiOp] }).txn).toEqual({ type: 'error', err: E.marshalling });
  });

  it('re-types creates by their flags, as the server’s multi parsing does', () => {
    const h = new Harness();
    const { txn } = h.prepare({
      op: 14,
      ops: [
        { ...create('/c'), flags: 4 } as MultiOp, // container flag on create → createContainer
        ttlCreate('/p', 99n, 0), // createTTL with a persistent mode → plain create, ttl dropped
        ttlCreate('/t', 99n, 5),
        { ...ttlCreate('/bad', 99n, 7) }, // createTTL, unknown flag: parsed as create, then BADARGUMENTS
      ],
    });
    expect(txn).toMatchObject({
      txns: [
        { kind: 'container', responseOp: 19 },
        { kind: 'persistent', responseOp: 1 },
        { kind: 'ttl', ttlMs: 99, responseOp: 21 },
        { type: 'error', err: E.badArguments },
      ],
    });
  });

  it('answers create2 and a persistent-flagged createContainer inside a multi as plain creates', () => {
    const h = new Harness();
    const { txn } = h.prepare({
      op: 14,
      ops: [{ ...create('/two'), op: 15 } as MultiOp, { ...create('/plain'), op: 19 } as MultiOp],
    });
    expect(txn).toMatchObject({ txns: [{ kind: 'persistent', responseOp: 1 }, { kind: 'persistent', responseOp: 1 }] });
  });

  it('applies as one: a failed multi leaves the tree unchanged and answers per op', () => {
    const h = new Harness();
    h.run(create('/a'));
    const result = h.run({ op: 14, ops: [{ op: 5, path: '/a', data: bytes('x'), version: -1 }, { op: 2, path: '/a', version: 5 }] });
    expect(result).toMatchObject({ err: E.badVersion, replyErr: 0, response: { op: 14, results: [{ op: -1, err: 0 }, { op: -1, err: E.badVersion }] }, events: [] });
    expect(h.tree.getNode('/a')?.stat.version).toBe(0);
  });

  it('sees an earlier op’s delete: a later op on the same path is NONODE', () => {
    const h = new Harness();
    h.run(create('/a'));
    const { txn } = h.prepare({ op: 14, ops: [{ op: 2, path: '/a', version: -1 }, { op: 5, path: '/a', data: bytes(''), version: -1 }] });
    expect(txn).toMatchObject({ txns: [{ type: 'delete' }, { type: 'error', err: E.noNode }] });
  });
});

describe('Preparer: the session check happens where ZooKeeper makes it', () => {
  const expired = { sessionError: -112 };

  it('comes after the flag and TTL checks for create, before the path', () => {
    const h = new Harness({ extendedTypesEnabled: false });
    expect(errorOf(h.prepare({ ...create('/a'), flags: 9 }, expired).txn)).toBe(E.badArguments);
    expect(errorOf(h.prepare(create('/a', 5), expired).txn)).toBe(E.unimplemented);
    expect(errorOf(h.prepare(create('no-slash'), expired).txn)).toBe(-112);
  });

  it('comes first for delete, setData (after the size limit), setACL and check', () => {
    const h = new Harness({ maxDataBytes: 1 });
    expect(errorOf(h.prepare({ op: 2, path: '/', version: -1 }, expired).txn)).toBe(-112);
    expect(errorOf(h.prepare({ op: 5, path: 'bad', data: bytes('x'), version: -1 }, expired).txn)).toBe(-112);
    expect(errorOf(h.prepare({ op: 5, path: 'bad', data: bytes('xx'), version: -1 }, expired).txn)).toBe(E.badArguments);
    expect(errorOf(h.prepare({ op: 7, path: 'bad', acl: [], version: -1 }, { sessionError: -118 }).txn)).toBe(-118);
    expect(errorOf(h.prepare({ op: 13, path: 'bad', version: -1 }, expired).txn)).toBe(-112);
  });

  it('is not made for deleteContainer, and is made per op in a multi', () => {
    const h = new Harness();
    h.run({ op: 19, path: '/c', data: bytes(''), acl: OPEN, flags: 4 });
    expect(h.prepare({ op: 20, path: '/c', version: -1 }, expired).txn.type).toBe('delete');
    const { txn } = h.prepare({ op: 14, ops: [{ ...create('/m'), flags: 9 }, create('/n')] }, expired);
    expect(txn).toEqual({ type: 'error', err: E.marshalling });
    expect(h.prepare({ op: 14, ops: [create('/m', 5), create('/n')] }, expired).txn).toMatchObject({ txns: [{ err: E.badArguments }, { err: E.runtimeInconsistency }] });
  });
});

describe('Preparer: sessions', () => {
  it('closes a session over its ephemerals, pending creates included and pending deletes excluded, sorted', () => {
    const h = new Harness();
    h.createSession(5n);
    h.run(create('/p'));
    h.run(create('/p/z', 1), { sessionId: 5n });
    h.run(create('/p/y', 1), { sessionId: 5n });
    h.run(create('/p/other', 1), { sessionId: 6n });
    h.prepare(create('/p/a', 1), { sessionId: 5n });
    h.prepare({ op: 2, path: '/p/y', version: -1 }, { sessionId: 5n });
    expect(h.preparer.prepareCloseSession(5n)).toEqual({ type: 'closeSession', paths: ['/p/a', '/p/z'] });
  });

  it('records the deletions so later requests see the nodes gone before the close applies', () => {
    const h = new Harness();
    h.createSession(5n);
    h.run(create('/p'));
    h.run(create('/p/e', 1), { sessionId: 5n });
    const close = h.prepareCloseSession(5n);
    const recreate = h.prepare(create('/p/e', 1), { sessionId: 6n });
    const deleteParent = h.prepare({ op: 2, path: '/p', version: -1 });
    expect(recreate.txn.type).toBe('create');
    expect(deleteParent.txn.type).toBe('error'); // the new /p/e is pending
    h.apply(close);
    h.apply(recreate);
    expect(h.tree.getNode('/p/e')?.stat.ephemeralOwner).toBe(6n);
  });

  it('prepares createSession', () => {
    expect(new Harness().preparer.prepareCreateSession(4000)).toEqual({ type: 'createSession', timeoutMs: 4000 });
  });

  it('drops outstanding changes once applied, and on reset', () => {
    const h = new Harness();
    const p = h.prepare(create('/a'));
    expect(h.preparer.outstandingCount).toBe(2);
    h.apply(p);
    expect(h.preparer.outstandingCount).toBe(0);
    h.prepare(create('/b'));
    h.preparer.reset();
    expect(h.preparer.outstandingCount).toBe(0);
    expect(h.prepare(create('/a')).txn).toEqual({ type: 'error', err: E.nodeExists });
  });
});
