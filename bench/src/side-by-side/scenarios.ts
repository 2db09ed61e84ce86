// The workloads, each run against one started cluster through the client processes, each returning figures.
import type { ClientPool } from './client-pool';
import type { LoadRow, Settings } from './plan';
import { fourLetterWord, type Cluster } from './servers';
import { loadFigures, median, mergeSorted, type Figure } from './stats';

const MIB = 1024 * 1024;

/** Progress on stderr, so a long run shows where it is. */
export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function errorNote(errors: number, firstError: string | undefined): string | undefined {
  return errors === 0 ? undefined : `${errors} errors, first: ${firstError ?? '?'}`;
}

/** Fails fast (with the server's log) when a server died, instead of waiting on requests nobody answers. */
export function assertAlive(cluster: Cluster): void {
  for (const member of cluster.members) {
    const death = member.process().deathOf();
    if (death !== undefined) throw new Error(`${cluster.system} server ${member.myid} died: ${death}`);
  }
}

function connectStrings(cluster: Cluster): string[] {
  return cluster.members.map((member) => member.connectString);
}

/** Runs every load row (create, setData, getData, mix; small and large values) on one set of sessions. */
export async function loadRows(cluster: Cluster, pool: ClientPool, settings: Settings): Promise<Figure[]> {
  const sessionsMax = Math.max(...settings.loadRows.map((row) => row.sessions));
  await pool.connect(connectStrings(cluster), sessionsMax);
  const sdkRows = settings.loadRows.filter((row) => row.library === 'sdk');
  // The SDK's sessions sit beside node-zookeeper-client's, on the same servers in the same order.
  if (sdkRows.length > 0) await pool.connect(connectStrings(cluster), Math.max(...sdkRows.map((row) => row.sessions)), 'sdk');
  const keyPaths = (process: number, valueBytes: number): string[] =>
    Array.from({ length: pool.share(sessionsMax, process) }, (_, s) => `/bench/${valueBytes > 1_000 ? 'large' : 'small'}-p${process}-s${s}`);
  const first = pool.processes[0];
  if (first === undefined) throw new Error('no client process');
  await first.request({ type: 'ensure', paths: ['/bench', ...settings.loadRows.map((_, index) => `/bench/create-${index}`)], valueBytes: 0 }, 'ensured');
  const valueSizes = [...new Set(settings.loadRows.map((row) => row.valueBytes))];
  for (const valueBytes of valueSizes) {
    const holders = pool.processes.filter((worker) => pool.share(sessionsMax, worker.index) > 0);
    await Promise.all(holders.map((worker) => worker.request({ type: 'ensure', paths: keyPaths(worker.index, valueBytes), valueBytes }, 'ensured')));
  }
  const figures: Figure[] = [];
  for (const [index, row] of settings.loadRows.entries()) {
    log(`${cluster.system}: ${row.label}`);
    assertAlive(cluster);
    figures.push(...(await loadRow(pool, settings, row, `/bench/create-${index}`, keyPaths)));
  }
  await pool.close();
  return figures;
}

async function loadRow(pool: ClientPool, settings: Settings, row: LoadRow, parentPath: string, keyPaths: (process: number, valueBytes: number) => string[]): Promise<Figure[]> {
  const replies = await Promise.all(
    pool.processes
      .filter((worker) => pool.share(row.sessions, worker.index) > 0)
      .map((worker) =>
        worker.request(
          {
            type: 'load',
            op: row.op,
            sessionsUsed: pool.share(row.sessions, worker.index),
            inFlightPerSession: row.inFlightPerSession,
            warmupMs: settings.warmupMs,
            durationMs: settings.durationMs,
            valueBytes: row.valueBytes,
            parentPath,
            keyPaths: keyPaths(worker.index, row.valueBytes),
            readFraction: 0.9,
            library: row.library,
          },
          'loaded',
        ),
      ),
  );
  const ops = replies.reduce((sum, reply) => sum + reply.ops, 0);
  const errors = replies.reduce((sum, reply) => sum + reply.errors, 0);
  const figures = loadFigures(row.label, ops, settings.durationMs, mergeSorted(replies.map((reply) => reply.latenciesMs)));
  const note = errorNote(errors, replies.find((reply) => reply.firstError !== undefined)?.firstError);
  if (note !== undefined) for (const figure of figures) figure.note = note;
  return figures;
}

/** Watchers on one znode across many sessions, one setData: time until the last event has arrived. */
export async function watchFanout(cluster: Cluster, pool: ClientPool, settings: Settings): Promise<Figure[]> {
  const { sessions, watchersPerSession, rounds } = settings.fanout;
  await pool.connect(connectStrings(cluster), sessions);
  const path = '/bench-fanout';
  const first = pool.processes[0];
  if (first === undefined) throw new Error('no client process');
  await first.request({ type: 'ensure', paths: [path], valueBytes: 100 }, 'ensured');
  assertAlive(cluster);
  const times: number[] = [];
  let events = 0;
  for (let round = 0; round < rounds; round++) {
    const holders = pool.processes.filter((worker) => pool.share(sessions, worker.index) > 0);
    await Promise.all(holders.map((worker) => worker.request({ type: 'arm', path, watchersPerSession }, 'armed')));
    const fired = await first.request({ type: 'fire', path, valueBytes: 100 }, 'fired');
    const watched = await Promise.all(holders.map((worker) => worker.next('watched', 60_000)));
    events = watched.reduce((sum, reply) => sum + reply.events, 0);
    times.push(Math.max(...watched.map((reply) => reply.lastEventAtMs)) - fired.sentAtMs);
  }
  await pool.close();
  const row = `watch fan-out: ${(sessions * watchersPerSession).toLocaleString('en-US')} watchers on one znode, ${sessions} sessions, one setData`;
  const note = events === sessions * watchersPerSession ? undefined : `${events} of ${sessions * watchersPerSession} events arrived`;
  return [
    { row, metric: `time to last event, median of ${rounds}`, unit: 'ms', better: 'lower', value: median(times), note },
    { row, metric: `time to last event, worst of ${rounds}`, unit: 'ms', better: 'lower', value: Math.max(...times), note },
  ];
}

