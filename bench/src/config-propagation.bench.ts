// How long a config change made over REST on one member takes to reach an SDK watcher connected to another
// member of a 3-server ensemble: PUT /api/v1/config/... sent → the watcher's callback with the new value.
// Needs `npm run build` first. Run: npx vitest run --config bench/vitest.config.mts bench/src/config-propagation.bench.ts
import { afterAll, beforeAll, it } from 'vitest';
import { ZooKeeperClient } from '@zk/sdk';
import { useServer, waitFor } from '@zk/sdk/testing';
import { watchConfig } from '@zk/recipes';
import { table } from './support';

const ADMIN_PASSWORD = 'bench-admin-password';
process.env['COORDINATOR_ADMIN_PASSWORD'] = ADMIN_PASSWORD;
const CHANGES = Number(process.env['BENCH_CHANGES'] ?? 200);

const server = useServer('coordinator', { admin: true, tickTimeMs: 200 });
let sdk: ZooKeeperClient | undefined;

async function call(port: number, method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

beforeAll(async () => {
  await server.get().waitForLeader(30_000);
}, 120_000);

afterAll(async () => {
  await sdk?.close();
});

it('config change over REST → SDK watcher on another member', async () => {
  const [writer, reader] = server.get().members;
  const adminPort = writer.adminPort as number;
  let token = '';
  await waitFor(async () => {
    const login = await call(adminPort, 'POST', '/api/v1/auth/login', undefined, { username: 'admin', password: ADMIN_PASSWORD });
    token = String(login.json['token'] ?? '');
    return login.status === 200;
  }, 'the platform to accept a login', 30_000);
  const path = '/api/v1/config/bench/propagation/value';
  if ((await call(adminPort, 'PUT', path, token, { value: 'start', contentType: 'text' })).status !== 200) throw new Error('first PUT failed');

  sdk = await ZooKeeperClient.connect(reader.connectString, { sessionTimeoutMs: 10_000 });
  let waiting: { value: string; resolve: () => void } | undefined;
  await watchConfig(sdk, { namespace: 'bench', group: 'propagation', key: 'value' }, (seen) => {
    if (waiting && seen.value === waiting.value) waiting.resolve();
  });
  const times: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const value = `v${i}`;
    const arrived = new Promise<void>((resolve) => (waiting = { value, resolve }));
    const startedMs = performance.now();
    const put = await call(adminPort, 'PUT', path, token, { value, contentType: 'text' });
    if (put.status !== 200) throw new Error(`PUT ${i}: ${put.status} ${JSON.stringify(put.json)}`);
    await arrived;
    times.push(performance.now() - startedMs);
  }
  times.sort((a, b) => a - b);
  const at = (p: number): string => (times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] as number).toFixed(2);
  process.stdout.write(
    table(
      'Config change over REST on one member → SDK watcher on another (3-server ensemble)',
      ['changes', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
      [[String(CHANGES), at(50), at(90), at(99), (times[times.length - 1] as number).toFixed(2)]],
    ) + '\n',
  );
}, 300_000);
