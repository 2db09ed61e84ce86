// Watches driven by real tree events: one-shot, persistent, recursive, ACL filtering, removal,
// and setWatches' missed-event replay.
import { describe, expect, it } from 'vitest';
import { EventType, WatcherType, type Id, type Acl } from '@zk/wire';
import { WatchManager, isValidWatcherType } from './watch-manager';
import { Harness, IP_LOCAL, bytes, create } from './test-harness';
import type { WriteRequest } from './preparer';

const { nodeCreated: CREATED, nodeDeleted: DELETED, nodeDataChanged: CHANGED, nodeChildrenChanged: CHILDREN } = EventType;

/** A tree and a watch manager wired as the server wires them: apply, then trigger the events. */
class World {
  readonly h = new Harness();
  readonly watches = new WatchManager<string>();
  authIds = new Map<string, Id[]>();

  write(request: WriteRequest, authIds: Id[] = [IP_LOCAL]): Array<[string, number, string]> {
    const { err, events } = this.h.run(request, { sessionId: 1n, authIds });
    if (err !== 0) throw new Error(`write failed: ${err}`);
    const delivered = this.watches.trigger(events, (w) => this.authIds.get(w) ?? [IP_LOCAL]);
    return delivered.map(({ watcher, event }) => [watcher, event.type, event.path]);
  }
}

function world(): World {
  const w = new World();
  w.write(create('/a', 0, 'v'));
  w.write(create('/a/b'));
  return w;
}

describe('WatchManager: one-shot watches', () => {
  it('fires a data watch once', () => {
    const w = world();
    w.watches.add('/a', 'c1', 'data');
    expect(w.write({ op: 5, path: '/a', data: bytes('1'), version: -1 })).toEqual([['c1', CHANGED, '/a']]);
    expect(w.write({ op: 5, path: '/a', data: bytes('2'), version: -1 })).toEqual([]);
  });

  it('fires an exist watch with NodeCreated', () => {
    const w = world();
    w.watches.add('/n', 'c1', 'exist');
    expect(w.write(create('/n'))).toEqual([['c1', CREATED, '/n']]);
  });

  it('fires a child watch with NodeChildrenChanged on the parent for a create and a delete', () => {
    const w = world();
    w.watches.add('/a', 'c1', 'child');
    expect(w.write(create('/a/c'))).toEqual([['c1', CHILDREN, '/a']]);
    w.watches.add('/a', 'c1', 'child');
    expect(w.write({ op: 2, path: '/a/c', version: -1 })).toEqual([['c1', CHILDREN, '/a']]);
  });

  it('does not fire a child watch for data changes, nor a data watch for child changes', () => {
    const w = world();
    w.watches.add('/a', 'c1', 'child');
    w.watches.add('/a/b', 'c2', 'data');
    expect(w.write({ op: 5, path: '/a', data: bytes(''), version: -1 })).toEqual([]);
    expect(w.write(create('/a/b/x'))).toEqual([]);
  });

  it('delivers one NodeDeleted to a watcher with both a data and a child watch on the deleted node, then the parent’s', () => {
    const w = world();
    w.watches.add('/a/b', 'c1', 'data');
    w.watches.add('/a/b', 'c1', 'child');
    w.watches.add('/a/b', 'c2', 'child');
    w.watches.add('/a', 'c1', 'child');
    expect(w.write({ op: 2, path: '/a/b', version: -1 })).toEqual([
      ['c1', DELETED, '/a/b'],
      ['c2', DELETED, '/a/b'],
      ['c1', CHILDREN, '/a'],
    ]);
    expect(w.watches.size).toBe(0);
  });

  it('fires every watcher of a path once, in the order they were added', () => {
    const w = world();
    w.watches.add('/a', 'c2', 'data');
    w.watches.add('/a', 'c1', 'data');
    w.watches.add('/a', 'c2', 'exist');
    expect(w.write({ op: 5, path: '/a', data: bytes(''), version: -1 })).toEqual([
      ['c2', CHANGED, '/a'],
      ['c1', CHANGED, '/a'],
    ]);
  });

  it('fires a multi’s events in op order', () => {
    const w = world();
    w.watches.add('/m', 'c1', 'exist');
    w.watches.add('/', 'c1', 'child');
    w.watches.add('/a', 'c2', 'data');
    const delivered = w.write({ op: 14, ops: [create('/m') as never, { op: 5, path: '/a', data: bytes(''), version: -1 }] });
    expect(delivered).toEqual([
      ['c1', CREATED, '/m'],
      ['c1', CHILDREN, '/'],
      ['c2', CHANGED, '/a'],
    ]);
  });
});

