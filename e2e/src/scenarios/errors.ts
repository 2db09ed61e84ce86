// Error codes: NoNode, NodeExists, NotEmpty, NoChildrenForEphemerals, BadArguments for bad paths,
// the reserved /zookeeper subtree, InvalidACL and NoAuth.
import { CreateFlag, OpCode, type Acl } from '@zk/wire';
import { digestId, OPEN_ACL, RawOps, recorded, tolerant } from '../support/raw-ops';
import type { Scenario, ScenarioContext } from '../support/scenario';

/** Non-printable characters as \\uXXXX, so transcript labels stay readable and diffable. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

async function rawOps(context: ScenarioContext, current: RawOps | undefined): Promise<RawOps> {
  return current !== undefined && !current.client.isClosed ? current : new RawOps(await context.raw());
}

export const errorScenarios: Scenario[] = [
  {
    slug: 'errors-basic',
    title: 'NoNode, NodeExists and NotEmpty where ZooKeeper gives them',
    async run({ client, path, rec }) {
      const a = await client();
      rec('getData missing', await a.getData(path('/missing')));
      rec('setData missing', await a.setData(path('/missing'), 'x'));
      rec('delete missing', await a.remove(path('/missing')));
      rec('getChildren missing', await a.getChildren(path('/missing')));
      rec('getACL missing', await a.getACL(path('/missing')));
      rec('setACL missing', await a.setACL(path('/missing'), [{ perms: 31, scheme: 'world', id: 'anyone' }]));
      rec('exists missing', await a.exists(path('/missing')));
      rec('create under missing parent', await a.create(path('/missing/child')));
      rec('create /x', await a.create(path('/x')));
      rec('create /x again', await a.create(path('/x')));
      rec('create /x/y', await a.create(path('/x/y')));
      rec('delete /x (has a child)', await a.remove(path('/x')));
      rec('delete /x with a wrong version (has a child)', await a.remove(path('/x'), 9));
      rec('delete /', await a.remove('/'));
      rec('create /', await a.create('/'));
      rec('exists /x', await a.exists(path('/x')));
    },
  },
  {
    slug: 'errors-bad-paths',
    title: 'malformed paths give BadArguments on writes (what reads give is recorded too)',
    timeoutMs: 30_000,
    async run(context) {
      const { path, rec } = context;
      let r = await rawOps(context, undefined);
      rec('create /ok', await r.create(path('/ok')));
      // Relative to an existing node, so that a missing parent does not answer first (ZooKeeper checks the
      // parent before the path's shape on create and delete).
      const bad = ['', 'a', 'rel/x', '/ok/', '/ok//b', '/ok/./b', '/ok/../b', '/ok/.', '/ok/..', '/.', '/..', '/ok/a\u0000b', '/ok/a\u0001b', '/ok/a\u007fb', '/ok/a\ud800b', '/ok/a\ufff5b'];
      for (const suffix of bad) {
        const target = suffix.startsWith('/') ? path(suffix) : suffix;
        const row: Record<string, string> = {};
        for (const [name, send] of [
          ['create', (ops: RawOps) => ops.create(target)],
          ['create -s', (ops: RawOps) => ops.create(target, { flags: CreateFlag.persistentSequential })],
          ['delete', (ops: RawOps) => ops.delete(target)],
          ['setData', (ops: RawOps) => ops.setData(target, 'x')],
          ['setACL', (ops: RawOps) => ops.setACL(target, OPEN_ACL)],
          ['getData', (ops: RawOps) => ops.getData(target)],
          ['exists', (ops: RawOps) => ops.exists(target)],
          ['getChildren', (ops: RawOps) => ops.getChildren(target)],
        ] as const) {
          r = await rawOps(context, r);
          row[name] = (await tolerant(() => send(r))).err;
        }
        rec(`path ${printable(suffix.startsWith('/') ? `<root>${suffix}` : JSON.stringify(suffix))}`, row);
      }
      r = await rawOps(context, r);
      rec('getChildren root', await r.getChildren(path('')));
    },
  },
  {
    slug: 'errors-zookeeper-subtree',
    title: 'the /zookeeper subtree is readable and protected from client edits',
    async run({ raw, rec }) {
      const r = new RawOps(await raw());
      rec('getChildren /zookeeper', await r.getChildren('/zookeeper'));
      rec('create /zookeeper', await r.create('/zookeeper'));
      rec('create /zookeeper/x', await r.create('/zookeeper/x'));
      rec('create /zookeeper/quota/x', await r.create('/zookeeper/quota/x'));
      rec('setData /zookeeper', await r.setData('/zookeeper', 'x'));
      rec('setData /zookeeper/quota', await r.setData('/zookeeper/quota', 'x'));
      rec('delete /zookeeper', await r.delete('/zookeeper'));
      rec('delete /zookeeper/quota', await r.delete('/zookeeper/quota'));
      rec('setACL /zookeeper', await r.setACL('/zookeeper', OPEN_ACL));
      rec('getChildren /zookeeper after', await r.getChildren('/zookeeper'));
      // Leave the subtree's children as they were, for scenarios that count them.
      rec('delete /zookeeper/x', await r.delete('/zookeeper/x'));
      rec('delete /zookeeper/quota/x', await r.delete('/zookeeper/quota/x'));
      rec('getData /zookeeper/config', await r.getData('/zookeeper/config'));
      rec('getACL /zookeeper/config', await r.getACL('/zookeeper/config'));
      rec('getACL /zookeeper', await r.getACL('/zookeeper'));
    },
  },
  {
    slug: 'errors-invalid-acl',
    title: 'malformed or unusable ACLs give InvalidACL on create and setACL',
    async run({ raw, path, rec }) {
      const r = new RawOps(await raw());
      rec('create /n', await r.create(path('/n')));
      const cases: Array<[string, Acl[]]> = [
        ['empty list', []],
        ['auth scheme without any auth', [{ perms: 31, id: { scheme: 'auth', id: '' } }]],
        ['digest without a hash', [{ perms: 31, id: { scheme: 'digest', id: 'alice' } }]],
        ['ip not an address', [{ perms: 31, id: { scheme: 'ip', id: 'not-an-ip' } }]],
        ['ip bad prefix length', [{ perms: 31, id: { scheme: 'ip', id: '10.0.0.0/99' } }]],
        ['unknown scheme', [{ perms: 31, id: { scheme: 'nosuch', id: 'x' } }]],
        ['world with another id', [{ perms: 31, id: { scheme: 'world', id: 'someone' } }]],
        ['perms 0', [{ perms: 0, id: { scheme: 'world', id: 'anyone' } }]],
        ['perms 32', [{ perms: 32, id: { scheme: 'world', id: 'anyone' } }]],
        ['one good, one bad', [...OPEN_ACL, { perms: 31, id: { scheme: 'ip', id: 'bad' } }]],
      ];
      for (const [name, acl] of cases) {
        const slug = name.replace(/[^a-z0-9]+/g, '-');
        rec(`create /${slug} with ${name}`, await r.create(path(`/${slug}`), { acl }));
        rec(`create /set-${slug}`, await r.create(path(`/set-${slug}`)));
        rec(`setACL /set-${slug} with ${name}`, await r.setACL(path(`/set-${slug}`), acl));
        rec(`getACL /set-${slug}`, await r.getACL(path(`/set-${slug}`)));
      }
      rec('getACL /n', await r.getACL(path('/n')));
      rec('getChildren root', await r.getChildren(path('')));
    },
  },
  {
    slug: 'errors-no-auth',
    title: 'NoAuth for each operation a node ACL denies; exists and the node delete depend on other ACLs',
    async run({ raw, path, rec }) {
      const owner = new RawOps(await raw());
      rec('owner addauth digest alice', await owner.auth('digest', 'alice:pw'));
      const aliceOnly: Acl[] = [{ perms: 31, id: { scheme: 'digest', id: digestId('alice', 'pw') } }];
      rec('owner create /locked', await owner.create(path('/locked'), { data: 'secret', acl: aliceOnly }));
      rec('owner create /locked/child', await owner.create(path('/locked/child'), { acl: aliceOnly }));
      const other = new RawOps(await raw());
      rec('other getData /locked', await other.getData(path('/locked')));
      rec('other exists /locked', await other.exists(path('/locked')));
      rec('other getChildren /locked', await other.getChildren(path('/locked')));
      rec('other getACL /locked', await other.getACL(path('/locked')));
      rec('other setData /locked', await other.setData(path('/locked'), 'x'));
      rec('other setACL /locked', await other.setACL(path('/locked'), OPEN_ACL));
      rec('other create /locked/new', await other.create(path('/locked/new')));
      rec('other delete /locked/child', await other.delete(path('/locked/child')));
      rec('other getData /locked/child', await other.getData(path('/locked/child')));
      rec('other delete /locked (parent is open, node not empty)', await other.delete(path('/locked')));
      rec('owner delete /locked/child', await owner.delete(path('/locked/child')));
      rec('other delete /locked (parent is open)', await other.delete(path('/locked')));
      rec('other exists /locked after', await other.exists(path('/locked')));
      rec('other getData missing under a locked path', await other.getData(path('/locked/none')));
    },
  },
  {
    slug: 'errors-unknown-opcode',
    title: 'an unknown opcode is answered with an error code (or the connection closed) as ZooKeeper does',
    async run(context) {
      const { path, rec } = context;
      const client = await context.raw();
      const r = new RawOps(client);
      rec('create /n', await r.create(path('/n')));
      // Request header {xid 77, type 9999} and no body.
      const frame = new Uint8Array([0, 0, 0, 8, 0, 0, 0, 77, 0, 0, 0x27, 0x0f]);
      rec('unknown opcode 9999', await tolerant(async () => recorded(await client.sendFrame(77, OpCode.ping, frame))));
      rec('connection closed by the server within 2 s', await client.closedWithin(2_000));
      const after = client.isClosed ? new RawOps(await context.raw()) : r;
      rec('getData /n after it', await after.getData(path('/n')));
    },
  },
];
