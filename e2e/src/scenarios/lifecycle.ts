// Nodes that go away by themselves or count things: containers, TTL nodes, ephemerals of a closed session,
// sequential counters after deletes, data at and over jute.maxbuffer, getEphemerals, getAllChildrenNumber, sync.
import { CreateFlag, OpCode } from '@zk/wire';
import zookeeper from 'node-zookeeper-client';
import { RawOps, tolerant } from '../support/raw-ops';
import type { Scenario } from '../support/scenario';
import { pollUntil } from '../support/wait';

const { CreateMode } = zookeeper;

/** Polls exists until the node is gone; the transcript gets 'gone' or 'still there' (never a time). */
async function goneWithin(ops: RawOps, path: string, timeoutMs: number): Promise<string> {
  try {
    await pollUntil(async () => ((await ops.exists(path)).err === 'noNode' ? true : undefined), {
      timeoutMs,
      intervalMs: 100,
      what: `${path} to disappear`,
    });
    return 'gone';
  } catch {
    return 'still there';
  }
}

export const lifecycleScenarios: Scenario[] = [
  {
    slug: 'container-reaped',
    title: 'a container is removed after its last child goes; one that never had children stays',
    timeoutMs: 20_000,
    async run({ raw, path, rec }) {
      const r = new RawOps(await raw());
      const watcher = new RawOps(await raw());
      rec('createContainer /box', await r.create(path('/box'), { flags: CreateFlag.container }));
      rec('createContainer /unused', await r.create(path('/unused'), { flags: CreateFlag.container }));
      rec('createContainer op with persistent flag /box-p', await r.create(path('/box-p'), { op: OpCode.createContainer, flags: CreateFlag.persistent }));
      rec('create2 with container flag /box-c', await r.create(path('/box-c'), { op: OpCode.create2, flags: CreateFlag.container }));
      for (const name of ['/box', '/box-p', '/box-c']) {
        rec(`create ${name}/item`, await r.create(path(`${name}/item`)));
      }
      rec('watch exists /box', await watcher.exists(path('/box'), true));
      rec('delete /box/item', await r.delete(path('/box/item')));
      rec('/box', await goneWithin(r, path('/box'), 8_000));
      await watcher.sync('/');
      rec('watcher events', watcher.takeEvents());
      for (const name of ['/box-p', '/box-c']) rec(`delete ${name}/item`, await r.delete(path(`${name}/item`)));
      rec('/box-p', await goneWithin(r, path('/box-p'), 3_000));
      rec('/box-c', await goneWithin(r, path('/box-c'), 3_000));
      rec('/unused still there', await r.exists(path('/unused')));
      rec('getChildren root', await r.getChildren(path('')));
    },
  },
  {
    slug: 'ttl-expiry',
    title: 'a TTL node without children is removed after its TTL; one with a child waits for the child to go',
    timeoutMs: 20_000,
    async run({ raw, path, rec }) {
      const r = new RawOps(await raw());
      const watcher = new RawOps(await raw());
      rec('createTTL /t ttl=300', await r.create(path('/t'), { flags: CreateFlag.persistentWithTtl, ttl: 300n }));
      rec('createTTL -s /s- ttl=300', await r.create(path('/s-'), { flags: CreateFlag.persistentSequentialWithTtl, ttl: 300n }));
      rec('createTTL /parent ttl=300', await r.create(path('/parent'), { flags: CreateFlag.persistentWithTtl, ttl: 300n }));
      rec('create /parent/child', await r.create(path('/parent/child')));
      rec('createTTL /long ttl=600000', await r.create(path('/long'), { flags: CreateFlag.persistentWithTtl, ttl: 600_000n }));
      rec('watch exists /t', await watcher.exists(path('/t'), true));
      rec('/t', await goneWithin(r, path('/t'), 8_000));
      rec('/s-0000000001', await goneWithin(r, path('/s-0000000001'), 3_000));
      await watcher.sync('/');
      rec('watcher events', watcher.takeEvents());
      rec('/parent while it has a child', await r.exists(path('/parent')));
      rec('delete /parent/child', await r.delete(path('/parent/child')));
      rec('/parent', await goneWithin(r, path('/parent'), 8_000));
      rec('/long', await r.exists(path('/long')));
    },
  },
  {
    slug: 'ephemeral-session-close',
    title: 'closing a session deletes its ephemerals in one txn; another client sees NodeDeleted and NodeChildrenChanged',
    async run({ client, path, rec }) {
      const owner = await client();
      const observer = await client();
      rec('create /p', await observer.create(path('/p')));
      rec('owner create -e /p/e', await owner.create(path('/p/e'), 'x', { mode: CreateMode.EPHEMERAL }));
      rec('owner create -e -s /p/s-', await owner.create(path('/p/s-'), null, { mode: CreateMode.EPHEMERAL_SEQUENTIAL }));
      rec('owner create -e /other', await owner.create(path('/other'), null, { mode: CreateMode.EPHEMERAL }));
      rec('observer getData /p/e watch', await observer.getData(path('/p/e'), 'data'));
      rec('observer getChildren /p watch', await observer.getChildren(path('/p'), 'children'));
      await owner.close();
      await observer.waitForEvents(2, 5_000);
      await observer.sync();
      // The deletion order inside the closeSession txn is not specified: compare the set.
      rec('observer events (sorted)', observer.takeEvents().sort());
      rec('getChildren /p', await observer.getChildren(path('/p')));
      rec('exists /other', await observer.exists(path('/other')));
      rec('exists /p (one pzxid for all deletions)', await observer.exists(path('/p')));
    },
  },
  {
    slug: 'sequential-after-deletes',
    title: 'sequence numbers keep counting after deletes (they come from the parent cversion)',
    async run({ client, path, rec }) {
      const a = await client();
      rec('create /q', await a.create(path('/q')));
      const names: string[] = [];
      for (let index = 0; index < 3; index += 1) {
        const created = await a.create(path('/q/n-'), null, { mode: CreateMode.PERSISTENT_SEQUENTIAL });
        rec('create -s /q/n-', created);
        if ('ok' in created) names.push(created.ok);
      }
      for (const name of names) rec(`delete ${name.slice(path('').length)}`, await a.remove(name));
      rec('exists /q (the reported cversion counts deletes too)', await a.exists(path('/q')));
      rec('create -s /q/n- after deletes', await a.create(path('/q/n-'), null, { mode: CreateMode.PERSISTENT_SEQUENTIAL }));
      rec('create -s /q/other-', await a.create(path('/q/other-'), null, { mode: CreateMode.PERSISTENT_SEQUENTIAL }));
      // The counter counts child creates only (deletes do not move it, unlike the reported cversion), and any
      // create moves it, so a hand-made name one ahead of it is exactly where the next sequential create lands.
      rec('create /q/n-0000000006 by hand (the counter becomes 6)', await a.create(path('/q/n-0000000006')));
      rec('create -s /q/n- (collides with n-0000000006)', await a.create(path('/q/n-'), null, { mode: CreateMode.PERSISTENT_SEQUENTIAL }));
      rec('create -s /q/n- again (a failed create does not move the counter)', await a.create(path('/q/n-'), null, { mode: CreateMode.PERSISTENT_SEQUENTIAL }));
      rec('create /q/bump', await a.create(path('/q/bump')));
      rec('create -s /q/n- after a plain create', await a.create(path('/q/n-'), null, { mode: CreateMode.PERSISTENT_SEQUENTIAL }));
      rec('exists /q', await a.exists(path('/q')));
      rec('getChildren /q', await a.getChildren(path('/q')));
    },
  },
  {
    slug: 'data-size-limit',
    title: 'data just under jute.maxbuffer is stored; a request over it is refused (the connection drops)',
    timeoutMs: 30_000,
    async run({ raw, path, rec }) {
      let r = new RawOps(await raw());
      rec('create /big', await r.create(path('/big')));
      // A setData frame body is xid, type, path (4 + length), data (4 + length) and version: 20 bytes plus the
      // path and the data. jute.maxbuffer (0xfffff) bounds that body.
      const largestData = 0xfffff - 20 - Buffer.byteLength(path('/big'));
      for (const size of [1_000_000, largestData]) {
        rec(`setData /big ${size === largestData ? 'largest that fits' : size} bytes`, await tolerant(() => r.setData(path('/big'), new Uint8Array(size).fill(97))));
      }
      const got = await r.getData(path('/big'));
      rec('getData /big', { err: got.err, stat: got['stat'] });
      rec('setData /big one byte more', await tolerant(() => r.setData(path('/big'), new Uint8Array(largestData + 1).fill(99))));
      rec('connection open after one byte more', !r.client.isClosed);
      for (const size of [1_048_576, 1_048_576 + 4096, 2 * 1_048_576]) {
        if (r.client.isClosed) r = new RawOps(await raw());
        rec(`setData /big ${size} bytes`, await tolerant(() => r.setData(path('/big'), new Uint8Array(size).fill(98))));
        rec(`connection open after ${size} bytes`, !r.client.isClosed);
      }
      if (r.client.isClosed) r = new RawOps(await raw());
      rec(`create /big2 with ${1_048_576} bytes`, await tolerant(() => r.create(path('/big2'), { data: new Uint8Array(1_048_576) })));
      if (r.client.isClosed) r = new RawOps(await raw());
      const after = await r.exists(path('/big'));
      rec('exists /big after', after);
      rec('exists /big2 after', await r.exists(path('/big2')));
    },
  },
  {
    slug: 'get-ephemerals',
    title: 'getEphemerals lists the caller’s own ephemerals under a path prefix, sorted here',
    async run({ raw, path, rec }) {
      const mine = new RawOps(await raw());
      const theirs = new RawOps(await raw());
      rec('create /g', await mine.create(path('/g')));
      rec('create /g/sub', await mine.create(path('/g/sub')));
      rec('mine create -e /g/e1', await mine.create(path('/g/e1'), { flags: CreateFlag.ephemeral }));
      rec('mine create -e /g/sub/e2', await mine.create(path('/g/sub/e2'), { flags: CreateFlag.ephemeral }));
      rec('mine create -e -s /g/e-', await mine.create(path('/g/e-'), { flags: CreateFlag.ephemeralSequential }));
      rec('theirs create -e /g/t1', await theirs.create(path('/g/t1'), { flags: CreateFlag.ephemeral }));
      rec('mine getEphemerals <root>', await mine.getEphemerals(path('')));
      rec('mine getEphemerals <root>/g/sub', await mine.getEphemerals(path('/g/sub')));
      rec('mine getEphemerals <root>/g/e (a prefix, not a node)', await mine.getEphemerals(path('/g/e')));
      rec('theirs getEphemerals <root>', await theirs.getEphemerals(path('')));
      rec('mine getEphemerals <root>/none', await mine.getEphemerals(path('/none')));
      rec('mine getEphemerals "bad"', await mine.getEphemerals('bad'));
      const none = new RawOps(await raw());
      rec('a session without ephemerals', await none.getEphemerals(path('')));
    },
  },
  {
    slug: 'get-all-children-number',
    title: 'getAllChildrenNumber counts every descendant',
    async run({ raw, path, rec }) {
      const r = new RawOps(await raw());
      rec('create /c', await r.create(path('/c')));
      for (const child of ['/c/a', '/c/b', '/c/a/x', '/c/a/y', '/c/a/x/deep']) rec(`create ${child}`, await r.create(path(child)));
      rec('getAllChildrenNumber /c', await r.getAllChildrenNumber(path('/c')));
      rec('getAllChildrenNumber /c/a', await r.getAllChildrenNumber(path('/c/a')));
      rec('getAllChildrenNumber /c/b (leaf)', await r.getAllChildrenNumber(path('/c/b')));
      rec('getAllChildrenNumber missing', await r.getAllChildrenNumber(path('/nope')));
      rec('getAllChildrenNumber /zookeeper', await r.getAllChildrenNumber('/zookeeper'));
    },
  },
  {
    slug: 'sync-and-reads',
    title: 'sync answers its path; reads after it see every earlier write',
    async run({ raw, path, rec }) {
      const a = new RawOps(await raw());
      const b = new RawOps(await raw());
      rec('A create /n', await a.create(path('/n'), { data: '1' }));
      rec('B sync /n', await b.sync(path('/n')));
      rec('B getData /n', await b.getData(path('/n')));
      rec('B sync missing path', await b.sync(path('/missing')));
      rec('B sync bad path', await tolerant(() => b.sync('bad')));
    },
  },
];
