// One sample of every request and response variant (and the shared records): the round-trip tables of
// this library's specs, and seeds for fuzzers and client tests of the codec's users.
import { AddWatchMode, CreateFlag, ErrorCode, OpCode, Perm, WatcherType } from './constants';
import type { Acl, MultiResult, Request, Response, Stat } from './records';

const utf8 = new TextEncoder();

export const sampleStat: Stat = {
  czxid: 0x100000002n,
  mzxid: 0x100000007n,
  ctime: 1_700_000_000_123n,
  mtime: 1_700_000_004_567n,
  version: 3,
  cversion: 2,
  aversion: 1,
  ephemeralOwner: 0x1000000abcdef01n,
  dataLength: 5,
  numChildren: 2,
  pzxid: 0x100000005n,
};

export const sampleAcls: Acl[] = [
  { perms: Perm.all, id: { scheme: 'world', id: 'anyone' } },
  { perms: Perm.read | Perm.admin, id: { scheme: 'digest', id: 'alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=' } },
];

const data = utf8.encode('h\u00e9llo \u2713');

export const sampleRequests: [name: string, request: Request][] = [
  ['create', { op: OpCode.create, path: '/app/node', data, acl: sampleAcls, flags: CreateFlag.persistent }],
  ['create2 sequential', { op: OpCode.create2, path: '/app/seq-', data, acl: sampleAcls, flags: CreateFlag.persistentSequential }],
  [
    'createContainer',
    { op: OpCode.createContainer, path: '/app/box', data: new Uint8Array(0), acl: sampleAcls.slice(0, 1), flags: CreateFlag.container },
  ],
  ['createTTL', { op: OpCode.createTTL, path: '/app/ttl', data, acl: sampleAcls, flags: CreateFlag.persistentWithTtl, ttl: 60_000n }],
  ['delete', { op: OpCode.delete, path: '/app/node', version: -1 }],
  ['deleteContainer', { op: OpCode.deleteContainer, path: '/app/box', version: 0 }],
  ['exists', { op: OpCode.exists, path: '/app', watch: true }],
  ['getData', { op: OpCode.getData, path: '/app/\u00fcnicode/\ud83d\ude00', watch: false }],
  ['setData', { op: OpCode.setData, path: '/app', data, version: 7 }],
  ['getACL', { op: OpCode.getACL, path: '/app' }],
  ['setACL', { op: OpCode.setACL, path: '/app', acl: sampleAcls, version: 2 }],
  ['getChildren', { op: OpCode.getChildren, path: '/', watch: true }],
  ['getChildren2', { op: OpCode.getChildren2, path: '/app', watch: false }],
  ['sync', { op: OpCode.sync, path: '/app' }],
  ['ping', { op: OpCode.ping }],
  ['check', { op: OpCode.check, path: '/app', version: 4 }],
  [
    'multi',
    {
      op: OpCode.multi,
      ops: [
        { op: OpCode.create, path: '/app/a', data, acl: sampleAcls, flags: CreateFlag.ephemeral },
        { op: OpCode.create2, path: '/app/b', data, acl: sampleAcls, flags: CreateFlag.persistent },
        { op: OpCode.createContainer, path: '/app/c', data, acl: sampleAcls, flags: CreateFlag.container },
        { op: OpCode.createTTL, path: '/app/d', data, acl: sampleAcls, flags: CreateFlag.persistentWithTtl, ttl: 1000n },
        { op: OpCode.delete, path: '/app/e', version: -1 },
        { op: OpCode.setData, path: '/app/f', data, version: 1 },
        { op: OpCode.check, path: '/app', version: 9 },
      ],
    },
  ],
  ['multi empty', { op: OpCode.multi, ops: [] }],
  [
    'multiRead',
    {
      op: OpCode.multiRead,
      ops: [
        { op: OpCode.getChildren, path: '/app', watch: false },
        { op: OpCode.getData, path: '/app/a', watch: false },
      ],
    },
  ],
  ['checkWatches', { op: OpCode.checkWatches, path: '/app', type: WatcherType.data }],
  ['removeWatches', { op: OpCode.removeWatches, path: '/app', type: WatcherType.any }],
  ['auth', { op: OpCode.auth, type: 0, scheme: 'digest', auth: utf8.encode('alice:secret') }],
  [
    'setWatches',
    { op: OpCode.setWatches, relativeZxid: 0x10000002an, dataWatches: ['/a', '/b'], existWatches: [], childWatches: ['/'] },
  ],
  [
    'setWatches2',
    {
      op: OpCode.setWatches2,
      relativeZxid: 42n,
      dataWatches: ['/a'],
      existWatches: ['/missing'],
      childWatches: [],
      persistentWatches: ['/p'],
      persistentRecursiveWatches: ['/r', '/s'],
    },
  ],
  ['getEphemerals', { op: OpCode.getEphemerals, prefixPath: '/app' }],
  ['getAllChildrenNumber', { op: OpCode.getAllChildrenNumber, path: '/app' }],
  ['addWatch', { op: OpCode.addWatch, path: '/app', mode: AddWatchMode.persistentRecursive }],
  ['whoAmI', { op: OpCode.whoAmI }],
  ['closeSession', { op: OpCode.closeSession }],
];