/** Connect + close cycles per second from concurrent loops in every client process. */
export async function sessionChurn(cluster: Cluster, pool: ClientPool, settings: Settings): Promise<Figure[]> {
  const { loopsPerProcess, warmupMs, durationMs } = settings.churn;
  assertAlive(cluster);
  const replies = await Promise.all(
    pool.processes.map((worker) => worker.request({ type: 'churn', connectStrings: connectStrings(cluster), loops: loopsPerProcess, warmupMs, durationMs }, 'churned')),
  );
  const cycles = replies.reduce((sum, reply) => sum + reply.cycles, 0);
  const errors = replies.reduce((sum, reply) => sum + reply.errors, 0);
  const row = `session churn: connect + close, ${loopsPerProcess * pool.processes.length} loops`;
  const figures = loadFigures(row, cycles, durationMs, mergeSorted(replies.map((reply) => reply.latenciesMs)), 'sessions/s');
  const note = errorNote(errors, replies.find((reply) => reply.firstError !== undefined)?.firstError);
  if (note !== undefined) for (const figure of figures) figure.note = note;
  return figures;
}

async function nodeCount(port: number): Promise<number> {
  const match = /^Node count: (\d+)$/m.exec(await fourLetterWord(port, 'srvr', 5_000));
  return match === null ? Number.NaN : Number(match[1]);
}

/** RSS per server before and after N znodes of 100 B, then SIGKILL and the time until it serves again. */
export async function memoryAndRestart(cluster: Cluster, pool: ClientPool, settings: Settings): Promise<Figure[]> {
  const { znodes, valueBytes, sessions, inFlightPerSession, settleMs } = settings.memory;
  const count = znodes.toLocaleString('en-US');
  await pool.connect(connectStrings(cluster), sessions);
  const rssIdle = cluster.members.map((member) => member.rssBytes());
  const first = pool.processes[0];
  if (first === undefined) throw new Error('no client process');
  const parents = Math.ceil(znodes / 1_000);
  await first.request({ type: 'ensure', paths: Array.from({ length: parents }, (_, p) => `/m${p}`), valueBytes: 0 }, 'ensured');
  const startedMs = performance.now();
  let next = 0;
  const replies = await Promise.all(
    pool.processes.map((worker) => {
      const share = Math.floor(znodes / pool.processes.length) + (worker.index < znodes % pool.processes.length ? 1 : 0);
      const command = { type: 'populate' as const, prefix: 'm', first: next, count: share, inFlightPerSession, valueBytes };
      next += share;
      return worker.request(command, 'populated', 1_800_000);
    }),
  );
  const populateMs = performance.now() - startedMs;
  assertAlive(cluster);
  const errors = replies.reduce((sum, reply) => sum + reply.errors, 0);
  await pool.close();
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const rssLoaded = cluster.members.map((member) => member.rssBytes());
  const nodesBefore = await nodeCount(cluster.members[0]?.clientPort ?? 0);
  const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
  const memoryRow = `memory: ${count} znodes of ${valueBytes} B`;
  const loadNote = errorNote(errors, replies.find((reply) => reply.firstError !== undefined)?.firstError);
  const figures: Figure[] = [
    { row: memoryRow, metric: `populate, ${sessions} × ${inFlightPerSession} creates in flight`, unit: 'creates/s', better: 'higher', value: (znodes / populateMs) * 1_000, note: loadNote },
    { row: memoryRow, metric: 'RSS per server before', unit: 'MiB', better: 'lower', value: mean(rssIdle) / MIB },
    { row: memoryRow, metric: 'RSS per server after', unit: 'MiB', better: 'lower', value: mean(rssLoaded) / MIB },
    { row: memoryRow, metric: 'RSS growth per znode', unit: 'B', better: 'lower', value: (mean(rssLoaded) - mean(rssIdle)) / znodes },
  ];
  await Promise.all(cluster.members.map((member) => member.stop('SIGKILL')));
  const restartMs = Math.max(...(await Promise.all(cluster.members.map((member) => member.start()))));
  const nodesAfter = await nodeCount(cluster.members[0]?.clientPort ?? 0);
  figures.push({
    row: `restart with ${count} znodes (SIGKILL, then start)`,
    metric: 'spawn → serving',
    unit: 'ms',
    better: 'lower',
    value: restartMs,
    note: nodesAfter === nodesBefore ? undefined : `node count ${nodesBefore} before, ${nodesAfter} after`,
  });
  return figures;
}
