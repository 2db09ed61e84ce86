// Full garbage collections of a real standalone coordinator (admin port off, as the side-by-side bench runs it)
// taking 512 KiB setData one at a time, counted from V8's own trace (--trace-gc lines in its log). Untuned, V8
// often started a marking cycle from a task ~15 ms after the previous one ended, so one full collection came every
// ~8 writes, each a 4–7 ms pause plus as much again in marking steps (apps/coordinator/src/util/gc-tuning.ts); the
// server also says in its start line which V8 flags it set.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'node-zookeeper-client';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireServerLock, freePort, type ServerLock } from '@zk/sdk/testing';
import { waitUntilServing } from './support/four-letter';
import { startProcess, type ManagedProcess } from './support/processes';
import { REPO_ROOT } from './support/servers';
import { makeTempDir } from './support/tmp';
import { connectClient, createNode, setNode } from './support/zk-client';
import { writeZooCfg } from './support/zoo-cfg';

const WRITES = 400;
const VALUE = Buffer.alloc(512 * 1024, 7);

const fullCollections = (logPath: string): number => readFileSync(logPath, 'utf8').split('\n').filter((line) => line.includes('Mark-Compact')).length;

describe('garbage collection under 512 KiB writes (coordinator, standalone)', () => {
  const temp = makeTempDir('large-value-gc');
  let lock: ServerLock | undefined;
  let server: ManagedProcess | undefined;
  let client: Client | undefined;

  afterAll(async () => {
    client?.close();
    await server?.stop();
    lock?.release();
    temp.remove();
  });

  it(`takes ${WRITES} of them with few full collections`, async () => {
    lock = await acquireServerLock(300_000);
    const port = await freePort();
    const cfgPath = writeZooCfg(temp.path, { clientPort: port, dataDir: temp.path, tickTimeMs: 2_000, containerCheckIntervalMs: 60_000 });
    const logPath = join(temp.path, 'coordinator.log');
    const started = startProcess({ name: `coordinator@${port}`, command: process.execPath, args: ['--trace-gc', join(REPO_ROOT, 'bin/coordinator.js'), cfgPath], cwd: REPO_ROOT, logPath });
    server = started;
    await waitUntilServing(port, { timeoutMs: 30_000, deathOf: () => started.deathOf() });
    const connected = await connectClient(`127.0.0.1:${port}`);
    client = connected;
    await createNode(connected, '/gc-large', VALUE);
    // Past the start-up: the first writes settle the young generation's size.
    for (let i = 0; i < 60; i++) await setNode(connected, '/gc-large', VALUE);
    const before = fullCollections(logPath);
    for (let i = 0; i < WRITES; i++) await setNode(connected, '/gc-large', VALUE);
    const during = fullCollections(logPath) - before;
    expect(readFileSync(logPath, 'utf8')).toMatch(/msg="coordinator started".* v8Flags=--no-incremental-marking-task/);
    // Untuned, a run fell into one of two states: none (the old generation kept its room), or ~35 here (about one
    // run in three, so this catches a lost tuning only some of the time; the start-line check above always does).
    // Tuned: none.
    expect(during).toBeLessThan(10);
  }, 90_000);
});
