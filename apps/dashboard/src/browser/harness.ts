// What the dashboard's browser specs share: Debian's Chromium, the built dashboard (built when missing) served by
// `next start` on a free port in its own process group, and bounded waits. No coordinator code here.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const REPO_ROOT = join(__dirname, '../../../..');
export const APP_DIR = join(REPO_ROOT, 'apps/dashboard');
export const SCREENSHOTS_DIR = join(APP_DIR, 'screenshots');
const DASHBOARD_START_TIMEOUT_MS = 60_000;
const DASHBOARD_STOP_GRACE_MS = 5_000;

export async function freePort(): Promise<number> {
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

export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${last})`);
}

/** `npm run build:dashboard` unless apps/dashboard/.next/BUILD_ID is there. */
export function buildDashboardIfMissing(): void {
  if (existsSync(join(APP_DIR, '.next/BUILD_ID'))) return;
  const build = spawnSync('npm', ['run', 'build:dashboard'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (build.status !== 0) throw new Error(`npm run build:dashboard failed:\n${build.stdout}\n${build.stderr}`);
}

export interface Dashboard {
  readonly baseUrl: string;
  log(): string;
  /** SIGTERM to its process group, SIGKILL after a grace period; resolves once it is gone. */
  stop(): Promise<void>;
}

/** `next start` on a free loopback port with `env` (COORDINATORS, DASHBOARD_API_MODE, …); waits until it answers. */
export async function startDashboard(env: Record<string, string>): Promise<Dashboard> {
  buildDashboardIfMissing();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [require.resolve('next/dist/bin/next'), 'start', APP_DIR, '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: REPO_ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const stop = async (): Promise<void> => {
    signalGroup('SIGTERM');
    const gone = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), DASHBOARD_STOP_GRACE_MS))]);
    if (!gone) {
      signalGroup('SIGKILL');
      await exited;
    }
  };
  try {
    await waitForHttp(`${baseUrl}/runtime-config`, DASHBOARD_START_TIMEOUT_MS);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return { baseUrl, log: () => output, stop };
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ensure-test-deps.sh (Debian's chromium)`);
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'], timeout: 30_000 });
}

export const screenshotPath = (name: string): string => join(SCREENSHOTS_DIR, `${name}.png`);
