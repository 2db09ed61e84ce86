// Smoke test of the built dashboard in headless Chromium (Debian's, driven by playwright-core): `next start` on a
// free port, the sign-in page renders with labelled inputs at 1280 and 390 px, screenshots go to
// apps/dashboard/screenshots/. No coordinator runs here: the proxy must answer a clear 502, and a sign-in attempt
// must show an error rather than hang. Builds the dashboard first when no build is there.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const root = join(__dirname, '../../../..');
const appDir = join(root, 'apps/dashboard');
const screenshots = join(appDir, 'screenshots');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${last})`);
}

describe('the dashboard in headless Chromium', () => {
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';
  let deadCoordinator = '';
  let serverLog = '';

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ensure-test-deps.sh (Debian's chromium)`);
    if (!existsSync(join(appDir, '.next/BUILD_ID'))) {
      const build = spawnSync('npm', ['run', 'build:dashboard'], { cwd: root, encoding: 'utf8', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
      if (build.status !== 0) throw new Error(`npm run build:dashboard failed:\n${build.stdout}\n${build.stderr}`);
    }
    const port = await freePort();
    // A port nothing listens on: the coordinator "ensemble" is down.
    deadCoordinator = `http://127.0.0.1:${await freePort()}`;
    baseUrl = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [require.resolve('next/dist/bin/next'), 'start', appDir, '--hostname', '127.0.0.1', '--port', String(port)], {
      cwd: root,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', COORDINATORS: deadCoordinator, DASHBOARD_API_MODE: 'proxy' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    await waitForHttp(`${baseUrl}/runtime-config`, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${serverLog}`);
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'], timeout: 30_000 });
    mkdirSync(screenshots, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
  });

  it('serves the ensemble from the run-time environment', async () => {
    const body = await (await fetch(`${baseUrl}/runtime-config`)).json();
    expect(body).toEqual({ coordinators: [deadCoordinator], mode: 'proxy' });
  });

  it('answers 502 with the contract error body when a coordinator does not answer, and 404 off the API', async () => {
    const down = await fetch(`${baseUrl}/api/coordinators/0/api/v1/cluster`);
    expect(down.status).toBe(502);
    expect(await down.json()).toMatchObject({ statusCode: 502, error: 'Bad Gateway' });
    expect((await fetch(`${baseUrl}/api/coordinators/0/etc/passwd`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/api/coordinators/7/api/v1/cluster`)).status).toBe(404);
  });

  it('sends a visitor without a session to a sign-in page with labelled inputs (1280 px)', async () => {
    const page = await (browser as Browser).newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${baseUrl}/cluster`);
    await page.waitForURL(/\/signin\?next=%2Fcluster/, { timeout: 15_000 });
    await expect(page.getByRole('heading', { name: 'Sign in' }).count()).resolves.toBe(1);
    await expect(page.getByLabel('Username').count()).resolves.toBe(1);
    await expect(page.getByLabel('Password').getAttribute('type')).resolves.toBe('password');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Scoped to main: Next's route announcer is an (empty) alert region too.
    const alert = page.locator('main').getByRole('alert');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.textContent()).toMatch(/No coordinator answered/);
    await page.screenshot({ path: join(screenshots, 'signin-1280.png') });
    await page.close();
  }, 60_000);

  it('fits the sign-in page in a 390 px wide phone screen', async () => {
    const page = await (browser as Browser).newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    await page.goto(`${baseUrl}/signin`);
    await page.getByLabel('Username').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(screenshots, 'signin-390.png') });
    await page.close();
  }, 60_000);
});
