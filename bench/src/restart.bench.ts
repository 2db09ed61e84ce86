// A real coordinator process with 100,000 znodes (written by a client, one create each): killed with
// SIGKILL and restarted on the same data; how long until it serves again, and whether the tree digest
// (mntr zk_digest) equals the one before. Needs `npm run build` first.
// Run: npx vitest run --config bench/vitest.config.mts bench/src/restart.bench.ts
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import zookeeper from 'node-zookeeper-client';
import { afterAll, it } from 'vitest';
import { benchDir, table } from './support';

const REPO_ROOT = resolve(__dirname, '../..');
const ZNODES = Number(process.env['BENCH_ZNODES'] ?? 100_000);
const IN_FLIGHT = 500;
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? ok(address.port) : fail(new Error('no port'))));
    });
  });
}

function fourLetterWord(port: number, word: string): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    const socket = tcpConnect({ host: '127.0.0.1', port }, () => socket.write(word));
    socket.setTimeout(2_000, () => socket.destroy(new Error('timeout')));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', fail);
    socket.on('close', () => ok(Buffer.concat(chunks).toString('utf8')));
  });
}

function mntr(text: string, key: string): string {
  return new RegExp(`^${key}\\t(.*)$`, 'm').exec(text)?.[1] ?? '';
}

function start(cfgPath: string, logPath: string): ChildProcess {
  const log = openSync(logPath, 'a');
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/coordinator.js'), cfgPath], { stdio: ['ignore', log, log] });
  closeSync(log);
  children.push(child);
  return child;
}

/** Milliseconds from now until ruok answers imok. */
async function untilServing(port: number, child: ChildProcess): Promise<number> {
  const startedMs = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`coordinator exited with ${child.exitCode}`);
    try {
      if ((await fourLetterWord(port, 'ruok')) === 'imok') return performance.now() - startedMs;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function createZnodes(port: number, count: number): Promise<void> {
  const client = zookeeper.createClient(`127.0.0.1:${port}`, { sessionTimeout: 30_000 });
  await new Promise<void>((ok) => {
    client.once('connected', () => ok());
    client.connect();
  });
  const create = (path: string): Promise<void> =>
    new Promise((ok, fail) => client.create(path, Buffer.from(`payload of ${path}`), zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT, (e) => (e ? fail(e) : ok())));
  for (let p = 0; p < count / 1_000; p++) await create(`/b${p}`);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      await create(`/b${Math.floor(i / 1_000)}/n${i}`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  client.close();
}

it('restart with 100,000 znodes', async () => {
  if (!existsSync(join(REPO_ROOT, 'dist/apps/coordinator/src/main.js'))) throw new Error('npm run build first');
  const dir = benchDir('restart');
  const dataDir = join(dir.path, 'data');
  mkdirSync(dataDir);
  const port = await freePort();
  const cfgPath = join(dir.path, 'zoo.cfg');
  writeFileSync(cfgPath, `tickTime=2000\ndataDir=${dataDir}\nclientPort=${port}\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n4lw.commands.whitelist=*\n`);
  const logPath = join(dir.path, 'coordinator.log');
  const rows: (string | number)[][] = [];

  let child = start(cfgPath, logPath);
  await untilServing(port, child);
  const createStartedMs = performance.now();
  await createZnodes(port, ZNODES);
  const createMs = performance.now() - createStartedMs;
  await new Promise((r) => setTimeout(r, 3_000)); // let the snapshot that snapCount triggered finish
  const before = await fourLetterWord(port, 'mntr');
  rows.push([`write ${ZNODES.toLocaleString('en')} znodes, one create each, ${IN_FLIGHT} in flight`, `${Math.round(createMs)} ms`, `${Math.round((ZNODES / createMs) * 1000)} creates/s, zxid ${mntr(before, 'zk_last_zxid')}`]);

  for (const round of ['SIGKILL, restart', 'SIGKILL again, restart']) {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const spawnedMs = performance.now();
    child = start(cfgPath, logPath);
    await untilServing(port, child);
    const servingMs = performance.now() - spawnedMs;
    const after = await fourLetterWord(port, 'mntr');
    const loaded = readFileSync(logPath, 'utf8').split('\n').filter((line) => line.includes('storage loaded')).at(-1) ?? '';
    const equal = mntr(after, 'zk_digest') === mntr(before, 'zk_digest') && mntr(after, 'zk_znode_count') === mntr(before, 'zk_znode_count');
    if (!equal) throw new Error(`digest before ${mntr(before, 'zk_digest')} after ${mntr(after, 'zk_digest')}`);
    rows.push([
      round,
      `${Math.round(servingMs)} ms from spawn to imok`,
      `digest equal (${mntr(after, 'zk_digest')}), ${mntr(after, 'zk_znode_count')} znodes; ${/snapshotZxid=\S+ txnsReplayed=\d+/.exec(loaded)?.[0]} loadMs=${/loadMs=(\d+)/.exec(loaded)?.[1]}`,
    ]);
  }
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  dir.remove();
  console.log(table(`Restart of a coordinator process with ${ZNODES.toLocaleString('en')} znodes`, ['what', 'figure', 'detail'], rows));
}, 600_000);
