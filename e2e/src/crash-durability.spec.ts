// Durability under kill -9: a client writes continuously (sequential creates, versioned setData) and records
// every acknowledgement; the coordinator is killed with SIGKILL at random moments and restarted on the same
// data directory, again and again. Afterwards every acknowledged write is there with its data and version,
// no sequential name was handed out twice, and `coordinator-tools verify` finds the files whole.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import zookeeper, { type Client } from 'node-zookeeper-client';
import { afterAll, describe, expect, it } from 'vitest';
import { waitUntilServing } from './support/four-letter';
import { acquireServerLock, freePort, type ServerLock } from '@zk/sdk/testing';
import { startProcess, type ManagedProcess } from './support/processes';
import { REPO_ROOT } from './support/servers';
import { makeTempDir, type TempDir } from './support/tmp';
import { sleep, withTimeout } from './support/wait';
import { closeNodeZkClient } from '@zk/sdk/testing';

const KILLS = Number(process.env['CRASH_KILLS'] ?? 12);
const COUNTERS = 4;
const CREATES_IN_FLIGHT = 16;
const COORDINATOR_BIN = join(REPO_ROOT, 'bin/coordinator.js');
const TOOLS_BIN = join(REPO_ROOT, 'bin/coordinator-tools.js');
const COORDINATOR_MAIN = join(REPO_ROOT, 'dist/apps/coordinator/src/main.js');

/** What the client was told: the only things the server promised to keep. */
class Acknowledged {
  /** Sequential path → its data. */
  readonly creates = new Map<string, string>();
  /** Per counter: version → the data written at that version (acknowledged or still in flight at the crash). */
  readonly counterWrites: Map<number, string>[] = Array.from({ length: COUNTERS }, () => new Map());
  readonly counterVersionAcked: number[] = Array.from({ length: COUNTERS }, () => 0);
  readonly sequenceNumbers: number[] = [];
}

function connect(connectString: string): Promise<Client> {
  const client = zookeeper.createClient(connectString, { sessionTimeout: 4_000, spinDelay: 100, retries: 0 });
  return withTimeout(
    new Promise<Client>((resolve) => {
      client.once('connected', () => resolve(client));
      client.connect();
    }),
    10_000,
    `connect to ${connectString}`,
  ).catch((error: unknown) => {
    closeNodeZkClient(client);
    throw error;
  });
}

function call<T>(what: string, body: (done: (error: unknown, value?: T) => void) => void): Promise<T> {
  return withTimeout(
    new Promise<T>((resolve, reject) => body((error, value) => (error ? reject(error) : resolve(value as T)))),
    5_000,
    what,
  );
}

const counterPath = (k: number): string => `/crash/counter-${k}`;

/** Writes until `stop()`, recording what was acknowledged. Returns when stopped or the connection is gone. */
async function writeContinuously(client: Client, acked: Acknowledged, epoch: number, stop: () => boolean): Promise<void> {
  let failed = false;
  let token = 0;
  const creator = async (): Promise<void> => {
    while (!stop() && !failed) {
      const data = `e${epoch}-c${token++}`;
      try {
        const path = await call<string>('create', (done) => client.create('/crash/seq/item-', Buffer.from(data), zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT_SEQUENTIAL, done));
        acked.creates.set(path, data);
        acked.sequenceNumbers.push(Number(path.slice(path.lastIndexOf('-') + 1)));
      } catch {
        failed = true;
      }
    }
  };
  const updater = async (k: number): Promise<void> => {
    while (!stop() && !failed) {
      const version = acked.counterVersionAcked[k];
      const data = `e${epoch}-k${k}-v${version + 1}-${token++}`;
      acked.counterWrites[k].set(version + 1, data); // in flight: may or may not survive a crash
      let stat: { version: number };
      try {
        stat = await call<{ version: number }>('setData', (done) => client.setData(counterPath(k), Buffer.from(data), version, done));
      } catch {
        failed = true;
        return;
      }
      expect(stat.version).toBe(version + 1);
      acked.counterVersionAcked[k] = version + 1;
    }
  };
  await Promise.all([...Array.from({ length: CREATES_IN_FLIGHT }, creator), ...Array.from({ length: COUNTERS }, (_, k) => updater(k))]);
}

/** After a restart the counters may be one version ahead of the last acknowledgement (a write durable but not yet answered). */
async function resyncCounters(client: Client, acked: Acknowledged): Promise<void> {
  for (let k = 0; k < COUNTERS; k++) {
    const [data, stat] = await call<[Buffer | undefined, { version: number }]>('getData', (done) =>
      client.getData(counterPath(k), undefined, (error, value, s) => done(error, [value, s])),
    );
    expect(stat.version, `counter ${k} lost an acknowledged version`).toBeGreaterThanOrEqual(acked.counterVersionAcked[k]);
    expect(stat.version).toBeLessThanOrEqual(acked.counterVersionAcked[k] + 1);
    if (stat.version > 0) expect(String(data)).toBe(acked.counterWrites[k].get(stat.version));
    acked.counterVersionAcked[k] = stat.version;
  }
}

