// The platform API against a real 3-member ensemble (processes, admin port on each member): registry, config
// center, access, bad input and failover, as the acceptance lists them. One ensemble for the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZooKeeperClient } from '@zk/sdk';
import { discover, registerInstance, watchConfig, type ConfigValue, type Registration, type ServiceCache } from '@zk/recipes';
import { useServer, waitFor, type TestMember } from '@zk/sdk/testing';
import { WebSocket } from 'ws';
import { createServer, type AddressInfo } from 'node:net';

const ADMIN_PASSWORD = 'acceptance-admin-pw';
process.env['COORDINATOR_ADMIN_PASSWORD'] = ADMIN_PASSWORD;

interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

async function call(port: number, method: string, path: string, options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers, body, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

describe('the platform API on a 3-member ensemble', () => {
  const server = useServer('coordinator', { admin: true, tickTimeMs: 200 });
  let members: readonly TestMember[];
  let port: number;
  let token: string;
  let sdk: ZooKeeperClient;
  const cleanup: Array<() => Promise<unknown>> = [];

  const as = (method: string, path: string, options: Parameters<typeof call>[3] = {}): Promise<Answer> => call(port, method, path, { token, ...options });

  beforeAll(async () => {
    await server.get().waitForLeader(30_000);
    members = server.get().members;
    port = members[0].adminPort as number;
    // Each member starts its platform once it serves: wait until every one answers a login.
    for (const member of members) {
      await waitFor(async () => (await call(member.adminPort as number, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } })).status === 200, `member ${member.id}'s platform`, 20_000);
    }
    token = (await call(port, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } })).body.token;
    sdk = await ZooKeeperClient.connect(server.get().connectString, { sessionTimeoutMs: 6_000 });
  }, 60_000);

  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    await sdk?.close();
  });

  it('answers 401 without a valid token and 403 for a role too low', async () => {
    expect((await call(port, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: 'wrong' } })).status).toBe(401);
    expect((await call(port, 'GET', '/api/v1/services')).status).toBe(401);
    expect((await call(port, 'GET', '/api/v1/services', { token: 'forged.token' })).status).toBe(401);
    expect((await as('POST', '/api/v1/users', { body: { username: 'viewer1', password: 'viewer-pass', role: 'viewer' } })).status).toBe(201);
    expect((await as('POST', '/api/v1/users', { body: { username: 'viewer1', password: 'viewer-pass', role: 'viewer' } })).status).toBe(409);
    // A token from one member is valid on another (the secret is in the tree).
    const viewer = (await call(members[1].adminPort as number, 'POST', '/api/v1/auth/login', { body: { username: 'viewer1', password: 'viewer-pass' } })).body.token as string;
    expect((await call(members[2].adminPort as number, 'GET', '/api/v1/auth/me', { token: viewer })).body).toEqual({ username: 'viewer1', role: 'viewer' });
    const refused = await call(port, 'PUT', '/api/v1/config/ns1/g/k', { token: viewer, body: { value: 'x', contentType: 'text' } });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/editor/);
    expect((await call(port, 'GET', '/api/v1/users', { token: viewer })).status).toBe(403);
    // The token secret and the password hashes are for the members' own (loopback) platform sessions only.
    for (const path of ['/zk-platform/token-secret', '/zk-platform/users/viewer1', '/zk-platform/users/admin']) {
      expect((await sdk.getAcl(path)).acl, path).toEqual([{ perms: 31, id: { scheme: 'ip', id: '127.0.0.1' } }]);
    }
    // The audit trail lists the user creation on every member.
    const audit = await call(members[2].adminPort as number, 'GET', '/api/v1/audit?limit=10', { token: viewer });
    expect(audit.body.some((e: { action: string; target: string }) => e.action === 'user.create' && e.target === 'user:viewer1')).toBe(true);
  });

  it('serves health, readiness, Prometheus metrics and the OpenAPI document without a token', async () => {
    expect((await call(port, 'GET', '/api/v1/health')).body.status).toBe('ok');
    expect((await call(port, 'GET', '/api/v1/health/ready')).status).toBe(200);
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
    for (const name of ['zk_znode_count', 'zk_global_sessions', 'zk_watch_count', 'zk_requests_by_op_total{op="', 'zk_request_duration_seconds_bucket', 'zk_elections_total', 'zk_last_zxid', 'zk_log_flush_seconds_bucket', 'zk_log_flushed_txns_total', 'zk_proposal_commit_seconds_bucket', 'zk_proposals_total']) expect(metrics).toContain(name);
    // The leader counts its proposals and their commit latency; every member its log flushes.
    const scrape = (member: TestMember): Promise<string> => fetch(`http://127.0.0.1:${member.adminPort as number}/metrics`).then((r) => r.text());
    const texts = await Promise.all(members.map(scrape));
    expect(Math.max(...texts.map((text) => Number(/^zk_proposals_total (\d+)/m.exec(text)?.[1] ?? 0)))).toBeGreaterThan(0);
    for (const text of texts) expect(Number(/^zk_log_flushed_txns_total (\d+)/m.exec(text)?.[1] ?? 0)).toBeGreaterThan(0);
    // The gauges that read the ensemble's view (built once per scrape): the leader has synced followers.
    expect(Math.max(...texts.map((text) => Number(/^zk_synced_followers (\d+)/m.exec(text)?.[1] ?? 0)))).toBeGreaterThan(0);
    for (const text of texts) expect(text).toMatch(/^zk_zab_log_entries \d+/m);
    const docs = await call(port, 'GET', '/api/docs/json');
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/v1/services', '/api/v1/config/{ns}/{group}/{key}', '/api/v1/cluster']));
  });

  it('lists a provider registered by the SDK on every member', async () => {
    const registration = registerInstance(sdk, 'orders', { id: 'orders-1', host: '10.1.0.1', port: 9000, zone: 'z1' });
    cleanup.push(() => registration.close());
    await registration.ready();
    for (const member of members) {
      const answer = await call(member.adminPort as number, 'GET', '/api/v1/services/orders', { token });
      expect(answer.status).toBe(200);
      expect(answer.body.providers).toEqual([expect.objectContaining({ id: 'orders-1', host: '10.1.0.1', port: 9000, zone: 'z1', source: 'sdk', healthy: true, disabled: false })]);
      const listing = await call(member.adminPort as number, 'GET', '/api/v1/services?search=ord', { token });
      expect(listing.body).toContainEqual(expect.objectContaining({ name: 'orders', providers: expect.objectContaining({ total: 1, healthy: 1 }) }));
    }
  });

  it('removes an HTTP-registered instance once its heartbeats stop', async () => {
    const created = await as('POST', '/api/v1/services/billing/instances', { body: { id: 'billing-1', host: '10.2.0.1', port: 8080, ttlSeconds: 1 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'billing-1', source: 'http', healthy: true });
    // Heartbeats (on another member) keep it alive past its TTL.
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await call(members[1].adminPort as number, 'PUT', '/api/v1/services/billing/instances/billing-1/heartbeat', { token })).status).toBe(200);
    }
    expect((await as('GET', '/api/v1/services/billing')).body.providers).toHaveLength(1);
    await waitFor(async () => (await as('GET', '/api/v1/services/billing')).body.providers.length === 0, 'the instance to expire', 8_000);
    expect((await as('PUT', '/api/v1/services/billing/instances/billing-1/heartbeat')).status).toBe(404);
  });

  it('runs an instance\'s declared TCP health check on the leader: unhealthy ones leave SDK discovery until they answer', async () => {
    // A port nobody listens on yet: the check fails, then a listener makes it pass.
    const probe = createServer();
    const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as AddressInfo).port)));
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const created = await as('POST', '/api/v1/services/search/instances', { body: { id: 'search-1', host: '127.0.0.1', port, ttlSeconds: 60, check: { type: 'tcp', intervalMs: 1000 } } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const cache: ServiceCache = await discover(sdk, 'search');
    cleanup.push(() => cache.close());
    const provider = async (): Promise<{ healthy: boolean; check?: { lastResult: string | null } }> => (await as('GET', '/api/v1/services/search')).body.providers[0];
    await waitFor(async () => (await provider()).healthy === false, 'the failing check to mark it unhealthy', 10_000);
    expect((await provider()).check?.lastResult).toBeTruthy();
    await waitFor(() => cache.instances().length === 0, 'the unhealthy instance to leave discovery', 5_000);
    const listener = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => listener.listen(port, '127.0.0.1', () => resolve()));
    cleanup.push(() => new Promise((resolve) => listener.close(() => resolve(undefined))));
    await waitFor(async () => (await provider()).healthy === true, 'the passing check to mark it healthy', 10_000);
    await waitFor(() => cache.instances().map((i) => i.id).join() === 'search-1', 'the healthy instance back in discovery', 5_000);
    expect((await as('DELETE', '/api/v1/services/search/instances/search-1')).status).toBe(204);
  });

  it('leaves a disabled instance out of SDK discovery, and honours the policy', async () => {
    const registrations: Registration[] = ['pay-1', 'pay-2'].map((id, i) => registerInstance(sdk, 'payments', { id, host: '10.3.0.1', port: 7000 + i }));
    cleanup.push(() => Promise.all(registrations.map((r) => r.close())));
    await Promise.all(registrations.map((r) => r.ready()));
    const cache: ServiceCache = await discover(sdk, 'payments');
    cleanup.push(() => cache.close());
    await waitFor(() => cache.instances().length === 2, 'both instances discovered');
    const override = await as('PUT', '/api/v1/services/payments/overrides/pay-1', { body: { disabled: true } });
    expect(override.status).toBe(200);
    expect(override.body).toMatchObject({ disabled: true, version: 0 });
    await waitFor(() => cache.instances().map((i) => i.id).join() === 'pay-2', 'pay-1 to leave discovery');
    expect((await as('PUT', '/api/v1/services/payments/overrides/pay-1', { body: { disabled: false }, headers: { 'if-match': '"5"' } })).status).toBe(412);
    const policy = await as('PUT', '/api/v1/services/payments/policy', { body: { strategy: 'round-robin' } });
    expect(policy.status).toBe(200);
    await waitFor(() => cache.policy.strategy === 'round-robin', 'the policy to reach discovery');
    expect((await as('PUT', '/api/v1/services/payments/policy', { body: { strategy: 'fastest' } })).status).toBe(400);
    expect((await as('DELETE', '/api/v1/services/payments/overrides/pay-1')).status).toBe(204);
    await waitFor(() => cache.instances().length === 2, 'pay-1 back in discovery');
  });

  it('brings a config change made over REST to an SDK watcher, and a gray value only to its targets', async () => {
    const key = { namespace: 'shop', group: 'db', key: 'pool' };
    const everyone: ConfigValue[] = [];
    const canary: ConfigValue[] = [];
    const plain = await watchConfig(sdk, key, (value) => everyone.push(value));
    const targeted = await watchConfig(sdk, key, (value) => canary.push(value), undefined, { identity: ['canary-1', '10.9.9.9'] });
    cleanup.push(async () => {
      plain.close();
      targeted.close();
    });
    const put = await call(members[2].adminPort as number, 'PUT', '/api/v1/config/shop/db/pool', { token, body: { value: 'size: 10\n', contentType: 'yaml', comment: 'first' } });
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toBe('"0"');
    await waitFor(() => everyone.at(-1)?.value === 'size: 10\n' && canary.at(-1)?.value === 'size: 10\n', 'the value at both watchers');
    const gray = await as('PUT', '/api/v1/config/shop/db/pool/gray', { body: { value: 'size: 20\n', contentType: 'yaml', targets: ['canary-1'] } });
    expect(gray.status).toBe(200);
    expect(gray.body.gray).toEqual({ value: 'size: 20\n', contentType: 'yaml', targets: ['canary-1'] });
    await waitFor(() => canary.at(-1)?.value === 'size: 20\n', 'the gray value at its target');
    expect(everyone.at(-1)?.value).toBe('size: 10\n');
    const promoted = await as('POST', '/api/v1/config/shop/db/pool/gray/promote');
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ value: 'size: 20\n', revision: 2 });
    expect(promoted.body.gray).toBeUndefined();
    await waitFor(() => everyone.at(-1)?.value === 'size: 20\n', 'the promoted value for everyone');
  });

  it('keeps history, diffs revisions, rolls back as a new revision, refuses stale If-Match and bad YAML', async () => {
    const path = '/api/v1/config/app/web/settings';
    const first = await as('PUT', path, { body: { value: 'a: 1\nb: 2\n', contentType: 'yaml' } });
    const second = await as('PUT', path, { body: { value: 'a: 1\nb: 3\n', contentType: 'yaml' }, headers: { 'if-match': `"${first.body.version}"` } });
    expect(second.status).toBe(200);
    const stale = await as('PUT', path, { body: { value: 'a: 9\n', contentType: 'yaml' }, headers: { 'if-match': `"${first.body.version}"` } });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: second.body.version });
    const bad = await as('PUT', path, { body: { value: 'a: [1, 2\nb: c', contentType: 'yaml' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/YAML/);
    const badJson = await as('PUT', path, { body: { value: '{"a":', contentType: 'json' } });
    expect(badJson.status).toBe(400);
    const history = await as('GET', `${path}/history`);
    expect(history.body.map((h: { revision: number }) => h.revision)).toEqual([2, 1]);
    const diff = await as('GET', `${path}/diff?from=1&to=2`);
    expect(diff.body.unified).toContain('-b: 2\n+b: 3');
    const rolledBack = await as('POST', `${path}/rollback`, { body: { revision: 1 } });
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.body).toMatchObject({ value: 'a: 1\nb: 2\n', revision: 3 });
    const read = await call(members[1].adminPort as number, 'GET', path, { token });
    expect(read.body).toMatchObject({ value: 'a: 1\nb: 2\n', revision: 3, version: 2 });
    expect(read.headers.get('etag')).toBe('"2"');
    const exported = await as('GET', '/api/v1/config/app/export');
    expect(exported.body.items).toContainEqual({ group: 'web', key: 'settings', value: 'a: 1\nb: 2\n', contentType: 'yaml' });
    const imported = await as('POST', '/api/v1/config/app2/import', { body: { items: [...exported.body.items, { group: 'web', key: 'extra', value: 'x', contentType: 'text' }] } });
    expect(imported.body).toEqual({ created: exported.body.items.length + 1, updated: 0, skipped: 0 });
    expect((await as('GET', '/api/v1/config/app2')).body.groups[0].keys.map((k: { key: string }) => k.key)).toContain('extra');
  });

  it('browses and edits the tree: create in a mode, read with stat and children, versioned set and delete, ACLs', async () => {
    const q = (path: string): string => `/api/v1/tree?path=${encodeURIComponent(path)}`;
    expect((await as('POST', '/api/v1/tree', { body: { path: '/tree-t', data: 'root', mode: 'persistent' } })).status).toBe(201);
    const child = await as('POST', '/api/v1/tree', { body: { path: '/tree-t/item-', data: '{"a":1}', mode: 'persistent_sequential' } });
    expect(child.status).toBe(201);
    expect(child.body.path).toMatch(/^\/tree-t\/item-\d{10}$/);
    const node = await call(members[2].adminPort as number, 'GET', q('/tree-t'), { token });
    expect(node.status).toBe(200);
    expect(node.body).toMatchObject({ path: '/tree-t', data: 'root', encoding: 'utf8', children: [child.body.path.split('/')[2]] });
    expect(node.body.stat).toMatchObject({ version: 0, numChildren: 1 });
    // Versioned writes: the ETag is the version; a stale If-Match is a 412 and changes nothing.
    expect((await as('PUT', q('/tree-t'), { body: { data: 'v1' }, headers: { 'if-match': '"0"' } })).status).toBe(200);
    const stale = await as('PUT', q('/tree-t'), { body: { data: 'v2' }, headers: { 'if-match': '"0"' } });
    expect(stale.status).toBe(412);
    expect((await as('GET', q('/tree-t'))).body.data).toBe('v1');
    expect((await as('DELETE', q('/tree-t'))).status).toBe(409); // not empty
    expect((await as('GET', q('/nowhere'))).status).toBe(404);
    expect((await as('POST', '/api/v1/tree', { body: { path: '/tree-t', mode: 'persistent' } })).status).toBe(409);
    for (const bad of ['relative', '/a/../b', '/a//b', '/trailing/']) expect((await as('GET', q(bad))).status, bad).toBe(400);
    expect((await as('POST', '/api/v1/tree', { body: { path: '/tree-t/x', mode: 'sideways' } })).status).toBe(400);
    // ACLs: read-only for everyone, then a write through the API is refused with 403.
    const acl = await as('PUT', `/api/v1/tree/acl?path=${encodeURIComponent(child.body.path)}`, { body: { acl: [{ scheme: 'world', id: 'anyone', perms: 1 }] } });
    expect(acl.status).toBe(200);
    expect((await as('GET', q(child.body.path))).body.acl).toEqual([{ scheme: 'world', id: 'anyone', perms: 1 }]);
    expect((await as('PUT', q(child.body.path), { body: { data: 'no' } })).status).toBe(403);
    expect((await as('DELETE', `${q('/tree-t')}&recursive=true`)).status).toBe(204);
    expect((await as('GET', q('/tree-t'))).status).toBe(404);
  });

  it('answers bad input on every endpoint with a 4xx and a message, never a 500', async () => {
    const huge = JSON.stringify({ value: 'x'.repeat(1_100_000), contentType: 'text' });
    const cases: Array<[string, string, Parameters<typeof call>[3]]> = [
      ['POST', '/api/v1/auth/login', { raw: '{"username":' }],
      ['POST', '/api/v1/auth/login', { body: { username: 5, password: [] } }],
      ['POST', '/api/v1/users', { token, body: { username: '../etc', password: 'long-enough', role: 'root' } }],
      ['PUT', '/api/v1/users/nobody', { token, body: { role: 'viewer' } }],
      ['DELETE', '/api/v1/users/..', { token }],
      ['GET', '/api/v1/services/..%2F..%2Fzk-platform', { token }],
      ['GET', '/api/v1/services/no-such-service', { token }],
      ['GET', '/api/v1/services?search=a&search=b', { token }],
      ['POST', '/api/v1/services/orders/instances', { token, body: { host: 'h', port: 'eighty' } }],
      ['POST', '/api/v1/services/orders/instances', { token, body: { host: 'h', port: 80, ttlSeconds: -1, check: { type: 'http', target: 'file:///etc/passwd' } } }],
      ['POST', '/api/v1/services/orders/instances', { token, body: { host: 'h', port: 80, check: { type: 'tcp', target: 'nope' } } }],
      ['POST', '/api/v1/services/orders/instances', { token, body: { host: 'h', port: 80, metadata: { a: 1 } } }],
      ['POST', '/api/v1/services/bad%20name/instances', { token, body: { host: 'h', port: 80 } }],
      ['PUT', '/api/v1/services/orders/instances/nope/heartbeat', { token }],
      ['PUT', '/api/v1/services/orders/instances/orders-1/heartbeat', { token }],
      ['DELETE', '/api/v1/services/orders/instances/nope', { token }],
      ['PUT', '/api/v1/services/orders/overrides/orders-1', { token, body: { weight: 'heavy' } }],
      ['PUT', '/api/v1/services/orders/overrides/orders-1', { token, body: {} }],
      ['PUT', '/api/v1/services/unknown-svc/overrides/x', { token, body: { disabled: true } }],
      ['PUT', '/api/v1/services/orders/overrides/orders-1', { token, body: { disabled: true }, headers: { 'if-match': 'banana' } }],
      ['GET', '/api/v1/services/unknown-svc/policy', { token }],
      ['PUT', '/api/v1/services/orders/policy', { token, body: { strategy: 'random', virtualNodes: 10 } }],
      ['GET', '/api/v1/config/nope', { token }],
      ['GET', '/api/v1/config/a/b/c', { token }],
      ['GET', '/api/v1/config/a..b/c/d', { token }],
      ['PUT', '/api/v1/config/a/b/c', { token, body: { value: 1, contentType: 'text' } }],
      ['PUT', '/api/v1/config/a/b/c', { token, raw: huge }],
      ['PUT', '/api/v1/config/a/b/c', { token, raw: 'not json at all' }],
      ['DELETE', '/api/v1/config/a/b/c', { token }],
      ['GET', '/api/v1/config/shop/db/pool/diff?from=1&to=999', { token }],
      ['GET', '/api/v1/config/shop/db/pool/diff?from=x', { token }],
      ['POST', '/api/v1/config/shop/db/pool/rollback', { token, body: { revision: 'one' } }],
      ['POST', '/api/v1/config/shop/db/pool/rollback', { token, body: { revision: 999 } }],
      ['PUT', '/api/v1/config/shop/db/pool/gray', { token, body: { value: 'x', contentType: 'text', targets: [] } }],
      ['POST', '/api/v1/config/shop/db/pool/gray/promote', { token }],
      ['DELETE', '/api/v1/config/shop/db/pool/gray', { token }],
      ['POST', '/api/v1/config/shop/import?overwrite=maybe', { token, body: { items: [] } }],
      ['POST', '/api/v1/config/shop/import', { token, body: { items: [{ group: '../x', key: 'k', value: 'v', contentType: 'text' }] } }],
      ['POST', '/api/v1/config/shop/import', { token, body: { items: 'all' } }],
      ['GET', '/api/v1/audit?limit=0', { token }],
      ['GET', '/api/v1/audit?before=soon', { token }],
    ];
    const failures: string[] = [];
    for (const [method, path, options] of cases) {
      const answer = await call(port, method, path, options);
      const ok = answer.status >= 400 && answer.status < 500 && typeof answer.body?.message === 'string' && answer.body.message.length > 0;
      if (!ok) failures.push(`${method} ${path} → ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    expect(failures).toEqual([]);
  });

  it('pushes a config change to an events WebSocket subscriber, and closes a bad token with 4401', async () => {
    const refused = new WebSocket(`ws://127.0.0.1:${port}/api/v1/events?token=bad`);
    refused.on('error', () => undefined);
    expect(await new Promise<number>((resolve) => refused.once('close', (code) => resolve(code)))).toBe(4401);
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/events?token=${token}`);
    cleanup.push(async () => ws.close());
    const messages: Array<{ type: string; topic?: string; data?: { value?: string } | null; message?: string }> = [];
    ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.send('not json');
    ws.send(JSON.stringify({ type: 'subscribe', topic: 'config:live/g/../k' }));
    ws.send(JSON.stringify({ type: 'subscribe', topic: 'config:live/g/k' }));
    await waitFor(() => messages.some((m) => m.type === 'event' && m.topic === 'config:live/g/k'), 'the first push (no value yet)');
    expect(messages.filter((m) => m.type === 'error')).toHaveLength(2);
    expect(messages.find((m) => m.type === 'event')?.data).toBeNull();
    expect((await call(members[1].adminPort as number, 'PUT', '/api/v1/config/live/g/k', { token, body: { value: 'on', contentType: 'text' } })).status).toBe(200);
    await waitFor(() => messages.some((m) => m.type === 'event' && m.data?.value === 'on'), 'the change pushed');
  });

  it('shows the new leader on a survivor after the leader is killed', async () => {
    const before = await as('GET', '/api/v1/cluster');
    expect(before.status).toBe(200);
    expect(before.body.members).toHaveLength(3);
    expect(before.body.members.every((m: { reachable: boolean }) => m.reachable)).toBe(true);
    const oldLeader = members.find((m) => m.id === before.body.leaderId) as TestMember;
    expect(oldLeader).toBeDefined();
    await oldLeader.kill();
    const survivor = members.find((m) => m !== oldLeader) as TestMember;
    let last: Answer | undefined;
    await waitFor(async () => {
      last = await call(survivor.adminPort as number, 'GET', '/api/v1/cluster', { token });
      // The new leader records its election in the tree once it serves: wait for that too.
      return last.status === 200 && last.body.leaderId !== null && last.body.leaderId !== oldLeader.id && last.body.elections[0]?.leaderId === last.body.leaderId;
    }, 'a new leader in /api/v1/cluster', 20_000);
    const body = (last as Answer).body;
    expect(body.members.find((m: { id: number }) => m.id === oldLeader.id)).toMatchObject({ reachable: false });
    expect(body.members.find((m: { id: number }) => m.id === body.leaderId)).toMatchObject({ role: 'leader', reachable: true });
    expect(body.elections[0]).toMatchObject({ leaderId: body.leaderId });
  });
});
