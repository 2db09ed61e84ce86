// Property tests: random request streams through the preparer and the tree. Determinism (same
// txns ⇒ same bytes), codec and snapshot round trips, and pipelining (outstanding changes make
// preparing ahead of applying give the same txns as one request at a time).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Acl, CreateRequest, Id, MultiOp } from '@zk/wire';
import { DataTree } from './data-tree';
import { Preparer, type WriteRequest } from './preparer';
import { decodeTxn, encodeTxn } from './txn-codec';
import type { Txn, TxnHeader } from './txn';

type Command =
  | { t: 'write'; request: WriteRequest; sessionId: bigint; authIds: Id[]; advanceMs: number }
  | { t: 'createSession'; sessionId: bigint }
  | { t: 'closeSession'; sessionId: bigint };

const OPEN: Acl[] = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const BOB: Id = { scheme: 'digest', id: 'bob:h=' };
const IP: Id = { scheme: 'ip', id: '10.1.2.3' };

const pathArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('/a', '/b', '/c') },
  { weight: 4, arbitrary: fc.constantFrom('/a/x', '/a/y', '/b/x', '/c/x') },
  { weight: 1, arbitrary: fc.constantFrom('/a/x/z', '/', '/zookeeper/q', '/a/') },
);
const versionArb = fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 2 }));
const dataArb = fc.uint8Array({ maxLength: 5 });
const aclArb = fc.constantFrom<Acl[]>(
  OPEN,
  OPEN,
  OPEN,
  OPEN,
  [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }],
  [{ perms: 31, id: BOB }],
  [{ perms: 31, id: { scheme: 'ip', id: '10.0.0.0/8' } }],
  [{ perms: 31, id: { scheme: 'auth', id: '' } }],
  [],
);

const createArb: fc.Arbitrary<CreateRequest> = fc.oneof(
  fc.record({ op: fc.constantFrom<1 | 15>(1, 15), path: pathArb, data: dataArb, acl: aclArb, flags: fc.constantFrom(0, 1, 2, 3, 4) }),
  fc.record({ op: fc.constant<19>(19), path: pathArb, data: dataArb, acl: aclArb, flags: fc.constant(4) }),
  fc.record({ op: fc.constant<21>(21), path: pathArb, data: dataArb, acl: aclArb, flags: fc.constantFrom(5, 6), ttl: fc.bigInt({ min: 1n, max: 5000n }) }),
);
const simpleArb: fc.Arbitrary<MultiOp> = fc.oneof(
  { weight: 6, arbitrary: createArb },
  { weight: 2, arbitrary: fc.record({ op: fc.constant<2>(2), path: pathArb, version: versionArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant<5>(5), path: pathArb, data: dataArb, version: versionArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant<13>(13), path: pathArb, version: versionArb }) },
);
const requestArb: fc.Arbitrary<WriteRequest> = fc.oneof(
  { weight: 8, arbitrary: simpleArb as fc.Arbitrary<WriteRequest> },
  { weight: 1, arbitrary: fc.record({ op: fc.constant<7>(7), path: pathArb, acl: aclArb, version: versionArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant<20>(20), path: pathArb, version: fc.constant(-1) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant<14>(14), ops: fc.array(simpleArb, { maxLength: 4 }) }) },
);
const sessionArb = fc.constantFrom(1n, 2n, 3n);
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ t: fc.constant<'write'>('write'), request: requestArb, sessionId: sessionArb, authIds: fc.constantFrom<Id[]>([IP], [IP, BOB]), advanceMs: fc.integer({ min: 0, max: 2000 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant<'createSession'>('createSession'), sessionId: sessionArb }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant<'closeSession'>('closeSession'), sessionId: sessionArb }) },
);
/** Every stream starts from a few nodes, so that most generated ops find their paths. */
const SETUP: Command[] = ['/a', '/b', '/a/x', '/b/x'].map((path) => ({
  t: 'write',
  request: { op: 1, path, data: new Uint8Array(0), acl: OPEN, flags: 0 },
  sessionId: 1n,
  authIds: [IP],
  advanceMs: 1,
}));
const commandsArb = fc.array(commandArb, { minLength: 1, maxLength: 60, size: 'medium' }).map((commands) => [...SETUP, ...commands]);

interface LogEntry {
  header: TxnHeader;
  txn: Txn;
}

