// Create modes: persistent, ephemeral, both sequentials, container, TTL and sequential TTL — names, Stats,
// and what each mode allows underneath it.
import { CreateFlag, OpCode } from '@zk/wire';
import zookeeper from 'node-zookeeper-client';
import { RawOps } from '../support/raw-ops';
import type { Scenario } from '../support/scenario';

const { CreateMode } = zookeeper;

export const createModeScenarios: Scenario[] = [
  {
    slug: 'create-persistent',
    title: 'a persistent node is created with its data and a fresh Stat, and is listed by its parent',
    async run({ client, path, rec, root }) {
      const a = await client();
      rec('create /p', await a.create(path('/p'), 'hello'));
      rec('getData /p', await a.getData(path('/p')));
      rec('exists /p', await a.exists(path('/p')));
      rec('getChildren root', await a.getChildren(root));
      rec('create /p again', await a.create(path('/p'), 'again'));
      rec('create /empty with no data', await a.create(path('/empty'), null));
      rec('getData /empty', await a.getData(path('/empty')));
    },
  },
  {
    slug: 'create-ephemeral',
    title: 'an ephemeral node is owned by its session, visible to others, and cannot have children',
    async run({ client, path, rec }) {
      const a = await client();
      const b = await client();
      rec('A create -e /e', await a.create(path('/e'), 'mine', { mode: CreateMode.EPHEMERAL }));
      rec('A exists /e', await a.exists(path('/e')));
      rec('B getData /e', await b.getData(path('/e')));
      rec('A create /e/child', await a.create(path('/e/child'), 'x'));
      rec('A create -e /e/child', await a.create(path('/e/child'), 'x', { mode: CreateMode.EPHEMERAL }));
      rec('A create -s /e/child', await a.create(path('/e/child'), 'x', { mode: CreateMode.PERSISTENT_SEQUENTIAL }));
      rec('B setData /e', await b.setData(path('/e'), 'theirs'));
      rec('B delete /e', await b.remove(path('/e')));
      rec('A exists /e after B deleted it', await a.exists(path('/e')));
    },
  },
  {
    slug: 'create-persistent-sequential',
    title: 'persistent sequential names append the parent cversion as %010d',
    async run({ client, path, rec, raw }) {
      const a = await client();
      rec('create /q', await a.create(path('/q')));
      for (let index = 0; index < 3; index += 1) {
        rec(`create -s /q/n-`, await a.create(path('/q/n-'), `v${index}`, { mode: CreateMode.PERSISTENT_SEQUENTIAL }));
      }
      rec('create /q/plain', await a.create(path('/q/plain')));
      rec('create -s /q/n-', await a.create(path('/q/n-'), null, { mode: CreateMode.PERSISTENT_SEQUENTIAL }));
      // A sequential path may end with '/': the name is then the counter alone (node-zookeeper-client refuses it).
      const r = new RawOps(await raw());
      rec('raw create -s /q/', await r.create(path('/q/'), { flags: CreateFlag.persistentSequential }));
      rec('raw create /q/ (not sequential)', await r.create(path('/q/')));
      rec('getChildren /q', await a.getChildren(path('/q')));
      rec('exists /q', await a.exists(path('/q')));
    },
  },
  {
    slug: 'create-ephemeral-sequential',
    title: 'ephemeral sequential nodes share the parent counter with persistent sequential ones',
    async run({ client, path, rec }) {
      const a = await client();
      rec('create /lock', await a.create(path('/lock')));
      rec('create -e -s /lock/x-', await a.create(path('/lock/x-'), null, { mode: CreateMode.EPHEMERAL_SEQUENTIAL }));
      rec('create -s /lock/x-', await a.create(path('/lock/x-'), null, { mode: CreateMode.PERSISTENT_SEQUENTIAL }));
      rec('create -e -s /lock/x-', await a.create(path('/lock/x-'), null, { mode: CreateMode.EPHEMERAL_SEQUENTIAL }));
      rec('exists /lock/x-0000000002', await a.exists(path('/lock/x-0000000002')));
      rec('getChildren /lock', await a.getChildren(path('/lock')));
    },
  },
  {
    slug: 'create2-and-create',
    title: 'create answers the path only, create2 answers the path and the new Stat',
    async run({ raw, path, rec }) {
      const r = new RawOps(await raw());
      rec('create (op 1) /a', await r.create(path('/a'), { op: OpCode.create, data: 'one' }));
      rec('create2 /b', await r.create(path('/b'), { data: 'two' }));
      rec('create2 -s /b-', await r.create(path('/b-'), { flags: CreateFlag.persistentSequential, data: 'seq' }));
      rec('create2 -e /c', await r.create(path('/c'), { flags: CreateFlag.ephemeral }));
      rec('create2 /b again', await r.create(path('/b')));
      rec('getData /b', await r.getData(path('/b')));
      rec('exists /a', await r.exists(path('/a')));
    },
  },
  {
    slug: 'create-container',
    title: 'createContainer makes a container node (ephemeralOwner marks it) that holds children',
    async run({ raw, path, rec }) {
      const r = new RawOps(await raw());
      rec('createContainer /box', await r.create(path('/box'), { flags: CreateFlag.container, data: 'c' }));
      rec('create /box/item', await r.create(path('/box/item')));
      rec('exists /box', await r.exists(path('/box')));
      rec('createContainer with create2', await r.create(path('/box2'), { op: OpCode.create2, flags: CreateFlag.container }));
      rec('createContainer with persistent flag', await r.create(path('/box3'), { op: OpCode.createContainer, flags: CreateFlag.persistent }));
      rec('createContainer -s', await r.create(path('/box4'), { op: OpCode.createContainer, flags: CreateFlag.persistentSequential }));
    },
  },
  {
    slug: 'create-ttl',
    title: 'createTTL makes a TTL node; the TTL shows in ephemeralOwner; bad TTLs and mismatched flags are refused',
    async run({ raw, path, rec }) {
      const r = new RawOps(await raw());
      rec('createTTL /t ttl=60000', await r.create(path('/t'), { flags: CreateFlag.persistentWithTtl, ttl: 60_000n, data: 't' }));
      rec('createTTL -s /t- ttl=60000', await r.create(path('/t-'), { flags: CreateFlag.persistentSequentialWithTtl, ttl: 60_000n }));
      rec('createTTL -s /t- ttl=60000 again', await r.create(path('/t-'), { flags: CreateFlag.persistentSequentialWithTtl, ttl: 60_000n }));
      rec('create /t/child', await r.create(path('/t/child')));
      rec('createTTL ttl=0', await r.create(path('/t0'), { flags: CreateFlag.persistentWithTtl, ttl: 0n }));
      rec('createTTL ttl=-5', await r.create(path('/tneg'), { flags: CreateFlag.persistentWithTtl, ttl: -5n }));
      rec('createTTL ttl=2^40', await r.create(path('/tbig'), { flags: CreateFlag.persistentWithTtl, ttl: 2n ** 40n }));
      rec('createTTL with persistent flag', await r.create(path('/tp'), { op: OpCode.createTTL, flags: CreateFlag.persistent, ttl: 1000n }));
      rec('createTTL with ephemeral flag', await r.create(path('/te'), { op: OpCode.createTTL, flags: CreateFlag.ephemeral, ttl: 1000n }));
      rec('create2 with TTL flag', await r.create(path('/tc'), { op: OpCode.create2, flags: CreateFlag.persistentWithTtl }));
      rec('create (op 1) with TTL flag', await r.create(path('/tc1'), { op: OpCode.create, flags: CreateFlag.persistentWithTtl }));
      rec('create2 with flag 7', await r.create(path('/t7'), { op: OpCode.create2, flags: 7 }));
      rec('getChildren root', await r.getChildren(path('')));
    },
  },
];
