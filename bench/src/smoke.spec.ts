// The side-by-side benchmark's smoke variant, run by the normal test suite: checks that the harness still
// works end to end (both servers start, every row is produced, RESULTS.md is written). It asserts nothing
// about speed. Needs the coordinator built (npm test builds first) and Apache ZooKeeper installed.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentResult } from './side-by-side/report';

const REPO_ROOT = resolve(__dirname, '../..');
const HARNESS = join(REPO_ROOT, 'dist/bench/side-by-side/main.js');
const RUN_TIMEOUT_MS = 150_000;
const temp = mkdtempSync(join(tmpdir(), 'zk-bench-smoke-spec-'));

afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Runs the harness in its own process group; on the deadline the whole group (servers included) is stopped. */
function runSmoke(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, [HARNESS, ...args], {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BENCH_SERVER_MAX_LIFETIME_S: String(RUN_TIMEOUT_MS / 1_000 + 30) },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const signalGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const term = setTimeout(() => {
      output += `\n(smoke run exceeded ${RUN_TIMEOUT_MS} ms: stopped)`;
      signalGroup('SIGTERM');
    }, RUN_TIMEOUT_MS);
    const kill = setTimeout(() => signalGroup('SIGKILL'), RUN_TIMEOUT_MS + 10_000);
    child.once('exit', (code) => {
      clearTimeout(term);
      clearTimeout(kill);
      ok({ code, output });
    });
  });
}

describe('side-by-side benchmark, smoke variant', () => {
  const outPath = join(temp, 'RESULTS.md');
  const jsonPath = join(temp, 'results.json');
  let run: { code: number | null; output: string };

  beforeAll(async () => {
    if (!existsSync(join(REPO_ROOT, 'dist/apps/coordinator/src/main.js'))) throw new Error('build the coordinator first: npm run build');
    execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(REPO_ROOT, 'bench/tsconfig.json')], { cwd: REPO_ROOT, stdio: 'pipe' });
    run = await runSmoke(['--smoke', `--out=${outPath}`, `--json=${jsonPath}`]);
  }, RUN_TIMEOUT_MS + 60_000);

  it('runs both servers through every workload and exits cleanly', () => {
    expect(run.code, run.output).toBe(0);
  });

  it('produces every row for both systems, with a figure and no client errors', () => {
    const { results } = JSON.parse(readFileSync(jsonPath, 'utf8')) as { results: DeploymentResult[] };
    const standalone = results.find((result) => result.label === 'standalone');
    const ours = standalone?.systems.coordinator;
    const theirs = standalone?.systems.zookeeper;
    if (!Array.isArray(ours) || !Array.isArray(theirs)) throw new Error(`standalone was not measured on both: ${JSON.stringify(standalone)}`);
    const names = (figures: typeof ours): string[] => figures.map((figure) => `${figure.row} / ${figure.metric}`);
    expect(names(ours)).toEqual(names(theirs));
    for (const row of ['create (sequential)', 'setData', 'getData', '90/10', '512 KiB', 'watch fan-out', 'session churn', 'memory', 'restart']) {
      expect(ours.some((figure) => figure.row.startsWith(row) || figure.row.includes(row)), row).toBe(true);
    }
    for (const figure of [...ours, ...theirs]) {
      expect(Number.isFinite(figure.value), `${figure.row} / ${figure.metric}`).toBe(true);
      expect(figure.note, `${figure.row} / ${figure.metric}`).toBeUndefined();
    }
  });

  it('writes RESULTS.md with the table, the machine, the command and a history line', () => {
    const text = readFileSync(outPath, 'utf8');
    expect(text).toContain('| workload | metric | ours | ZooKeeper | ours/ZooKeeper |');
    expect(text).toMatch(/Machine: nproc \d+/);
    expect(text).toContain('--smoke');
    expect(text).toContain('--ensemble');
    expect(text).toMatch(/## History\n\n- \d{4}-\d\d-\d\d/);
  });
});

describe('side-by-side benchmark, smoke variant of the 3-server failover row', () => {
  const outPath = join(temp, 'RESULTS-failover.md');
  const jsonPath = join(temp, 'results-failover.json');
  let run: { code: number | null; output: string };

  beforeAll(async () => {
    run = await runSmoke(['--smoke', '--ensemble', '--rows=failover', `--out=${outPath}`, `--json=${jsonPath}`]);
  }, RUN_TIMEOUT_MS + 60_000);

  it('kills the leader of a 3-server ensemble of each system and times the first write through a survivor', () => {
    expect(run.code, run.output).toBe(0);
    const { results } = JSON.parse(readFileSync(jsonPath, 'utf8')) as { results: DeploymentResult[] };
    const ensemble = results.find((result) => result.label === '3-server ensemble');
    for (const system of ['coordinator', 'zookeeper'] as const) {
      const figures = ensemble?.systems[system];
      if (!Array.isArray(figures)) throw new Error(`${system} failover was not measured: ${JSON.stringify(figures)}`);
      const times = figures.filter((figure) => figure.row.startsWith('failover'));
      expect(times.length, system).toBe(2);
      for (const figure of times) expect(figure.value, `${system} ${figure.metric}`).toBeGreaterThan(0);
    }
  });
});