describe('crash durability: SIGKILL under continuous writes', () => {
  let temp: TempDir | undefined;
  let server: ManagedProcess | undefined;
  let lock: ServerLock | undefined;
  afterAll(async () => {
    await server?.stop();
    lock?.release();
    temp?.remove();
  });

  it(`keeps every acknowledged write across ${KILLS} kill -9 restarts`, async () => {
    if (!existsSync(COORDINATOR_MAIN)) throw new Error('build the coordinator first: npm run build');
    lock = await acquireServerLock(300_000);
    temp = makeTempDir('crash');
    const dataDir = join(temp.path, 'data');
    mkdirSync(dataDir);
    const port = await freePort();
    const cfgPath = join(temp.path, 'zoo.cfg');
    // A small snapCount so that snapshots (and crashes during them) happen many times in the run.
    writeFileSync(cfgPath, [`tickTime=500`, `dataDir=${dataDir}`, `clientPort=${port}`, 'clientPortAddress=127.0.0.1', 'admin.enableServer=false', '4lw.commands.whitelist=*', 'snapCount=300', 'maxSessionTimeout=8000', ''].join('\n'));
    const logPath = join(temp.path, 'coordinator.log');
    const start = async (): Promise<ManagedProcess> => {
      const started = startProcess({ name: `coordinator@${port}`, command: process.execPath, args: [COORDINATOR_BIN, cfgPath], cwd: REPO_ROOT, logPath });
      await waitUntilServing(port, { timeoutMs: 30_000, deathOf: () => started.deathOf() });
      return started;
    };
    const connectString = `127.0.0.1:${port}`;
    const acked = new Acknowledged();

    server = await start();
    let client = await connect(connectString);
    await call('mkdir', (done) => client.create('/crash', null, zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT, done));
    await call('mkdir', (done) => client.create('/crash/seq', null, zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT, done));
    for (let k = 0; k < COUNTERS; k++) {
      await call('counter', (done) => client.create(counterPath(k), Buffer.from('v0'), zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT, done));
      acked.counterWrites[k].set(0, 'v0');
    }

    for (let kill = 1; kill <= KILLS; kill++) {
      let stopped = false;
      const writing = writeContinuously(client, acked, kill, () => stopped);
      await sleep(300 + Math.floor(Math.random() * 1_200));
      process.kill(-server.pid, 'SIGKILL'); // the whole group: the timeout wrapper and the coordinator
      for (let i = 0; i < 100 && server.deathOf() === undefined; i++) await sleep(20);
      stopped = true;
      await writing;
      closeNodeZkClient(client); // it is reconnecting to the killed server

      server = await start();
      client = await connect(connectString);
      await resyncCounters(client, acked);
    }

    // Every acknowledged create is there with its data, version 0.
    const entries = [...acked.creates];
    for (let i = 0; i < entries.length; i += 200) {
      await Promise.all(
        entries.slice(i, i + 200).map(async ([path, data]) => {
          const [value, stat] = await call<[Buffer | undefined, { version: number }]>('getData', (done) => client.getData(path, undefined, (error, v, s) => done(error, [v, s])));
          expect(String(value), path).toBe(data);
          expect(stat.version, path).toBe(0);
        }),
      );
    }
    await resyncCounters(client, acked);
    expect(new Set(acked.sequenceNumbers).size, 'a sequential name was handed out twice').toBe(acked.sequenceNumbers.length);
    expect(acked.creates.size).toBeGreaterThan(KILLS * 20);
    client.close();

    await server.stop();
    const log = readFileSync(logPath, 'utf8');
    const snapshots = log.match(/snapshot taken/g)?.length ?? 0;
    console.log(`${KILLS} kills: ${acked.creates.size} acknowledged creates, counters at versions ${acked.counterVersionAcked.join(', ')}, ${snapshots} snapshots taken`);
    expect(log).not.toMatch(/transaction log damaged|snapshot is corrupt|cannot start/);
    expect(log).toMatch(/snapshot taken/);
    const verify = await promisify(execFile)(process.execPath, [TOOLS_BIN, 'verify', cfgPath]);
    expect(verify.stdout).toMatch(/verify: OK/);
  }, 300_000);

  it('refuses to start over a log file that is not a database: exit code 3 and the reason in the log', async () => {
    lock ??= await acquireServerLock(300_000);
    const refusedTemp = makeTempDir('refused');
    try {
      const dataDir = join(refusedTemp.path, 'data');
      mkdirSync(dataDir);
      writeFileSync(join(dataDir, 'txnlog.sqlite'), Buffer.alloc(16_384, 0x5a));
      const cfgPath = join(refusedTemp.path, 'zoo.cfg');
      writeFileSync(cfgPath, [`dataDir=${dataDir}`, `clientPort=${await freePort()}`, 'clientPortAddress=127.0.0.1', 'admin.enableServer=false', ''].join('\n'));
      const refused = startProcess({ name: 'refused', command: process.execPath, args: [COORDINATOR_BIN, cfgPath], cwd: REPO_ROOT, logPath: join(refusedTemp.path, 'coordinator.log') });
      for (let i = 0; i < 300 && refused.deathOf() === undefined; i++) await sleep(50);
      expect(refused.deathOf()).toMatch(/exited with code 3/);
      const log = readFileSync(join(refusedTemp.path, 'coordinator.log'), 'utf8');
      expect(log).toMatch(/cannot start: storage refused the data on disk.*is not a readable SQLite database/);
      expect(readFileSync(join(dataDir, 'txnlog.sqlite'))).toEqual(Buffer.alloc(16_384, 0x5a)); // left as it was
    } finally {
      refusedTemp.remove();
    }
  }, 60_000);
});
