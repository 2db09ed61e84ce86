// Watches: data, exists (on a missing node), child; one-shot; exact events and their order per client;
// persistent and persistent recursive (addWatch); removeWatches / checkWatches; setWatches after a reconnect.
import { OpCode, WatcherType } from '@zk/wire';
import { RawOps, recorded } from '../support/raw-ops';
import type { Scenario } from '../support/scenario';

export const watchScenarios: Scenario[] = [
  {
    slug: 'watch-data-one-shot',
    title: 'a getData watch fires NodeDataChanged once, then is gone until set again',
    async run({ client, path, rec }) {
      const a = await client();
      const b = await client();
      rec('B create /w', await b.create(path('/w'), 'v0'));
      rec('A getData /w with watch', await a.getData(path('/w'), 'data'));
      rec('B setData v1', await b.setData(path('/w'), 'v1'));
      rec('B setData v2', await b.setData(path('/w'), 'v2'));
      await a.sync();
      rec('A events', a.takeEvents());
      rec('A getData /w with watch again', await a.getData(path('/w'), 'data'));
      rec('B delete /w', await b.remove(path('/w')));
      await a.sync();
      rec('A events after delete', a.takeEvents());
    },
  },
  {
    slug: 'watch-exists-missing',
    title: 'an exists watch on a missing node fires NodeCreated, once',
    async run({ client, path, rec }) {
      const a = await client();
      const b = await client();
      rec('A exists /later with watch', await a.exists(path('/later'), 'exists'));
      rec('B create /later', await b.create(path('/later'), 'x'));
      rec('B setData /later', await b.setData(path('/later'), 'y'));
      rec('B delete /later', await b.remove(path('/later')));
      await a.sync();
      rec('A events', a.takeEvents());
      rec('A exists /gone with watch', await a.exists(path('/gone'), 'exists2'));
      rec('A create /gone itself', await a.create(path('/gone')));
      rec('A events after its own create', a.takeEvents());
      rec('A exists /gone (existing) with watch', await a.exists(path('/gone'), 'exists3'));
      rec('B setData /gone', await b.setData(path('/gone'), 'z'));
      await a.sync();
      rec('A events after setData', a.takeEvents());
    },
  },
  {
    slug: 'watch-children',
    title: 'a getChildren watch fires NodeChildrenChanged on a child create or delete, not on child data',
    async run({ client, path, rec }) {
      const a = await client();
      const b = await client();
      rec('B create /p', await b.create(path('/p')));
      rec('A getChildren /p with watch', await a.getChildren(path('/p'), 'children'));
      rec('B create /p/c1', await b.create(path('/p/c1')));
      rec('B create /p/c2', await b.create(path('/p/c2')));
      await a.sync();
      rec('A events after two creates', a.takeEvents());
      rec('A getChildren /p with watch', await a.getChildren(path('/p'), 'children'));
      rec('B setData /p/c1', await b.setData(path('/p/c1'), 'd'));
      rec('B setData /p', await b.setData(path('/p'), 'd'));
      await a.sync();
      rec('A events after data changes', a.takeEvents());
      rec('B delete /p/c1', await b.remove(path('/p/c1')));
      await a.sync();
      rec('A events after child delete', a.takeEvents());
    },
  },
  {
    slug: 'watch-exact-events-on-delete',
    title: 'a delete sends one NodeDeleted per client however many watches it had, then the parent’s NodeChildrenChanged',
    async run({ raw, path, rec }) {
      const watcher = new RawOps(await raw());
      const writer = new RawOps(await raw());
      rec('create /p', await writer.create(path('/p')));
      rec('create /p/n', await writer.create(path('/p/n'), { data: 'x' }));
      rec('create /p/n/k', await writer.create(path('/p/n/k')));
      rec('watch getData /p/n', await watcher.getData(path('/p/n'), true));
      rec('watch exists /p/n', await watcher.exists(path('/p/n'), true));
      rec('watch getChildren /p/n', await watcher.getChildren(path('/p/n'), true));
      rec('watch getChildren /p', await watcher.getChildren(path('/p'), true));
      rec('watch exists /p/n/k', await watcher.exists(path('/p/n/k'), true));
      rec('delete /p/n/k', await writer.delete(path('/p/n/k')));
      await watcher.sync('/');
      rec('events after deleting /p/n/k', watcher.takeEvents());
      rec('delete /p/n', await writer.delete(path('/p/n')));
      await watcher.sync('/');
      rec('events after deleting /p/n', watcher.takeEvents());
      rec('watch exists /p/n (missing)', await watcher.exists(path('/p/n'), true));
      rec('watch getChildren /p', await watcher.getChildren(path('/p'), true));
      rec('create /p/n', await writer.create(path('/p/n')));
      await watcher.sync('/');
      rec('events after re-creating /p/n', watcher.takeEvents());
      rec('watch getData /p/n + setData twice', await watcher.getData(path('/p/n'), true));
      rec('setData /p/n', await writer.setData(path('/p/n'), 'a'));
      rec('setData /p/n again', await writer.setData(path('/p/n'), 'b'));
      await watcher.sync('/');
      rec('events after setData', watcher.takeEvents());
    },
  },
  {
    slug: 'watch-two-clients',
    title: 'two clients watching the same nodes each get the same events in the order of the changes',
    async run({ client, path, rec }) {
      const a = await client();
      const b = await client();
      const c = await client();
      rec('C create /n', await c.create(path('/n'), 'v'));
      for (const [name, watcher] of [
        ['A', a],
        ['B', b],
      ] as const) {
        rec(`${name} getData /n watch`, await watcher.getData(path('/n'), `${name}-data`));
        rec(`${name} getChildren /n watch`, await watcher.getChildren(path('/n'), `${name}-children`));
        rec(`${name} exists /n/c watch`, await watcher.exists(path('/n/c'), `${name}-exists`));
      }
      rec('C create /n/c', await c.create(path('/n/c')));
      rec('C setData /n', await c.setData(path('/n'), 'w'));
      rec('C setData /n/c', await c.setData(path('/n/c'), 'x'));
      await a.sync();
      await b.sync();
      rec('A events', a.takeEvents());
      rec('B events', b.takeEvents());
    },
  },
  {
    slug: 'watch-persistent',
    title: 'a persistent watch (addWatch) fires on every data, children and existence change of its node and stays',
    async run({ raw, path, rec }) {
      const watcher = new RawOps(await raw());
      const writer = new RawOps(await raw());
      rec('create /w', await writer.create(path('/w')));
      rec('addWatch /w persistent', await watcher.addWatch(path('/w'), false));
      rec('addWatch /missing persistent', await watcher.addWatch(path('/missing'), false));
      rec('setData /w', await writer.setData(path('/w'), 'a'));
      rec('setData /w', await writer.setData(path('/w'), 'b'));
      rec('create /w/c', await writer.create(path('/w/c')));
      rec('setData /w/c', await writer.setData(path('/w/c'), 'c'));
      rec('delete /w/c', await writer.delete(path('/w/c')));
      rec('delete /w', await writer.delete(path('/w')));
      rec('create /w', await writer.create(path('/w')));
      rec('create /missing', await writer.create(path('/missing')));
      await watcher.sync('/');
      rec('events', watcher.takeEvents());
      rec('checkWatches /w any', await watcher.checkWatches(path('/w'), WatcherType.any));
      rec('checkWatches /w data', await watcher.checkWatches(path('/w'), WatcherType.data));
      rec('removeWatches /w data', await watcher.removeWatches(path('/w'), WatcherType.data));
      rec('setData /w after removing "data"', await writer.setData(path('/w'), 'c'));
      rec('create /w/c2 after removing "data"', await writer.create(path('/w/c2')));
      await watcher.sync('/');
      rec('events after removing "data"', watcher.takeEvents());
      rec('checkWatches /w any after removing "data"', await watcher.checkWatches(path('/w'), WatcherType.any));
      rec('removeWatches /w children', await watcher.removeWatches(path('/w'), WatcherType.children));
      rec('removeWatches /w any', await watcher.removeWatches(path('/w'), WatcherType.any));
      rec('setData /w after removal', await writer.setData(path('/w'), 'd'));
      await watcher.sync('/');
      rec('events after removal', watcher.takeEvents());
    },
  },
  {
    slug: 'watch-persistent-recursive',
    title: 'a persistent recursive watch fires for the whole subtree, without NodeChildrenChanged',
    async run({ raw, path, rec }) {
      const watcher = new RawOps(await raw());
      const writer = new RawOps(await raw());
      rec('create /r', await writer.create(path('/r')));
      rec('addWatch /r recursive', await watcher.addWatch(path('/r'), true));
      rec('create /r/a', await writer.create(path('/r/a')));
      rec('create /r/a/b', await writer.create(path('/r/a/b')));
      rec('setData /r/a/b', await writer.setData(path('/r/a/b'), 'x'));
      rec('setData /r', await writer.setData(path('/r'), 'y'));
      rec('delete /r/a/b', await writer.delete(path('/r/a/b')));
      rec('create /r-sibling (outside)', await writer.create(path('/r-sibling')));
      await watcher.sync('/');
      rec('events', watcher.takeEvents());
      rec('getData /r/a with a one-shot watch too', await watcher.getData(path('/r/a'), true));
      rec('setData /r/a', await writer.setData(path('/r/a'), 'z'));
      await watcher.sync('/');
      rec('events with both watches', watcher.takeEvents());
      rec('checkWatches /r/a any (only the recursive one covers it now)', await watcher.checkWatches(path('/r/a'), WatcherType.any));
      rec('removeWatches /r any', await watcher.removeWatches(path('/r'), WatcherType.any));
      rec('create /r/after', await writer.create(path('/r/after')));
      await watcher.sync('/');
      rec('events after removal', watcher.takeEvents());
    },
  },
  {
    slug: 'watch-remove-and-check',
    title: 'removeWatches / checkWatches by type, NoWatcher when there is none, and no events afterwards',
    async run({ raw, path, rec }) {
      const watcher = new RawOps(await raw());
      const writer = new RawOps(await raw());
      rec('create /x', await writer.create(path('/x')));
      rec('checkWatches /x data (none)', await watcher.checkWatches(path('/x'), WatcherType.data));
      rec('removeWatches /x any (none)', await watcher.removeWatches(path('/x'), WatcherType.any));
      rec('removeWatches /missing data', await watcher.removeWatches(path('/missing'), WatcherType.data));
      rec('watch getData /x', await watcher.getData(path('/x'), true));
      rec('watch getChildren /x', await watcher.getChildren(path('/x'), true));
      rec('checkWatches /x data', await watcher.checkWatches(path('/x'), WatcherType.data));
      rec('checkWatches /x children', await watcher.checkWatches(path('/x'), WatcherType.children));
      rec('checkWatches /x any', await watcher.checkWatches(path('/x'), WatcherType.any));
      rec('checkWatches /x type 9', await watcher.checkWatches(path('/x'), 9));
      rec('removeWatches /x data', await watcher.removeWatches(path('/x'), WatcherType.data));
      rec('checkWatches /x data after', await watcher.checkWatches(path('/x'), WatcherType.data));
      rec('checkWatches /x children after', await watcher.checkWatches(path('/x'), WatcherType.children));
      rec('setData /x', await writer.setData(path('/x'), 'a'));
      await watcher.sync('/');
      rec('events after setData (data watch removed)', watcher.takeEvents());
      rec('removeWatches /x any', await watcher.removeWatches(path('/x'), WatcherType.any));
      rec('removeWatches /x children after', await watcher.removeWatches(path('/x'), WatcherType.children));
      rec('create /x/c', await writer.create(path('/x/c')));
      await watcher.sync('/');
      rec('events after create (child watch removed)', watcher.takeEvents());
      rec('watch exists /nothing', await watcher.exists(path('/nothing'), true));
      rec('checkWatches /nothing data', await watcher.checkWatches(path('/nothing'), WatcherType.data));
      rec('removeWatches /nothing data', await watcher.removeWatches(path('/nothing'), WatcherType.data));
      rec('checkWatches bad path', await watcher.checkWatches('bad', WatcherType.data));
      rec('create /nothing', await writer.create(path('/nothing')));
      await watcher.sync('/');
      rec('events after create (exists watch removed)', watcher.takeEvents());
    },
  },
  {
    slug: 'watch-set-watches-after-reconnect',
    title: 'after a reconnect, setWatches with the last zxid seen delivers the changes missed meanwhile',
    timeoutMs: 20_000,
    async run({ raw, path, rec }) {
      const first = await raw({ sessionTimeoutMs: 10_000 });
      const watcher = new RawOps(first);
      const writer = new RawOps(await raw());
      rec('create /s', await writer.create(path('/s'), { data: 'v0' }));
      rec('create /s/old', await writer.create(path('/s/old')));
      rec('create /quiet', await writer.create(path('/quiet'), { data: 'q' }));
      rec('watch getData /s', await watcher.getData(path('/s'), true));
      rec('watch getData /quiet', await watcher.getData(path('/quiet'), true));
      rec('watch exists /s/new', await watcher.exists(path('/s/new'), true));
      rec('watch getChildren /s', await watcher.getChildren(path('/s'), true));
      rec('watch exists /s/old', await watcher.exists(path('/s/old'), true));
      const lastZxidSeen = first.lastZxid;
      first.destroy();
      rec('setData /s while disconnected', await writer.setData(path('/s'), 'v1'));
      rec('create /s/new', await writer.create(path('/s/new')));
      rec('delete /s/old', await writer.delete(path('/s/old')));
      const second = await raw({ sessionId: first.sessionId, passwd: first.session.passwd, lastZxidSeen, sessionTimeoutMs: 10_000 });
      rec('same session after reconnect', second.sessionId === first.sessionId);
      const again = new RawOps(second);
      rec(
        'setWatches',
        recorded(
          await second.send({
            op: OpCode.setWatches,
            relativeZxid: lastZxidSeen,
            dataWatches: [path('/s'), path('/quiet')],
            existWatches: [path('/s/new'), path('/s/old')],
            childWatches: [path('/s')],
          }),
        ),
      );
      await again.sync('/');
      rec('events after setWatches', again.takeEvents());
      rec('setData /quiet', await writer.setData(path('/quiet'), 'r'));
      await again.sync('/');
      rec('events after setData /quiet (its watch was kept)', again.takeEvents());
    },
  },
];
