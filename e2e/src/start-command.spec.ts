// The README's start command as a newcomer runs it: `node bin/start.js` brings up a 3-server ensemble and
// the dashboard, prints the URLs and the first admin's credentials; the test checks each, then presses
// Ctrl-C (SIGINT) and expects everything stopped. Data and ports are moved out of the developer's way
// (ZK_START_DATA_DIR, ZK_START_BASE_PORT); everything else is the default path.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fourLetterWord } from './support/four-letter';
import { REPO_ROOT } from './support/servers';
import { makeTempDir } from './support/tmp';
import { pollUntil } from './support/wait';

const OFFSETS = [0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32, 40];

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// Bases stay below Linux's ephemeral range (32768–60999): a port free when checked there can still be taken
// before start.js listens, by another test's listen(0) or as the source port of any outgoing connection.
const BASE_MIN = 20_000;
const BASE_MAX = 32_768 - 1 - OFFSETS[OFFSETS.length - 1];

/** A base port whose every offset start.js uses is free right now. */
async function freeBase(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = BASE_MIN + Math.floor(Math.random() * (BASE_MAX - BASE_MIN + 1));
    if ((await Promise.all(OFFSETS.map((offset) => portFree(base + offset)))).every(Boolean)) return base;
  }
  throw new Error('no free range of ports for bin/start.js');
}

describe('npm start', () => {
  const tmp = makeTempDir('start-command');
  let child: ChildProcess | undefined;
  let output = '';

  afterAll(async () => {
    // On failure, the whole group: start.js and the servers and dashboard it started (they would outlive it).
    if (child?.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    tmp.remove();
  });

  it('starts a 3-server ensemble and the dashboard, prints where they are, and stops them all on Ctrl-C', async () => {
    const base = await freeBase();
    child = spawn(process.execPath, [join(REPO_ROOT, 'bin/start.js')], {
      cwd: REPO_ROOT,
      env: { ...process.env, ZK_START_DATA_DIR: tmp.path, ZK_START_BASE_PORT: String(base), COORDINATOR_ADMIN_PASSWORD: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const running = child;
    running.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    running.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await pollUntil(async () => (output.includes('Ctrl-C stops everything') ? true : running.exitCode !== null ? Promise.reject(new Error(output)) : undefined), {
      timeoutMs: 150_000,
      intervalMs: 200,
      what: 'the start command to print its URLs',
    });

    const dashboardUrl = /dashboard\s+(http:\/\/\S+)/.exec(output)?.[1];
    const credentials = /sign in as (\S+) \/ (\S+)\)/.exec(output);
    const clientAddresses = /ZooKeeper\s+(\S+)/.exec(output)?.[1]?.split(',') ?? [];
    const apiUrls = /platform API\s+(.+)/.exec(output)?.[1]?.trim().split(/\s+/) ?? [];
    expect(dashboardUrl, output).toBe(`http://127.0.0.1:${base + 40}`);
    expect(clientAddresses).toHaveLength(3);
    expect(apiUrls).toHaveLength(3);

    // One leader, two followers, on the printed client ports.
    const modes = await Promise.all(clientAddresses.map((address) => fourLetterWord(Number(address.split(':')[1]), 'srvr')));
    expect(modes.map((text) => /Mode: (\S+)/.exec(text)?.[1]).sort()).toEqual(['follower', 'follower', 'leader']);
    // The dashboard answers, and the printed credentials sign in on the platform API.
    expect((await fetch(dashboardUrl as string)).status).toBe(200);
    const login = await fetch(`${apiUrls[0]}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: credentials?.[1], password: credentials?.[2] }),
    });
    expect(login.status, await login.clone().text()).toBe(200);

    running.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => running.once('exit', (exitCode) => resolve(exitCode)));
    expect(code, output).toBe(0);
    // Nothing it started is still listening.
    expect((await Promise.all(OFFSETS.map((offset) => portFree(base + offset)))).every(Boolean)).toBe(true);
  }, 200_000);
});