/** The leader's pipeline: prepare up to `batch` requests ahead, then apply them in zxid order. */
function runPipeline(commands: Command[], batch: number): { tree: DataTree; log: LogEntry[] } {
  const tree = new DataTree();
  const preparer = new Preparer(tree, { maxDataBytes: 4, extendedTypesEnabled: true });
  const log: LogEntry[] = [];
  let pending: LogEntry[] = [];
  let zxid = 0n;
  let timeMs = 1_000;
  const flush = (): void => {
    for (const entry of pending) {
      tree.apply(entry.header, entry.txn);
      preparer.applied(entry.header.zxid);
    }
    pending = [];
  };
  for (const command of commands) {
    zxid++;
    if (command.t === 'write') timeMs += command.advanceMs;
    const header: TxnHeader = { sessionId: command.sessionId, cxid: Number(zxid), zxid, timeMs };
    let txn: Txn;
    if (command.t === 'write') txn = preparer.prepare(command.request, { ...header, authIds: command.authIds });
    else if (command.t === 'createSession') txn = preparer.prepareCreateSession(10_000);
    else txn = preparer.prepareCloseSession(command.sessionId, zxid);
    pending.push({ header, txn });
    log.push({ header, txn });
    if (pending.length >= batch) flush();
  }
  flush();
  return { tree, log };
}

function replay(log: LogEntry[]): DataTree {
  const tree = new DataTree();
  for (const { header, txn } of log) tree.apply(header, txn);
  return tree;
}

describe('properties', () => {
  it('the same txns applied to two fresh trees give byte-identical trees and digests', () => {
    fc.assert(
      fc.property(commandsArb, (commands) => {
        const { tree, log } = runPipeline(commands, 1);
        const a = replay(log);
        const b = replay(log);
        expect(a.digest()).toBe(b.digest());
        expect(a.serialize()).toEqual(b.serialize());
        expect(a.serialize()).toEqual(tree.serialize());
      }),
    );
  });

  it('a log written through encodeTxn/decodeTxn replays to the same tree', () => {
    fc.assert(
      fc.property(commandsArb, (commands) => {
        const { tree, log } = runPipeline(commands, 1);
        const decoded = log.map(({ header, txn }) => decodeTxn(encodeTxn(header, txn)));
        expect(decoded).toEqual(log);
        expect(replay(decoded).serialize()).toEqual(tree.serialize());
      }),
    );
  });

  it('a snapshot loads to the same tree, and its digest recomputed from scratch matches the incremental one', () => {
    fc.assert(
      fc.property(commandsArb, (commands) => {
        const { tree } = runPipeline(commands, 1);
        const loaded = DataTree.deserialize(tree.serialize()); // asserts recomputed digest === recorded
        expect(loaded.digest()).toBe(tree.digest());
        expect(loaded.serialize()).toEqual(tree.serialize());
      }),
    );
  });

  it('preparing ahead of applying (outstanding changes) gives the same txns as one request at a time', () => {
    fc.assert(
      fc.property(commandsArb, fc.integer({ min: 2, max: 8 }), (commands, batch) => {
        const serial = runPipeline(commands, 1);
        const pipelined = runPipeline(commands, batch);
        expect(pipelined.log).toEqual(serial.log);
        expect(pipelined.tree.serialize()).toEqual(serial.tree.serialize());
      }),
    );
  });

  it('keeps stats consistent with the tree: numChildren, dataLength, cversion from creates', () => {
    fc.assert(
      fc.property(commandsArb, (commands) => {
        const { tree } = runPipeline(commands, 3);
        const stack = ['/'];
        let count = 0;
        while (stack.length > 0) {
          const path = stack.pop() as string;
          const node = tree.getNode(path);
          const persisted = tree.getPersisted(path);
          expect(node).toBeDefined();
          const children = tree.getChildren(path);
          count++;
          expect(node?.stat.numChildren).toBe(children.length);
          expect(node?.stat.dataLength).toBe(node?.data.length);
          expect(node?.stat.cversion).toBe((persisted?.stat.cversion ?? 0) * 2 - children.length);
          if (node?.kind === 'ephemeral') expect(tree.ephemeralsOf(node.stat.ephemeralOwner)).toContain(path);
          else expect(node?.stat.ephemeralOwner).toBe(0n);
          for (const child of children) stack.push(path === '/' ? `/${child}` : `${path}/${child}`);
        }
        expect(tree.nodeCount).toBe(count + 1);
      }),
    );
  });
});
