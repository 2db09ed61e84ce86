// Reads as FinalRequestProcessor answers them: ACLs, bodies and the watches they leave.
import { describe, expect, it } from 'vitest';
import type { Acl, Id } from '@zk/wire';
import { readRequest } from './read-request';
import { Harness, IP_LOCAL, bytes, create } from './test-harness';

const acl = (perms: number, scheme = 'world', id = 'anyone'): Acl => ({ perms, id: { scheme, id } });
const me = { sessionId: 1n, authIds: [IP_LOCAL] as Id[] };

function setup(): Harness {
  const h = new Harness();
  h.run(create('/a', 0, 'hello'));
  h.run(create('/a/z'));
  h.run(create('/a/b'));
  h.run(create('/secret', 0, 's', [acl(31 & ~1)]));
  h.run(create('/adminonly', 0, '', [acl(16)]));
  h.run(create('/digested', 0, '', [acl(1), acl(31, 'digest', 'bob:hash=')]));
  return h;
}

describe('readRequest: exists', () => {
  it('answers the stat and leaves a data watch', () => {
    const h = setup();
    expect(readRequest(h.tree, { op: 3, path: '/a', watch: true }, me)).toEqual({
      err: 0,
      response: { op: 3, stat: h.tree.getNode('/a')?.stat },
      watches: [{ path: '/a', kind: 'data' }],
    });
  });

  it('answers NONODE for a missing node and still leaves the (exist) watch', () => {
    expect(readRequest(setup().tree, { op: 3, path: '/nope', watch: true }, me)).toEqual({ err: -101, watches: [{ path: '/nope', kind: 'exist' }] });
    expect(readRequest(setup().tree, { op: 3, path: '/nope', watch: false }, me)).toEqual({ err: -101, watches: [] });
  });

  it('checks no ACL, as ZooKeeper 3.8.0: a node nobody may read still answers its stat and is watched', () => {
    const { tree } = setup();
    expect(readRequest(tree, { op: 3, path: '/secret', watch: true }, me)).toEqual({ err: 0, response: { op: 3, stat: tree.getNode('/secret')?.stat }, watches: [{ path: '/secret', kind: 'data' }] });
  });

  it('answers BADARGUMENTS for a path with a NUL', () => {
    expect(readRequest(setup().tree, { op: 3, path: '/a\u0000', watch: true }, me).err).toBe(-8);
  });
});

describe('readRequest: getData / getChildren', () => {
  it('answers data and stat with a data watch', () => {
    const h = setup();
    expect(readRequest(h.tree, { op: 4, path: '/a', watch: true }, me)).toEqual({
      err: 0,
      response: { op: 4, data: bytes('hello'), stat: h.tree.getNode('/a')?.stat },
      watches: [{ path: '/a', kind: 'data' }],
    });
  });

  it('answers NONODE and NOAUTH without a watch', () => {
    expect(readRequest(setup().tree, { op: 4, path: '/nope', watch: true }, me)).toEqual({ err: -101, watches: [] });
    expect(readRequest(setup().tree, { op: 4, path: '/secret', watch: true }, me)).toEqual({ err: -102, watches: [] });
    expect(readRequest(setup().tree, { op: 8, path: '/secret', watch: true }, me)).toEqual({ err: -102, watches: [] });
  });

  it('lets a super id read anything', () => {
    expect(readRequest(setup().tree, { op: 4, path: '/secret', watch: false }, { sessionId: 1n, authIds: [{ scheme: 'super', id: '' }] }).err).toBe(0);
  });

  it('lists children sorted; getChildren2 adds the stat', () => {
    const h = setup();
    expect(readRequest(h.tree, { op: 8, path: '/a', watch: true }, me)).toEqual({ err: 0, response: { op: 8, children: ['b', 'z'] }, watches: [{ path: '/a', kind: 'child' }] });
    expect(readRequest(h.tree, { op: 12, path: '/a', watch: false }, me)).toEqual({
      err: 0,
      response: { op: 12, children: ['b', 'z'], stat: h.tree.getNode('/a')?.stat },
      watches: [],
    });
  });
});

