// ACL schemes world, auth, digest (with addAuthInfo), ip (address and CIDR), the super digest, single
// permissions, and whoAmI.
import type { AclView, Outcome, StatView } from '../support/nzk';
import { digestId, RawOps, type Recorded } from '../support/raw-ops';
import type { Scenario } from '../support/scenario';
import { SUPER_PASSWORD, SUPER_USER } from './common';

/**
 * ZooKeeper keeps a connection's auth ids in a hash set, so the ACL that the auth scheme expands to, and
 * whoAmI's list, come out in hash order: the transcript sorts them.
 */
function sortedAcl(outcome: Outcome<{ acl: AclView[]; stat: StatView }>): Outcome<{ acl: AclView[]; stat: StatView }> {
  if (!('ok' in outcome)) return outcome;
  const acl = [...outcome.ok.acl].sort((a, b) => `${a.scheme}:${a.id}`.localeCompare(`${b.scheme}:${b.id}`));
  return { ok: { ...outcome.ok, acl } };
}

function sortedClientInfo(reply: Recorded): Recorded {
  const info = reply['clientInfo'];
  if (!Array.isArray(info)) return reply;
  const key = (entry: { authScheme: string; user: string }): string => `${entry.authScheme}:${entry.user}`;
  return { ...reply, clientInfo: [...(info as Array<{ authScheme: string; user: string }>)].sort((a, b) => key(a).localeCompare(key(b))) };
}

const world = (perms: number): AclView[] => [{ perms, scheme: 'world', id: 'anyone' }];
const digest = (user: string, password: string, perms = 31): AclView => ({ perms, scheme: 'digest', id: digestId(user, password) });
const ip = (id: string, perms = 31): AclView[] => [{ perms, scheme: 'ip', id }];

