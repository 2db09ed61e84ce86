// Stat fields after each kind of change, and conditional setData / delete / setACL by version.
import zookeeper from 'node-zookeeper-client';
import type { Scenario } from '../support/scenario';

const { CreateMode } = zookeeper;
const OPEN = [{ perms: 31, scheme: 'world', id: 'anyone' }];
/** READ | ADMIN: setACL stays allowed, writes do not. */
const READ_ADMIN_WORLD = [{ perms: 17, scheme: 'world', id: 'anyone' }];

export const statScenarios: Scenario[] = [
  {
    slug: 'stat-lifecycle',
    title: 'Stat fields follow create, setData, child create/delete, setACL and delete',
    async run({ client, path, rec }) {
      const a = await client();
      rec('create /n', await a.create(path('/n'), 'v0'));
      rec('setData /n v1', await a.setData(path('/n'), 'v1'));
      rec('setData /n v22', await a.setData(path('/n'), 'v22'));
      rec('create /n/c1', await a.create(path('/n/c1'), 'child'));
      rec('exists /n after a child', await a.exists(path('/n')));
      rec('create /n/c2', await a.create(path('/n/c2')));
      rec('setData /n/c1 (the parent does not change)', await a.setData(path('/n/c1'), 'child2'));
      rec('exists /n', await a.exists(path('/n')));
      rec('delete /n/c2', await a.remove(path('/n/c2')));
      rec('exists /n after a child delete', await a.exists(path('/n')));
      rec('setACL /n', await a.setACL(path('/n'), OPEN));
      rec('setACL /n read+admin', await a.setACL(path('/n'), READ_ADMIN_WORLD));
      rec('setData /n under read+admin', await a.setData(path('/n'), 'no'));
      rec('setACL /n back', await a.setACL(path('/n'), OPEN));
      rec('getACL /n', await a.getACL(path('/n')));
      rec('setData /n empty', await a.setData(path('/n'), Buffer.alloc(0)));
      rec('getData /n', await a.getData(path('/n')));
      rec('delete /n/c1', await a.remove(path('/n/c1')));
      rec('delete /n', await a.remove(path('/n')));
      rec('exists /n after delete', await a.exists(path('/n')));
    },
  },
  {
    slug: 'stat-pzxid-and-cversion',
    title: 'pzxid and cversion move on child creates and deletes only, including ephemeral children of a closed session',
    async run({ client, path, rec }) {
      const a = await client();
      const b = await client();
      rec('create /p', await a.create(path('/p')));
      rec('B create -e /p/e1', await b.create(path('/p/e1'), null, { mode: CreateMode.EPHEMERAL }));
      rec('B create -e /p/e2', await b.create(path('/p/e2'), null, { mode: CreateMode.EPHEMERAL }));
      rec('create /p/k', await a.create(path('/p/k')));
      rec('exists /p', await a.exists(path('/p')));
      await b.close();
      rec('exists /p after B closed', await a.exists(path('/p')));
      rec('getChildren /p', await a.getChildren(path('/p')));
      rec('setData /p/k', await a.setData(path('/p/k'), 'x'));
      rec('exists /p after child setData', await a.exists(path('/p')));
    },
  },
  {
    slug: 'stat-data-length',
    title: 'dataLength counts bytes, not characters',
    async run({ client, path, rec }) {
      const a = await client();
      rec('create /u with 4 two-byte characters', await a.create(path('/u'), 'éèêë'));
      rec('exists /u', await a.exists(path('/u')));
      rec('setData /u 3-byte and 4-byte characters', await a.setData(path('/u'), '€😀'));
      rec('getData /u dataLength', await a.getData(path('/u')));
    },
  },
  {
    slug: 'version-setdata',
    title: 'setData with the right version succeeds, a wrong one gives BadVersion, -1 always succeeds',
    async run({ client, path, rec }) {
      const a = await client();
      rec('create /v', await a.create(path('/v'), 'a'));
      rec('setData version 0', await a.setData(path('/v'), 'b', 0));
      rec('setData version 0 again', await a.setData(path('/v'), 'c', 0));
      rec('setData version 5', await a.setData(path('/v'), 'c', 5));
      rec('setData version -1', await a.setData(path('/v'), 'd', -1));
      rec('setData version 2', await a.setData(path('/v'), 'e', 2));
      rec('setData version -2', await a.setData(path('/v'), 'f', -2));
      rec('setData on a missing node with a version', await a.setData(path('/missing'), 'f', 3));
      rec('getData /v', await a.getData(path('/v')));
    },
  },
  {
    slug: 'version-delete',
    title: 'delete with a wrong version gives BadVersion and leaves the node; the right one deletes it',
    async run({ client, path, rec }) {
      const a = await client();
      rec('create /d', await a.create(path('/d')));
      rec('setData /d', await a.setData(path('/d'), 'x'));
      rec('delete version 0', await a.remove(path('/d'), 0));
      rec('exists /d', await a.exists(path('/d')));
      rec('delete version 1', await a.remove(path('/d'), 1));
      rec('exists /d after delete', await a.exists(path('/d')));
      rec('create /d2', await a.create(path('/d2')));
      rec('delete /d2 version -1', await a.remove(path('/d2'), -1));
      rec('delete missing with version 7', await a.remove(path('/d3'), 7));
    },
  },
  {
    slug: 'version-setacl',
    title: 'setACL checks aversion: right, wrong and -1',
    async run({ client, path, rec }) {
      const a = await client();
      rec('create /acl', await a.create(path('/acl')));
      rec('setACL aversion 0', await a.setACL(path('/acl'), READ_ADMIN_WORLD, 0));
      rec('setACL aversion 0 again', await a.setACL(path('/acl'), OPEN, 0));
      rec('setACL aversion -1', await a.setACL(path('/acl'), OPEN, -1));
      rec('setACL aversion 2', await a.setACL(path('/acl'), OPEN, 2));
      rec('getACL /acl', await a.getACL(path('/acl')));
      rec('setData /acl version 0 (aversion does not count)', await a.setData(path('/acl'), 'x', 0));
    },
  },
];