describe('readRequest: getACL', () => {
  it('needs READ or ADMIN', () => {
    expect(readRequest(setup().tree, { op: 6, path: '/adminonly' }, me).err).toBe(0);
    expect(readRequest(setup().tree, { op: 6, path: '/nope' }, me).err).toBe(-101);
    const h = setup();
    h.run({ op: 7, path: '/a', acl: [acl(2)], version: -1 });
    expect(readRequest(h.tree, { op: 6, path: '/a' }, me).err).toBe(-102);
  });

  it('masks digest ids for a caller without ADMIN, shows them with ADMIN', () => {
    const h = setup();
    expect(readRequest(h.tree, { op: 6, path: '/digested' }, me).response).toMatchObject({ acl: [acl(1), acl(31, 'digest', 'bob:x')] });
    const bob = { sessionId: 1n, authIds: [IP_LOCAL, { scheme: 'digest', id: 'bob:hash=' }] };
    expect(readRequest(h.tree, { op: 6, path: '/digested' }, bob).response).toEqual({
      op: 6,
      acl: [acl(1), acl(31, 'digest', 'bob:hash=')],
      stat: h.tree.getNode('/digested')?.stat,
    });
  });
});

describe('readRequest: getEphemerals / getAllChildrenNumber', () => {
  it('lists the session’s ephemerals, all for a blank or "/" prefix, else by string prefix', () => {
    const h = setup();
    h.run(create('/a/e2', 1), { sessionId: 4n });
    h.run(create('/e1', 1), { sessionId: 4n });
    h.run(create('/x', 1), { sessionId: 5n });
    const ctx = { sessionId: 4n, authIds: [] };
    for (const prefix of ['', '  ', '/', ' / ']) {
      expect(readRequest(h.tree, { op: 103, prefixPath: prefix }, ctx).response).toEqual({ op: 103, ephemerals: ['/a/e2', '/e1'] });
    }
    expect(readRequest(h.tree, { op: 103, prefixPath: '/a' }, ctx).response).toEqual({ op: 103, ephemerals: ['/a/e2'] });
    expect(readRequest(h.tree, { op: 103, prefixPath: '/e' }, ctx).response).toEqual({ op: 103, ephemerals: ['/e1'] });
  });

  it('counts descendants, with READ', () => {
    const h = setup();
    expect(readRequest(h.tree, { op: 104, path: '/a' }, me)).toEqual({ err: 0, response: { op: 104, totalNumber: 2 }, watches: [] });
    expect(readRequest(h.tree, { op: 104, path: '/' }, me).response).toEqual({ op: 104, totalNumber: h.tree.nodeCount - 2 });
    expect(readRequest(h.tree, { op: 104, path: '/secret' }, me).err).toBe(-102);
    expect(readRequest(h.tree, { op: 104, path: '/nope' }, me).err).toBe(-101);
  });
});

describe('readRequest: multiRead', () => {
  it('answers each op on its own, errors inline, header 0, no watches', () => {
    const h = setup();
    const result = readRequest(
      h.tree,
      {
        op: 22,
        ops: [
          { op: 8, path: '/a', watch: true },
          { op: 4, path: '/nope', watch: true },
          { op: 4, path: '/a', watch: true },
          { op: 4, path: '/secret', watch: false },
        ],
      },
      me,
    );
    expect(result).toEqual({
      err: 0,
      response: {
        op: 22,
        results: [
          { op: 8, children: ['b', 'z'] },
          { op: -1, err: -101 },
          { op: 4, data: bytes('hello'), stat: h.tree.getNode('/a')?.stat },
          { op: -1, err: -102 },
        ],
      },
      watches: [],
    });
  });

  it('fails the whole request for getChildren2 inside (the server cannot parse it there)', () => {
    expect(readRequest(setup().tree, { op: 22, ops: [{ op: 12, path: '/a', watch: false }] }, me)).toEqual({ err: -5, watches: [] });
  });
});