export const aclScenarios: Scenario[] = [
  {
    slug: 'acl-world-read-only',
    title: 'world:anyone READ lets everyone read and no one write, create children or change the ACL',
    async run({ client, path, rec }) {
      const a = await client();
      rec('create /ro with world READ', await a.create(path('/ro'), 'r', { acl: world(1) }));
      rec('getACL /ro', await a.getACL(path('/ro')));
      rec('getData /ro', await a.getData(path('/ro')));
      rec('getChildren /ro', await a.getChildren(path('/ro')));
      rec('setData /ro', await a.setData(path('/ro'), 'w'));
      rec('create /ro/c', await a.create(path('/ro/c')));
      rec('setACL /ro', await a.setACL(path('/ro'), world(31)));
      rec('delete /ro (the parent allows it)', await a.remove(path('/ro')));
    },
  },
  {
    slug: 'acl-single-permissions',
    title: 'each permission bit allows exactly its operations',
    async run({ client, path, rec }) {
      const a = await client();
      const perms: Array<[string, number]> = [
        ['create', 4],
        ['delete', 8],
        ['write', 2],
        ['admin', 16],
        ['read', 1],
      ];
      for (const [name, bits] of perms) {
        const node = path(`/${name}`);
        rec(`create /${name} with child /${name}/k`, await a.create(node, 'x'));
        rec(`create /${name}/k`, await a.create(`${node}/k`));
        rec(`setACL /${name} to world ${name}`, await a.setACL(node, world(bits)));
        rec(`[${name}] getData`, await a.getData(node));
        rec(`[${name}] getChildren`, await a.getChildren(node));
        rec(`[${name}] exists`, await a.exists(node));
        rec(`[${name}] getACL`, await a.getACL(node));
        rec(`[${name}] setData`, await a.setData(node, 'y'));
        rec(`[${name}] create child`, await a.create(`${node}/new`));
        rec(`[${name}] delete child`, await a.remove(`${node}/k`));
        rec(`[${name}] setACL`, await a.setACL(node, world(31)));
      }
    },
  },
  {
    slug: 'acl-auth-scheme',
    title: 'the auth scheme expands to the creator’s authenticated ids; others need the same credentials',
    async run({ client, path, rec }) {
      const a = await client();
      a.addAuthInfo('digest', 'alice:pw');
      a.addAuthInfo('digest', 'bob:pw2');
      rec('A create /auth with auth ACL', await a.create(path('/auth'), 'x', { acl: [{ perms: 31, scheme: 'auth', id: '' }] }));
      rec('A getACL /auth (sorted)', sortedAcl(await a.getACL(path('/auth'))));
      rec('A create /auth-read with auth READ', await a.create(path('/auth-read'), 'x', { acl: [{ perms: 1, scheme: 'auth', id: 'ignored' }] }));
      rec('A getACL /auth-read (sorted; READ only, so digests are redacted)', sortedAcl(await a.getACL(path('/auth-read'))));
      const b = await client();
      rec('B getData /auth', await b.getData(path('/auth')));
      b.addAuthInfo('digest', 'bob:pw2');
      rec('B getData /auth as bob', await b.getData(path('/auth')));
      rec('B setData /auth as bob', await b.setData(path('/auth'), 'y'));
      rec('B setACL /auth as bob to auth', await b.setACL(path('/auth'), [{ perms: 31, scheme: 'auth', id: '' }]));
      rec('B getACL /auth', await b.getACL(path('/auth')));
      rec('A getData /auth (alice is no longer listed, bob still is)', await a.getData(path('/auth')));
    },
  },
  {
    slug: 'acl-digest',
    title: 'a digest ACL admits the right user:password only; a wrong password adds nothing',
    async run({ client, path, rec }) {
      const a = await client();
      rec('create /d with digest carol', await a.create(path('/d'), 'secret', { acl: [digest('carol', 'right')] }));
      rec('A (no auth) getData /d', await a.getData(path('/d')));
      const b = await client();
      b.addAuthInfo('digest', 'carol:wrong');
      rec('B carol:wrong getData /d', await b.getData(path('/d')));
      b.addAuthInfo('digest', 'carol:right');
      rec('B + carol:right getData /d', await b.getData(path('/d')));
      rec('B setData /d', await b.setData(path('/d'), 'changed'));
      rec('B getACL /d', await b.getACL(path('/d')));
      rec(
        'B create /d/mixed with digest READ + world CREATE',
        await b.create(path('/d/mixed'), 'm', { acl: [digest('carol', 'right', 1), ...world(4)] }),
      );
      rec('A getData /d/mixed', await a.getData(path('/d/mixed')));
      rec('B getData /d/mixed', await b.getData(path('/d/mixed')));
      rec('A create /d/mixed/c', await a.create(path('/d/mixed/c')));
    },
  },
  {
    slug: 'acl-ip',
    title: 'ip ACLs match the client address 127.0.0.1 exactly or by CIDR prefix',
    async run({ client, path, rec }) {
      const a = await client();
      const cases: Array<[string, string]> = [
        ['exact', '127.0.0.1'],
        ['other', '10.1.2.3'],
        ['cidr8', '127.0.0.0/8'],
        ['cidr32', '127.0.0.1/32'],
        ['cidr-other', '10.0.0.0/8'],
        ['cidr0', '0.0.0.0/0'],
      ];
      for (const [name, id] of cases) {
        rec(`create /${name} with ip:${id}`, await a.create(path(`/${name}`), name, { acl: ip(id) }));
        rec(`getData /${name}`, await a.getData(path(`/${name}`)));
        rec(`setData /${name}`, await a.setData(path(`/${name}`), 'w'));
      }
      rec('create /ro with ip:127.0.0.1 READ', await a.create(path('/ro'), 'r', { acl: ip('127.0.0.1', 1) }));
      rec('getData /ro', await a.getData(path('/ro')));
      rec('setData /ro', await a.setData(path('/ro'), 'w'));
      rec('getACL /cidr8', await a.getACL(path('/cidr8')));
    },
  },
  {
    slug: 'acl-super-digest',
    title: 'the super digest user passes every ACL check; a wrong super password does not',
    async run({ client, path, rec }) {
      const a = await client();
      a.addAuthInfo('digest', 'dave:pw');
      rec('A create /s with digest dave', await a.create(path('/s'), 'x', { acl: [digest('dave', 'pw')] }));
      rec('A create /s/child', await a.create(path('/s/child'), 'c', { acl: [digest('dave', 'pw')] }));
      const wrong = await client();
      wrong.addAuthInfo('digest', `${SUPER_USER}:not-the-password`);
      rec('wrong super getData /s', await wrong.getData(path('/s')));
      const root = await client();
      root.addAuthInfo('digest', `${SUPER_USER}:${SUPER_PASSWORD}`);
      rec('super getData /s', await root.getData(path('/s')));
      rec('super setData /s', await root.setData(path('/s'), 'by-super'));
      rec('super getChildren /s', await root.getChildren(path('/s')));
      rec('super delete /s/child', await root.remove(path('/s/child')));
      rec('super setACL /s world read', await root.setACL(path('/s'), world(1)));
      rec('super getACL /s', await root.getACL(path('/s')));
      rec('super create /s/x under world READ', await root.create(path('/s/x')));
      rec('A setData /s', await a.setData(path('/s'), 'no'));
    },
  },
  {
    slug: 'who-am-i',
    title: 'whoAmI lists the ip identity, then each digest user added',
    async run({ raw, rec }) {
      const r = new RawOps(await raw());
      rec('whoAmI', sortedClientInfo(await r.whoAmI()));
      rec('auth digest erin:pw', await r.auth('digest', 'erin:pw'));
      rec('whoAmI after erin (sorted)', sortedClientInfo(await r.whoAmI()));
      rec('auth digest erin:pw again', await r.auth('digest', 'erin:pw'));
      rec('auth digest frank:pw', await r.auth('digest', 'frank:pw'));
      rec('whoAmI after frank (sorted)', sortedClientInfo(await r.whoAmI()));
      const s = new RawOps(await raw());
      rec('auth super', await s.auth('digest', `${SUPER_USER}:${SUPER_PASSWORD}`));
      rec('whoAmI as super (sorted)', sortedClientInfo(await s.whoAmI()));
    },
  },
];
