// `npm run bench:outliers -- [--rows=REGEX] [--op=OP] [--shape=8x4/524288] [--top=N] [--slower-than=MS] [--standalone]`: what our servers did
// while the slowest requests of a row waited. Runs the side-by-side benchmark's rows (ours only; 3-server
// unless --standalone) with server-probe.ts loaded into every server and the clients logging requests slower
// than the threshold, samples each server's main thread in /proc (schedstat: time on a CPU, time runnable but
// waiting for one) every few ms, then prints, for the slowest requests (of one op with --op), each server's
// share of the window. A shape is one client process's part of a row: sessions × in flight / value bytes.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monotonicMs } from '../side-by-side/protocol';
import { formatOutliers, parseServerProbe, parseSlowRequests, type SchedSample, type ServerTrace } from './analyze';

const SAMPLE_EVERY_MS = 3;
/** Servers (their probe's log files) are looked for on one sampling tick in this many, not on every one. */
const DISCOVER_EVERY_TICKS = 30;
const argument = (name: string): string | undefined => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const rows = argument('rows') ?? '512 KiB';
const op = argument('op');
const shape = argument('shape');
const top = Number(argument('top') ?? 8);
const slowerThanMs = Number(argument('slower-than') ?? 20);
const standalone = process.argv.includes('--standalone');

/** Main-thread counters of one process, or undefined once it is gone. */
function readSched(pid: number, atMs: number): SchedSample | undefined {
  try {
    const [runNs, queuedNs] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ');
    return { atMs, runMs: Number(runNs) / 1e6, queuedMs: Number(queuedNs) / 1e6 };
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'zk-outliers-'));
  const probe = join(__dirname, 'server-probe.js');
  const startedMs = monotonicMs();
  const bench = spawn(
    process.execPath,
    [join(__dirname, '../side-by-side/main.js'), ...(standalone ? [] : ['--ensemble', '--only=ensemble']), '--systems=coordinator', `--rows=${rows}`, `--out=${join(directory, 'RESULTS.md')}`],
    {
      env: { ...process.env, BENCH_OUTLIER_DIR: directory, BENCH_OUTLIER_MS: String(slowerThanMs), BENCH_COORDINATOR_NODE_FLAGS: `${process.env['BENCH_COORDINATOR_NODE_FLAGS'] ?? ''} -r ${probe}`.trim() },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const samples = new Map<number, SchedSample[]>();
  let ticks = 0;
  const sampler = setInterval(() => {
    if (ticks++ % DISCOVER_EVERY_TICKS === 0) {
      for (const name of readdirSync(directory)) {
        const match = /^server-(\d+)\.log$/.exec(name);
        if (match && !samples.has(Number(match[1]))) samples.set(Number(match[1]), []);
      }
    }
    const atMs = monotonicMs();
    for (const [pid, list] of samples) {
      const sample = readSched(pid, atMs);
      if (sample) list.push(sample);
    }
  }, SAMPLE_EVERY_MS);
  const exitCode = await new Promise<number | null>((resolve) => bench.on('exit', resolve));
  clearInterval(sampler);
  if (exitCode !== 0) throw new Error(`the benchmark failed (exit ${exitCode}); its files are in ${directory}`);

  const requests = readdirSync(directory)
    .filter((name) => /^client-\d+\.log$/.test(name))
    .flatMap((name) => parseSlowRequests(readFileSync(join(directory, name), 'utf8')))
    .filter((request) => (op === undefined || request.op === op) && (shape === undefined || request.shape === shape));
  const servers: ServerTrace[] = [...samples].map(([pid, sched]) => {
    const { clientPort, pauses } = parseServerProbe(readFileSync(join(directory, `server-${pid}.log`), 'utf8'));
    return { pid, clientPort, pauses, sched };
  });
  const table = formatOutliers(requests, servers, top, startedMs);
  process.stdout.write(
    `\nThe ${Math.min(top, requests.length)} slowest of ${requests.length} ${[op, shape].filter((x) => x !== undefined).join(' ')} requests over ${slowerThanMs} ms (rows /${rows}/, ours, ${standalone ? 'standalone' : '3-server'}).\n` +
      `Per server, inside each request's window: main thread on a CPU / runnable but waiting for a CPU / in GC pauses /\n` +
      `in event-loop lags (a timer due every 2 ms that ran late); * marks the request's own server. Time 0 is the start.\n\n` +
      `${table}\n\nFiles: ${directory}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