describe('WatchManager: persistent watches', () => {
  it('fires a persistent watch for its node’s data, children and deletion, and keeps it', () => {
    const w = world();
    w.watches.add('/a/b', 'c1', 'persistent');
    expect(w.write({ op: 5, path: '/a/b', data: bytes('1'), version: -1 })).toEqual([['c1', CHANGED, '/a/b']]);
    expect(w.write(create('/a/b/x'))).toEqual([['c1', CHILDREN, '/a/b']]);
    expect(w.write(create('/a/b/x/deeper'))).toEqual([]);
    w.write({ op: 2, path: '/a/b/x/deeper', version: -1 });
    w.write({ op: 2, path: '/a/b/x', version: -1 });
    expect(w.write({ op: 2, path: '/a/b', version: -1 })).toEqual([['c1', DELETED, '/a/b']]);
    expect(w.write(create('/a/b'))).toEqual([['c1', CREATED, '/a/b']]);
  });

  it('fires a recursive watch for the node and every descendant, never with NodeChildrenChanged', () => {
    const w = world();
    w.watches.add('/a', 'c1', 'persistentRecursive');
    expect(w.write(create('/a/b/c'))).toEqual([['c1', CREATED, '/a/b/c']]);
    expect(w.write({ op: 5, path: '/a/b/c', data: bytes(''), version: -1 })).toEqual([['c1', CHANGED, '/a/b/c']]);
    expect(w.write({ op: 2, path: '/a/b/c', version: -1 })).toEqual([['c1', DELETED, '/a/b/c']]);
    expect(w.write({ op: 5, path: '/a', data: bytes(''), version: -1 })).toEqual([['c1', CHANGED, '/a']]);
    expect(w.write(create('/other'))).toEqual([]);
  });

  it('gives a watcher one event even when a recursive watch and a one-shot watch both match', () => {
    const w = world();
    w.watches.add('/', 'c1', 'persistentRecursive');
    w.watches.add('/a/b', 'c1', 'data');
    expect(w.write({ op: 5, path: '/a/b', data: bytes(''), version: -1 })).toEqual([['c1', CHANGED, '/a/b']]);
  });

  it('replaces the mode when the same watcher watches the same path again (3.8: persistent becomes one-shot)', () => {
    const w = world();
    w.watches.add('/a', 'c1', 'persistent');
    w.watches.add('/a', 'c1', 'data');
    expect(w.write({ op: 5, path: '/a', data: bytes(''), version: -1 })).toEqual([['c1', CHANGED, '/a']]);
    expect(w.write({ op: 5, path: '/a', data: bytes(''), version: -1 })).toEqual([]);
    expect(w.write(create('/a/new'))).toEqual([['c1', CHILDREN, '/a']]); // the child table kept persistent
  });
});

describe('WatchManager: ACL filtering (3.8.4+)', () => {
  it('withholds events from watchers without READ on the node, and still consumes their one-shot watch', () => {
    const w = world();
    const readOnlyForBob: Acl[] = [{ perms: 31, id: { scheme: 'digest', id: 'bob:h' } }];
    w.write({ op: 7, path: '/a/b', acl: readOnlyForBob, version: -1 });
    w.authIds.set('bob', [IP_LOCAL, { scheme: 'digest', id: 'bob:h' }]);
    w.watches.add('/a/b', 'bob', 'data');
    w.watches.add('/a/b', 'eve', 'data');
    const asBob = [{ scheme: 'digest', id: 'bob:h' }];
    expect(w.write({ op: 5, path: '/a/b', data: bytes(''), version: -1 }, asBob)).toEqual([['bob', CHANGED, '/a/b']]);
    w.watches.add('/a/b', 'bob', 'data');
    expect(w.write({ op: 5, path: '/a/b', data: bytes(''), version: -1 }, asBob)).toEqual([['bob', CHANGED, '/a/b']]);
    expect(w.watches.size).toBe(0); // eve's watch was used up without a delivery
  });

  it('checks the parent’s ACL for NodeChildrenChanged', () => {
    const w = new World();
    w.write(create('/p', 0, '', [{ perms: 31, id: { scheme: 'ip', id: '10.0.0.1' } }]));
    w.authIds.set('far', [{ scheme: 'ip', id: '10.0.0.9' }]);
    w.authIds.set('near', [{ scheme: 'ip', id: '10.0.0.1' }]);
    w.watches.add('/p', 'far', 'child');
    w.watches.add('/p', 'near', 'child');
    const { events } = w.h.run(create('/p/c'), { authIds: [{ scheme: 'ip', id: '10.0.0.1' }] });
    expect(w.watches.trigger(events, (x) => w.authIds.get(x) ?? []).map((d) => d.watcher)).toEqual(['near']);
    expect(w.watches.size).toBe(0);
  });

  it('delivers everything without an authIds lookup', () => {
    const w = world();
    w.watches.add('/a', 'c1', 'data');
    expect(w.watches.trigger([{ type: CHANGED, path: '/a', acl: [] }])).toEqual([{ watcher: 'c1', event: { type: CHANGED, path: '/a', acl: [] } }]);
  });
});

