// multi (all or nothing, per-op results) and multiRead (per-op results, no atomicity).
import { CreateFlag, OpCode } from '@zk/wire';
import zookeeper from 'node-zookeeper-client';
import { bytes, createRequest, RawOps } from '../support/raw-ops';
import type { Scenario } from '../support/scenario';

const { CreateMode } = zookeeper;

export const multiScenarios: Scenario[] = [
  {
    slug: 'multi-all-ok',
    title: 'a multi whose ops all succeed applies them in one txn and answers each',
    async run({ client, path, rec }) {
      const a = await client();
      rec('create /base', await a.create(path('/base'), 'b'));
      rec(
        'multi create /m, create /m/c, setData /base, check /base, delete /m/c',
        await a.multi([
          { op: 'create', path: path('/m'), data: 'm' },
          { op: 'create', path: path('/m/c'), data: 'c' },
          { op: 'setData', path: path('/base'), data: 'b2', version: 0 },
          { op: 'check', path: path('/base'), version: 1 },
          { op: 'delete', path: path('/m/c') },
        ]),
      );
      rec('exists /m', await a.exists(path('/m')));
      rec('getData /base', await a.getData(path('/base')));
      rec('exists /m/c', await a.exists(path('/m/c')));
      rec(
        'multi with sequential and ephemeral creates',
        await a.multi([
          { op: 'create', path: path('/m/s-'), mode: CreateMode.PERSISTENT_SEQUENTIAL },
          { op: 'create', path: path('/m/s-'), mode: CreateMode.EPHEMERAL_SEQUENTIAL },
          { op: 'create', path: path('/m/e'), mode: CreateMode.EPHEMERAL },
        ]),
      );
      rec('getChildren /m', await a.getChildren(path('/m')));
    },
  },
  {
    slug: 'multi-failure-in-the-middle',
    title: 'a multi that fails in the middle applies nothing and reports each op (ok, the error, then the rest)',
    async run({ client, path, rec }) {
      const a = await client();
      rec('create /f', await a.create(path('/f'), 'v'));
      rec(
        'multi create /f/a, setData /missing, create /f/b',
        await a.multi([
          { op: 'create', path: path('/f/a') },
          { op: 'setData', path: path('/missing'), data: 'x' },
          { op: 'create', path: path('/f/b') },
        ]),
      );
      rec('getChildren /f', await a.getChildren(path('/f')));
      rec(
        'multi check wrong version first',
        await a.multi([
          { op: 'check', path: path('/f'), version: 3 },
          { op: 'setData', path: path('/f'), data: 'never' },
        ]),
      );
      rec(
        'multi create /f/x twice',
        await a.multi([
          { op: 'create', path: path('/f/x') },
          { op: 'create', path: path('/f/x') },
          { op: 'delete', path: path('/f') },
        ]),
      );
      rec(
        'multi delete non-empty last',
        await a.multi([
          { op: 'create', path: path('/f/y') },
          { op: 'delete', path: path('/f') },
        ]),
      );
      rec('getData /f', await a.getData(path('/f')));
      rec('getChildren /f after', await a.getChildren(path('/f')));
      rec('create /f/after (zxids keep going)', await a.create(path('/f/after')));
    },
  },
  {
    slug: 'multi-create-then-delete',
    title: 'creating and deleting the same path in one multi leaves no node but moves the parent',
    async run({ client, path, rec }) {
      const a = await client();
      rec('create /p', await a.create(path('/p')));
      rec('exists /p before', await a.exists(path('/p')));
      rec(
        'multi create /p/t, setData /p/t, delete /p/t',
        await a.multi([
          { op: 'create', path: path('/p/t'), data: 'x' },
          { op: 'setData', path: path('/p/t'), data: 'y', version: 0 },
          { op: 'delete', path: path('/p/t'), version: 1 },
        ]),
      );
      rec('exists /p/t', await a.exists(path('/p/t')));
      rec('exists /p after', await a.exists(path('/p')));
      rec(
        'multi delete then re-create /p',
        await a.multi([
          { op: 'delete', path: path('/p') },
          { op: 'create', path: path('/p'), data: 'again' },
        ]),
      );
      rec('getData /p', await a.getData(path('/p')));
    },
  },
  {
    slug: 'multi-raw-create-variants',
    title: 'multi carries create2, createContainer and createTTL and answers them with a Stat; empty multi is ok',
    async run({ raw, path, rec }) {
      const r = new RawOps(await raw());
      rec('multi with no ops', await r.multi([]));
      rec(
        'multi create, create2, createContainer, createTTL, check',
        await r.multi([
          createRequest(path('/plain'), { op: OpCode.create, data: 'p' }),
          createRequest(path('/two'), { data: '2' }),
          createRequest(path('/box'), { flags: CreateFlag.container }),
          createRequest(path('/ttl'), { flags: CreateFlag.persistentWithTtl, ttl: 60_000n }),
          { op: OpCode.check, path: path('/two'), version: 0 },
        ]),
      );
      rec(
        'multi setData with stat, delete',
        await r.multi([
          { op: OpCode.setData, path: path('/two'), data: bytes('22'), version: -1 },
          { op: OpCode.delete, path: path('/plain'), version: -1 },
        ]),
      );
      rec(
        'multi with a bad path (trailing slash under an existing node) in the second op',
        await r.multi([
          createRequest(path('/ok'), {}),
          createRequest(path('/two/'), {}),
        ]),
      );
      rec(
        'multi with a bad TTL',
        await r.multi([createRequest(path('/ttl2'), { flags: CreateFlag.persistentWithTtl, ttl: 0n })]),
      );
      rec('getChildren root', await r.getChildren(path('')));
    },
  },
  {
    slug: 'multi-read',
    title: 'multiRead answers each getData / getChildren, with per-op errors and no all-or-nothing',
    async run({ raw, path, rec }) {
      const r = new RawOps(await raw());
      rec('create /r', await r.create(path('/r'), { data: 'root-data' }));
      rec('create /r/a', await r.create(path('/r/a'), { data: 'A' }));
      rec('create /r/b', await r.create(path('/r/b')));
      rec(
        'multiRead getData /r, getChildren /r, getData /missing, getChildren /r/a',
        await r.multiRead([
          { op: OpCode.getData, path: path('/r'), watch: false },
          { op: OpCode.getChildren, path: path('/r'), watch: false },
          { op: OpCode.getData, path: path('/missing'), watch: false },
          { op: OpCode.getChildren, path: path('/r/a'), watch: false },
          { op: OpCode.getData, path: path('/r/a'), watch: false },
        ]),
      );
      rec('multiRead with no ops', await r.multiRead([]));
    },
  },
];