const sampleMultiResults: MultiResult[] = [
  { op: OpCode.create, path: '/app/a' },
  { op: OpCode.create2, path: '/app/b', stat: sampleStat },
  { op: OpCode.delete },
  { op: OpCode.check },
  { op: OpCode.setData, stat: sampleStat },
  { op: OpCode.error, err: ErrorCode.ok },
  { op: OpCode.error, err: ErrorCode.badVersion },
  { op: OpCode.error, err: ErrorCode.runtimeInconsistency },
];

export const sampleResponses: [name: string, response: Response][] = [
  ['create', { op: OpCode.create, path: '/app/node' }],
  ['create2', { op: OpCode.create2, path: '/app/seq-0000000001', stat: sampleStat }],
  ['createContainer', { op: OpCode.createContainer, path: '/app/box', stat: sampleStat }],
  ['createTTL', { op: OpCode.createTTL, path: '/app/ttl', stat: sampleStat }],
  ['exists', { op: OpCode.exists, stat: sampleStat }],
  ['setData', { op: OpCode.setData, stat: sampleStat }],
  ['setACL', { op: OpCode.setACL, stat: sampleStat }],
  ['getData', { op: OpCode.getData, data, stat: sampleStat }],
  ['getData empty', { op: OpCode.getData, data: new Uint8Array(0), stat: sampleStat }],
  ['getACL', { op: OpCode.getACL, acl: sampleAcls, stat: sampleStat }],
  ['getChildren', { op: OpCode.getChildren, children: ['a', 'b', '\u00fc'] }],
  ['getChildren2', { op: OpCode.getChildren2, children: [], stat: sampleStat }],
  ['sync', { op: OpCode.sync, path: '/app' }],
  ['delete', { op: OpCode.delete }],
  ['deleteContainer', { op: OpCode.deleteContainer }],
  ['ping', { op: OpCode.ping }],
  ['check', { op: OpCode.check }],
  ['checkWatches', { op: OpCode.checkWatches }],
  ['removeWatches', { op: OpCode.removeWatches }],
  ['auth', { op: OpCode.auth }],
  ['setWatches', { op: OpCode.setWatches }],
  ['setWatches2', { op: OpCode.setWatches2 }],
  ['addWatch', { op: OpCode.addWatch }],
  ['closeSession', { op: OpCode.closeSession }],
  ['multi', { op: OpCode.multi, results: sampleMultiResults }],
  ['multi empty', { op: OpCode.multi, results: [] }],
  [
    'multiRead',
    {
      op: OpCode.multiRead,
      results: [
        { op: OpCode.getChildren, children: ['x', 'y'] },
        { op: OpCode.getData, data, stat: sampleStat },
        { op: OpCode.error, err: ErrorCode.noNode },
      ],
    },
  ],
  ['getEphemerals', { op: OpCode.getEphemerals, ephemerals: ['/app/e1', '/app/e2'] }],
  ['getAllChildrenNumber', { op: OpCode.getAllChildrenNumber, totalNumber: 12345 }],
  [
    'whoAmI',
    {
      op: OpCode.whoAmI,
      clientInfo: [
        { authScheme: 'digest', user: 'alice' },
        { authScheme: 'ip', user: '127.0.0.1' },
      ],
    },
  ],
];
