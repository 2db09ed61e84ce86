// `npm run bench`: starts our coordinator and Apache ZooKeeper one after the other on loopback with the
// same zoo.cfg values, drives each with the same client from two client processes, writes bench/RESULTS.md.
// Flags: --smoke (or BENCH_SMOKE=1: a few seconds, checks the harness only), --ensemble (adds the
// 3-server rows), --znodes=N (memory and restart rows; default 100000), --systems=coordinator,zookeeper,
// --out=path (default bench/RESULTS.md; the smoke variant writes to a temp file), --json=path (raw figures),
// --rows=regex (only the rows whose name matches, e.g. --rows='setData 100 B|session churn'; for profiling),
// --repeat=N (N alternating repetitions, ours first then ZooKeeper first, …; each figure the median),
// --only=standalone|ensemble (one deployment, with --ensemble for the 3-server one; for profiling).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientPool } from './client-pool';
import { failover } from './failover';
import { DEPLOYMENTS, fullSettings, smokeSettings, type Deployment, type Settings } from './plan';
import { killAllServers } from './processes';
import { writeResults, type DeploymentResult } from './report';
import { loadRows, log, memoryAndRestart, sessionChurn, watchFanout } from './scenarios';
import { BENCH_ROOT, REPO_ROOT, SHARED_CONFIG, startCluster, ZOOKEEPER_HEAP, type SystemName } from './servers';
import { median, type Figure } from './stats';

const SYSTEMS: readonly SystemName[] = ['coordinator', 'zookeeper'];

interface Options {
  smoke: boolean;
  ensemble: boolean;
  znodes: number;
  systems: SystemName[];
  outPath: string;
  jsonPath: string | undefined;
  rows: RegExp | undefined;
  repeat: number;
  only: string | undefined;
}