describe('WatchManager: remove / check', () => {
  it('removes by type: data, children, any; false when nothing matched', () => {
    const m = new WatchManager<string>();
    m.add('/a', 'c1', 'data');
    m.add('/a', 'c1', 'child');
    expect(m.remove('/a', 'c1', WatcherType.children, false)).toBe(true);
    expect(m.remove('/a', 'c1', WatcherType.children, false)).toBe(false);
    expect(m.remove('/a', 'c2', WatcherType.data, false)).toBe(false);
    expect(m.remove('/a', 'c1', WatcherType.any, false)).toBe(true);
    expect(m.size).toBe(0);
  });

  it('removes a persistent watch from one table at a time', () => {
    const m = new WatchManager<string>();
    m.add('/a', 'c1', 'persistent');
    expect(m.size).toBe(2);
    expect(m.remove('/a', 'c1', WatcherType.data, false)).toBe(true);
    expect(m.trigger([{ type: CHILDREN, path: '/a' }])).toHaveLength(1);
    expect(m.trigger([{ type: CHANGED, path: '/a' }])).toHaveLength(0);
  });

  it('checks without removing; like 3.8 it matches any watcher on exactly that path', () => {
    const m = new WatchManager<string>();
    m.add('/a', 'c1', 'data');
    expect(m.remove('/a', 'c1', WatcherType.data, true)).toBe(true);
    expect(m.remove('/a', 'c2', WatcherType.data, true)).toBe(true);
    expect(m.remove('/a', 'c1', WatcherType.children, true)).toBe(false);
    expect(m.remove('/a/b', 'c1', WatcherType.any, true)).toBe(false);
    expect(m.size).toBe(1);
  });

  it('answers false for an unknown watcher type (the server answers MARSHALLINGERROR)', () => {
    const m = new WatchManager<string>();
    m.add('/a', 'c1', 'persistent');
    expect(m.remove('/a', 'c1', 4, false)).toBe(false);
    expect([1, 2, 3, 4, 0].map(isValidWatcherType)).toEqual([true, true, true, false, false]);
  });

  it('drops every watch of a closed connection', () => {
    const m = new WatchManager<string>();
    m.add('/a', 'c1', 'data');
    m.add('/b', 'c1', 'persistentRecursive');
    m.add('/a', 'c2', 'child');
    m.removeWatcher('c1');
    expect(m.size).toBe(1);
    expect(m.trigger([{ type: CREATED, path: '/b/x' }])).toEqual([]);
  });

  it('reports the data table by path and by watcher (wchp / wchc), the child table on request', () => {
    const m = new WatchManager<string>();
    m.add('/a', 'c1', 'data');
    m.add('/a', 'c2', 'exist');
    m.add('/b', 'c1', 'child');
    expect(m.byPath()).toEqual(new Map([['/a', ['c1', 'c2']]]));
    expect(m.byWatcher()).toEqual(new Map([['c1', ['/a']], ['c2', ['/a']]]));
    expect(m.byPath('child')).toEqual(new Map([['/b', ['c1']]]));
    expect(m.byWatcher('child')).toEqual(new Map([['c1', ['/b']]]));
  });
});

describe('WatchManager.restore (setWatches)', () => {
  it('answers what the client missed since relativeZxid and re-registers the rest', () => {
    const w = world(); // /a at zxid 1, /a/b at zxid 2
    const rel = w.h.tree.lastZxid;
    w.write({ op: 5, path: '/a', data: bytes('new'), version: -1 }); // /a mzxid > rel
    w.write(create('/a/b/c')); // /a/b pzxid > rel
    w.write(create('/born'));
    const events = w.watches.restore(
      w.h.tree,
      rel,
      {
        data: ['/a', '/gone', '/a/b'],
        exist: ['/born', '/unborn'],
        child: ['/a/b', '/gone2', '/a'],
        persistent: ['/p'],
        persistentRecursive: ['/r'],
      },
      'c1',
    );
    expect(events.map((e) => [e.type, e.path])).toEqual([
      [CHANGED, '/a'],
      [DELETED, '/gone'],
      [CREATED, '/born'],
      [CHILDREN, '/a/b'],
      [DELETED, '/gone2'],
    ]);
    // re-registered: data /a/b, exist /unborn, child /a, persistent /p (both tables), recursive /r (both)
    expect(w.watches.size).toBe(7);
    expect(w.write(create('/unborn'))).toEqual([['c1', CREATED, '/unborn']]);
    expect(w.write(create('/a/x'))).toEqual([['c1', CHILDREN, '/a']]);
    expect(w.write(create('/r'))).toEqual([['c1', CREATED, '/r']]);
    expect(w.write(create('/r/deep'))).toEqual([['c1', CREATED, '/r/deep']]);
  });

  it('re-registers a data watch whose node is unchanged since relativeZxid', () => {
    const w = world();
    expect(w.watches.restore(w.h.tree, w.h.tree.lastZxid, { data: ['/a'], exist: [], child: [], persistent: [], persistentRecursive: [] }, 'c1')).toEqual([]);
    expect(w.write({ op: 5, path: '/a', data: bytes(''), version: -1 })).toEqual([['c1', CHANGED, '/a']]);
  });
});
