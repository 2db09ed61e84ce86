// A client killed with SIGKILL cannot close its session: its ephemeral node must go when the session expires,
// and a second client watching it must get NodeDeleted within the session timeout plus one tick — on both servers.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NzkClient } from './support/nzk';
import { killChild, trackChild } from './support/processes';
import { useServers } from './support/server-hooks';
import type { RunningServer } from './support/servers';
import { withTimeout } from './support/wait';

const SESSION_TIMEOUT_MS = 2_000;
const TICK_TIME_MS = 250;
/** Process scheduling and event delivery on a loaded 2-core machine; the bound stays well under a second tick pair. */
const DELIVERY_SLACK_MS = 750;
const HOLDER = join(__dirname, 'fixtures/ephemeral-holder.cjs');

interface Holder {
  sessionIdHex: string;
  negotiatedTimeoutMs: number;
  kill(): void;
  exited: Promise<void>;
  stop(): Promise<void>;
}

async function startHolder(server: RunningServer, path: string): Promise<Holder> {
  const child = spawn(process.execPath, [HOLDER, server.connectString, path, String(SESSION_TIMEOUT_MS)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackChild(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const line = /^ready (\S+) (\d+)\n/m.exec(stdout);
      if (line) resolve(stdout);
    });
    child.once('exit', (code) => reject(new Error(`the holder exited with ${code} before it was ready: ${stderr}`)));
  });
  const stdout = await withTimeout(ready, 15_000, 'the ephemeral holder to create its node');
  const [, sessionIdHex, timeout] = /^ready (\S+) (\d+)$/m.exec(stdout) as RegExpExecArray;
  return {
    sessionIdHex: sessionIdHex as string,
    negotiatedTimeoutMs: Number(timeout),
    kill: () => child.kill('SIGKILL'),
    exited,
    stop: () => killChild(child),
  };
}

describe('an ephemeral node of a client killed with SIGKILL', () => {
  const servers = useServers({ tickTimeMs: TICK_TIME_MS });

  for (const target of servers.targets) {
    it(`disappears with a NodeDeleted event within the session timeout plus a tick (${target})`, async () => {
      const server = servers.get(target);
      const path = `/killed-${target}`;
      const holder = await startHolder(server, path);
      const watcher = await NzkClient.connect(server.connectString);
      try {
        expect(holder.negotiatedTimeoutMs).toBe(SESSION_TIMEOUT_MS);
        const before = await watcher.exists(path, 'exists');
        expect(before, 'the holder’s node exists and is ephemeral').toMatchObject({ ok: { ephemeralOwner: BigInt(`0x${holder.sessionIdHex}`) } });

        holder.kill();
        const killedAt = Date.now();
        await withTimeout(holder.exited, 5_000, 'the holder to die');
        const rightAfter = await watcher.getData(path);
        expect('ok' in rightAfter, 'a dropped connection alone does not delete the node').toBe(true);

        const boundMs = SESSION_TIMEOUT_MS + TICK_TIME_MS + DELIVERY_SLACK_MS;
        await watcher.waitForEvents(1, boundMs + 5_000);
        const elapsedMs = Date.now() - killedAt;
        expect(watcher.takeEvents()).toEqual([`exists NODE_DELETED ${path}`]);
        expect(elapsedMs, `NodeDeleted after ${elapsedMs} ms; bound ${boundMs} ms`).toBeLessThanOrEqual(boundMs);
        expect(await watcher.exists(path)).toEqual({ ok: null });
      } finally {
        await holder.stop();
        await watcher.close();
      }
    }, 30_000);
  }
});