function parseOptions(argv: readonly string[]): Options {
  const flag = (name: string): string | undefined => {
    const found = argv.find((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
    return found === undefined ? undefined : found.includes('=') ? found.slice(found.indexOf('=') + 1) : '';
  };
  for (const arg of argv) {
    if (!/^--(smoke|ensemble|znodes|systems|out|json|rows|repeat|only)(=.*)?$/.test(arg)) throw new Error(`unknown argument ${arg}`);
  }
  const smoke = flag('smoke') !== undefined || process.env['BENCH_SMOKE'] === '1';
  const systems = (flag('systems') ?? SYSTEMS.join(',')).split(',') as SystemName[];
  for (const system of systems) if (!SYSTEMS.includes(system)) throw new Error(`--systems: unknown system ${system}`);
  const znodes = Number(flag('znodes') ?? 100_000);
  if (!Number.isInteger(znodes) || znodes < 1_000) throw new Error('--znodes: an integer ≥ 1000');
  const repeat = Number(flag('repeat') ?? 1);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat: an integer ≥ 1');
  return {
    smoke,
    ensemble: flag('ensemble') !== undefined,
    znodes,
    systems,
    outPath: flag('out') ?? (smoke ? join(mkdtempSync(join(tmpdir(), 'zk-bench-smoke-')), 'RESULTS.md') : join(REPO_ROOT, 'bench/RESULTS.md')),
    jsonPath: flag('json'),
    repeat,
    only: flag('only'),
    rows: flag('rows') === undefined ? undefined : new RegExp(flag('rows') ?? ''),
  };
}

async function measure(system: SystemName, deployment: Deployment, settings: Settings, rows: RegExp | undefined): Promise<Figure[]> {
  const wanted = (name: string): boolean => rows === undefined || rows.test(name);
  const figures: Figure[] = [];
  const loadSettings = { ...settings, loadRows: settings.loadRows.filter((row) => wanted(row.label)) };
  if (loadSettings.loadRows.length > 0 || wanted('watch fan-out') || wanted('session churn')) {
    log(`${system}: starting ${deployment.label}`);
    const cluster = await startCluster(system, deployment.servers);
    const pool = await ClientPool.start(settings.clientProcesses);
    try {
      if (loadSettings.loadRows.length > 0) figures.push(...(await loadRows(cluster, pool, loadSettings)));
      if (wanted('watch fan-out')) {
        log(`${system}: watch fan-out`);
        figures.push(...(await watchFanout(cluster, pool, settings)));
      }
      if (wanted('session churn')) {
        log(`${system}: session churn`);
        figures.push(...(await sessionChurn(cluster, pool, settings)));
      }
    } finally {
      await pool.stop();
      await cluster.destroy();
    }
  }
  if (deployment.servers > 1 && wanted('failover')) {
    log(`${system}: failover, ${settings.failoverRuns} leader kills (fresh ensemble)`);
    const cluster = await startCluster(system, deployment.servers);
    try {
      figures.push(...(await failover(cluster, settings.failoverRuns)));
    } finally {
      await cluster.destroy();
    }
  }
  if (!wanted('memory') && !wanted('restart')) return figures;
  log(`${system}: memory and restart with ${settings.memory.znodes} znodes (fresh servers)`);
  const cluster = await startCluster(system, deployment.servers);
  const pool = await ClientPool.start(settings.clientProcesses);
  try {
    figures.push(...(await memoryAndRestart(cluster, pool, settings)));
  } finally {
    await pool.stop();
    await cluster.destroy();
  }
  return figures;
}

/** Per figure, the median over repetitions (figure lists of repetitions have the same rows in the same order). */
function medianFigures(repetitions: Figure[][]): Figure[] {
  const first = repetitions[0] ?? [];
  return first.map((figure, index) => {
    const values = repetitions.map((figures) => figures[index]?.value).filter((value): value is number => value !== undefined && !Number.isNaN(value));
    const notes = [...new Set(repetitions.map((figures) => figures[index]?.note).filter((note): note is string => note !== undefined))];
    return { ...figure, value: values.length === 0 ? undefined : median(values), note: notes.length === 0 ? undefined : notes.join('; ') };
  });
}

function describeSettings(settings: Settings, options: Options): string {
  return [
    `node-zookeeper-client from ${settings.clientProcesses} client processes (sessions spread evenly over them and over the servers)`,
    `each load row ${settings.warmupMs / 1_000} s warm-up then ${settings.durationMs / 1_000} s measured`,
    `"8 × 64 in flight" = 8 sessions each keeping 64 requests outstanding`,
    `fan-out ${settings.fanout.sessions} sessions × ${settings.fanout.watchersPerSession} getData watchers`,
    `churn ${settings.churn.durationMs / 1_000} s`,
    `memory on fresh servers with ${settings.memory.znodes} znodes (RSS from /proc after a ${settings.memory.settleMs / 1_000} s settle)`,
    options.repeat > 1 ? `${options.repeat} repetitions alternating which system goes first, each figure the median` : '',
    options.smoke ? 'SMOKE variant: figures mean nothing' : '',
  ]
    .filter((part) => part !== '')
    .join('; ');
}

function describeConfig(): string {
  const c = SHARED_CONFIG;
  return (
    `tickTime=${c.tickTimeMs} initLimit=${c.initLimitTicks} syncLimit=${c.syncLimitTicks} maxClientCnxns=${c.maxClientCnxns} ` +
    `minSessionTimeout=${c.minSessionTimeoutMs} maxSessionTimeout=${c.maxSessionTimeoutMs} snapCount=${c.snapCount} jute.maxbuffer=${c.juteMaxBufferBytes} ` +
    `forceSync=yes (ZooKeeper fsyncs its txn log before acknowledging; ours commits each batch with SQLite synchronous=FULL before replying); ` +
    `ZooKeeper: QuorumPeerMain, -Xmx${ZOOKEEPER_HEAP} (zkServer.sh's 1000m ran out of memory on the 512 KiB setData rows), default GC and JIT, log level warn; ours: node bin/coordinator.js, LOG_LEVEL=warn`
  );
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const settings = options.smoke ? smokeSettings() : fullSettings(options.znodes);
  const startedAt = new Date();
  const deployments = DEPLOYMENTS.filter(
    (deployment) =>
      (deployment.optIn === undefined || (deployment.optIn === '--ensemble' && options.ensemble)) &&
      (options.only === undefined || (options.only === 'ensemble') === deployment.servers > 1),
  );
  // Repetitions alternate which system goes first, so a change in the machine's load over a run does not
  // always favour the same side; each figure is the median over the repetitions.
  const runs = new Map<string, Figure[][]>();
  const failed = new Map<string, string>();
  const runKey = (deployment: Deployment, system: SystemName): string => `${deployment.label}/${system}`;
  for (let repetition = 0; repetition < options.repeat; repetition++) {
    const order = repetition % 2 === 0 ? SYSTEMS : [...SYSTEMS].reverse();
    for (const deployment of deployments) {
      for (const system of order) {
        const key = runKey(deployment, system);
        if (!deployment.systems[system].ready || !options.systems.includes(system) || failed.has(key)) continue;
        if (options.repeat > 1) log(`repetition ${repetition + 1} of ${options.repeat}`);
        try {
          runs.set(key, [...(runs.get(key) ?? []), await measure(system, deployment, settings, options.rows)]);
        } catch (error) {
          // One system failing (a server that died, say) is a result too: the report says so and the run goes on.
          const reason = error instanceof Error ? error.message : String(error);
          log(`${system}: FAILED: ${reason}`);
          failed.set(key, `FAILED: ${reason.split('\n')[0] ?? ''}`);
        }
      }
    }
  }
  const results: DeploymentResult[] = deployments.map((deployment) => {
    const systems = {} as DeploymentResult['systems'];
    for (const system of SYSTEMS) {
      const readiness = deployment.systems[system];
      const failure = failed.get(runKey(deployment, system));
      if (!readiness.ready) systems[system] = readiness;
      else if (!options.systems.includes(system)) systems[system] = { ready: false, reason: 'skipped (--systems)' };
      else if (failure !== undefined) systems[system] = { ready: false, reason: failure };
      else systems[system] = medianFigures(runs.get(runKey(deployment, system)) ?? []);
    }
    return { label: deployment.label, systems, notYetRows: deployment.notYetRows };
  });
  const failures = failed.size;
  const argv = process.argv.slice(2);
  const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}${process.env['BENCH_SMOKE'] === '1' ? ' (BENCH_SMOKE=1)' : ''}`;
  writeResults(
    options.outPath,
    results,
    {
      command,
      startedAt,
      durationS: (Date.now() - startedAt.getTime()) / 1_000,
      benchRoot: BENCH_ROOT,
      settingsSummary: describeSettings(settings, options),
      configSummary: describeConfig(),
    },
  );
  if (options.jsonPath !== undefined) writeFileSync(options.jsonPath, JSON.stringify({ results }, null, 2));
  log(`wrote ${options.outPath}`);
  if (failures > 0) throw new Error(`${failures} system(s) failed; see ${options.outPath}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    killAllServers();
    process.exit(1);
  },
);
