// The client against real servers: the same tests run against our coordinator and Apache ZooKeeper 3.8.
import { selectedTargets, useServer, waitFor } from './testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestAcl, OPEN_ACL_UNSAFE, READ_ACL_UNSAFE } from './acl';
import { ZooKeeperClient } from './client';
import { toText } from './data';
import { BadVersionError, ClientClosedError, NoAuthError, NodeExistsError, NoNodeError, NotEmptyError } from './errors';
import type { WatchEvent } from './watch-registry';

describe.each(selectedTargets())('ZooKeeperClient against %s', (target) => {
  const server = useServer(target);
  let client: ZooKeeperClient;
  let base: string;
  let counter = 0;
  const fresh = (): string => `${base}/t${++counter}`;

  beforeAll(async () => {
    client = await ZooKeeperClient.connect(server.get().connectString, { sessionTimeoutMs: 10_000 });
    base = `/sdk-client-${Date.now()}`;
    await client.create(base);
  });
  afterAll(async () => {
    await client?.close();
  });

  it('negotiates a session and reports connected', () => {
    expect(client.state).toBe('connected');
    expect(client.sessionId).not.toBe(0n);
    expect(client.sessionTimeoutMs).toBeGreaterThan(0);
    expect(client.sessionTimeoutMs).toBeLessThanOrEqual(10_000);
  });

  it('creates, reads, updates and deletes with versions and typed errors', async () => {
    const path = fresh();
    const created = await client.create(path, 'v0');
    expect(created.path).toBe(path);
    expect(created.stat?.version).toBe(0);
    await expect(client.create(path)).rejects.toBeInstanceOf(NodeExistsError);
    const { data, stat } = await client.getData(path);
    expect(toText(data)).toBe('v0');
    const updated = await client.setData(path, 'v1', stat.version);
    expect(updated.version).toBe(1);
    await expect(client.setData(path, 'v2', 0)).rejects.toBeInstanceOf(BadVersionError);
    await client.create(`${path}/child`);
    await expect(client.delete(path)).rejects.toBeInstanceOf(NotEmptyError);
    await client.delete(`${path}/child`);
    await client.delete(path, 1);
    expect(await client.exists(path)).toBeNull();
    const missing = await client.getData(path).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(NoNodeError);
    expect((missing as NoNodeError).code).toBe(-101);
    expect((missing as NoNodeError).path).toBe(path);
  });

  it('creates sequential, ephemeral, container and TTL nodes', async () => {
    const parent = fresh();
    await client.create(parent);
    const first = await client.create(`${parent}/seq-`, null, { mode: 'persistentSequential' });
    const second = await client.create(`${parent}/seq-`, null, { mode: 'ephemeralSequential' });
    expect(first.path).toMatch(/\/seq-\d{10}$/);
    expect(second.path > first.path).toBe(true);
    expect((await client.exists(second.path))?.ephemeralOwner).toBe(client.sessionId);
    expect(await client.getEphemerals(parent)).toEqual([second.path]);
    const container = await client.create(`${parent}/container`, null, { mode: 'container' });
    expect(container.path).toBe(`${parent}/container`);
    const ttl = await client.create(`${parent}/ttl`, 'x', { mode: 'persistentWithTtl', ttlMs: 60_000 });
    // ZooKeeper shows TTL and container nodes with ephemeralOwner 0 (getClientEphemeralOwner).
    expect(ttl.stat?.ephemeralOwner).toBe(0n);
    expect(await client.getAllChildrenNumber(parent)).toBe(4);
    expect((await client.getChildren(parent)).sort()).toEqual(['container', first.path.slice(parent.length + 1), second.path.slice(parent.length + 1), 'ttl'].sort());
  });

  it('pipelines many requests and answers them in order', async () => {
    const parent = fresh();
    await client.create(parent);
    const results = await Promise.all(Array.from({ length: 500 }, () => client.create(`${parent}/n-`, 'x', { mode: 'persistentSequential' })));
    const sequence = results.map((result) => Number(result.path.slice(-10)));
    expect(sequence).toEqual(Array.from({ length: 500 }, (_, i) => i));
    const { children, stat } = await client.getChildrenWithStat(parent);
    expect(children).toHaveLength(500);
    expect(stat.numChildren).toBe(500);
  });

  it('fires a one-shot data watch once', async () => {
    const path = fresh();
    await client.create(path, 'a');
    const events: WatchEvent[] = [];
    await client.getData(path, (event) => events.push(event));
    await client.setData(path, 'b');
    await client.setData(path, 'c');
    await client.sync(path);
    await waitFor(() => events.length > 0, 'the data watch');
    expect(events).toEqual([{ type: 'nodeDataChanged', path, zxid: expect.any(BigInt) }]);
  });

  it('fires exists watches on creation and child watches on new children', async () => {
    const path = fresh();
    const events: WatchEvent[] = [];
    expect(await client.exists(path, (event) => events.push(event))).toBeNull();
    await client.create(path);
    await client.getChildren(path, (event) => events.push(event));
    await client.create(`${path}/c`);
    await waitFor(() => events.length === 2, 'two watch events');
    expect(events.map((event) => [event.type, event.path])).toEqual([
      ['nodeCreated', path],
      ['nodeChildrenChanged', path],
    ]);
  });

  it('delivers persistent recursive watches to a callback until removed', async () => {
    const path = fresh();
    await client.create(path);
    const events: string[] = [];
    const watch = await client.addWatch(path, (event) => events.push(`${event.type} ${event.path}`), { recursive: true });
    await client.create(`${path}/a`);
    await client.create(`${path}/a/b`, 'x');
    await client.setData(`${path}/a/b`, 'y');
    await client.delete(`${path}/a/b`);
    await waitFor(() => events.length === 4, 'four recursive events');
    expect(events).toEqual([`nodeCreated ${path}/a`, `nodeCreated ${path}/a/b`, `nodeDataChanged ${path}/a/b`, `nodeDeleted ${path}/a/b`]);
    await watch.remove();
    await client.setData(`${path}/a`, 'z');
    await client.sync(path);
    expect(events).toHaveLength(4);
  });

  it('delivers a persistent watch as an async iterator', async () => {
    const path = fresh();
    await client.create(path, '0');
    const stream = await client.watch(path);
    const writes = (async () => {
      for (let i = 1; i <= 3; i++) await client.setData(path, String(i));
    })();
    const seen: string[] = [];
    for await (const event of stream) {
      seen.push(event.type);
      if (seen.length === 3) break;
    }
    await writes;
    expect(seen).toEqual(['nodeDataChanged', 'nodeDataChanged', 'nodeDataChanged']);
  });

  it('commits a transaction all or nothing', async () => {
    const path = fresh();
    const results = await client.transaction().create(path, 'a').create(`${path}/x`).setData(path, 'b', 0).check(path, 1).commit();
    expect(results.map((result) => result.type)).toEqual(['create', 'create', 'setData', 'check']);
    expect(results[0]).toMatchObject({ type: 'create', path });
    const failure = await client
      .transaction()
      .create(`${path}/y`)
      .delete(`${path}/missing`)
      .commit()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NoNodeError);
    expect((failure as NoNodeError).path).toBe(`${path}/missing`);
    expect((failure as NoNodeError).results?.map((result) => (result as { code?: number }).code)).toEqual([0, -101]);
    expect(await client.exists(`${path}/y`)).toBeNull();
  });

  it('reads several nodes in one multiRead, each with its own result', async () => {
    const path = fresh();
    await client.create(path, 'p');
    await client.create(`${path}/kid`);
    const results = await client.multiRead([
      { type: 'getData', path },
      { type: 'getChildren', path },
      { type: 'getData', path: `${path}/missing` },
    ]);
    expect(results[0]).toMatchObject({ type: 'getData', stat: { numChildren: 1 } });
    expect(toText((results[0] as { data: Uint8Array }).data)).toBe('p');
    expect(results[1]).toEqual({ type: 'getChildren', children: ['kid'] });
    expect(results[2].type).toBe('error');
    expect((results[2] as { error: Error }).error).toBeInstanceOf(NoNodeError);
  });

  it('enforces digest ACLs and adds auth to a session', async () => {
    const path = fresh();
    await client.create(path, 'secret', { acl: [digestAcl('alice', 'pw'), ...READ_ACL_UNSAFE] });
    await expect(client.setData(path, 'x')).rejects.toBeInstanceOf(NoAuthError);
    const alice = await ZooKeeperClient.connect(server.get().connectString, { auth: [{ scheme: 'digest', auth: 'alice:pw' }] });
    try {
      await alice.setData(path, 'changed');
      expect(await alice.whoAmI()).toContainEqual({ authScheme: 'digest', user: 'alice' });
      const { acl } = await client.getAcl(path);
      expect(acl).toHaveLength(2);
      await alice.setAcl(path, OPEN_ACL_UNSAFE);
      await client.setData(path, 'open now');
    } finally {
      await alice.close();
    }
  });

  it('reports authFailed for an unknown auth scheme and fails later requests', async () => {
    const other = await ZooKeeperClient.connect(server.get().connectString);
    const states: string[] = [];
    other.on('state', (event) => states.push(event));
    await expect(other.addAuth('no-such-scheme', 'x')).rejects.toMatchObject({ code: -115 });
    expect(other.state).toBe('authFailed');
    expect(states).toEqual(['authFailed']);
    await expect(other.exists('/')).rejects.toMatchObject({ code: -115 });
  });

  it('sees paths relative to a chroot', async () => {
    const root = fresh();
    await client.create(root);
    const chrooted = await ZooKeeperClient.connect(`${server.get().connectString}${root}`);
    try {
      const events: WatchEvent[] = [];
      expect((await chrooted.create('/a', 'x')).path).toBe('/a');
      await chrooted.getData('/a', (event) => events.push(event));
      await client.setData(`${root}/a`, 'y');
      await waitFor(() => events.length === 1, 'the chrooted watch');
      expect(events[0].path).toBe('/a');
      expect(await chrooted.getChildren('/')).toEqual(['a']);
      const seq = await chrooted.transaction().create('/s-', null, { mode: 'persistentSequential' }).commit();
      expect(seq[0]).toMatchObject({ type: 'create', path: expect.stringMatching(/^\/s-\d{10}$/) });
    } finally {
      await chrooted.close();
    }
  });

  it('removes watches on the server and locally', async () => {
    const path = fresh();
    await client.create(path);
    const events: WatchEvent[] = [];
    await client.getData(path, (event) => events.push(event));
    await client.removeWatches(path, 'data');
    await client.setData(path, 'x');
    await client.sync(path);
    expect(events).toEqual([]);
    await expect(client.removeWatches(path, 'data')).rejects.toMatchObject({ code: -121 });
  });

  it('closes the session: its ephemerals go and later requests fail', async () => {
    const other = await ZooKeeperClient.connect(server.get().connectString);
    const path = fresh();
    await other.create(path, null, { mode: 'ephemeral' });
    const states: string[] = [];
    other.on('state', (event) => states.push(event));
    await other.close();
    expect(states).toEqual(['closed']);
    await client.sync(path); // the other session may have been on another member: catch up before reading
    expect(await client.exists(path)).toBeNull();
    await expect(other.getData('/')).rejects.toBeInstanceOf(ClientClosedError);
  });
});
