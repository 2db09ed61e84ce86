// Results of a nightly-size run: each scenario run appends one JSON line to a file shared by the run's test
// files (FAULTS_RESULTS_RUN names it), and e2e/RESULTS.md is re-rendered from all lines so far, so the last
// file to finish leaves the whole table. CI does not set FAULTS_RESULTS_RUN and writes nothing.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, hostname, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/servers';

export interface RunSummary {
  scenario: string;
  seed: number;
  runMs: number;
  registerOps: number;
  creates: number;
  unknown: number;
  sessions: number;
  expiredSessions: number;
  /** What the scenario did to the ensemble, in order. */
  faults: string[];
  violations: string[];
  /** The checker's verdict: linearizable, not-linearizable or unknown (search budget spent). */
  verdict: string;
}

const runId = process.env['FAULTS_RESULTS_RUN'];

function resultsFile(): string | undefined {
  return runId === undefined ? undefined : join(tmpdir(), `zk-faults-results-${runId}.jsonl`);
}

export function recordRun(summary: RunSummary): void {
  const file = resultsFile();
  if (file === undefined) return;
  appendFileSync(file, `${JSON.stringify(summary)}\n`);
  writeFileSync(join(REPO_ROOT, 'e2e/RESULTS.md'), renderResults(readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as RunSummary)));
}

/** The checked-out commit, read from .git without running git. */
function commitOf(root: string): string {
  try {
    const head = readFileSync(join(root, '.git/HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = head.slice(5);
    const loose = join(root, '.git', ref);
    if (existsSync(loose)) return `${readFileSync(loose, 'utf8').trim()} (${ref})`;
    const packed = readFileSync(join(root, '.git/packed-refs'), 'utf8').split('\n').find((line) => line.endsWith(` ${ref}`));
    return packed ? `${packed.split(' ')[0]} (${ref})` : `unknown (${ref})`;
  } catch {
    return 'unknown';
  }
}

export function renderResults(runs: readonly RunSummary[]): string {
  const byScenario = new Map<string, RunSummary[]>();
  for (const run of runs) byScenario.set(run.scenario, [...(byScenario.get(run.scenario) ?? []), run]);
  const cpu = cpus();
  const rows = [...byScenario].map(([scenario, list]) => {
    const sum = (f: (r: RunSummary) => number): number => list.reduce((n, r) => n + f(r), 0);
    const violations = sum((r) => r.violations.length);
    const verdicts = [...new Set(list.map((r) => r.verdict))].join(', ');
    return `| ${scenario} | ${list.length} | ${list.map((r) => r.seed).join(' ')} | ${sum((r) => r.registerOps)} + ${sum((r) => r.creates)} | ${sum((r) => r.unknown)} | ${sum((r) => r.faults.length)} | ${sum((r) => r.expiredSessions)} | ${verdicts} | ${violations} | ${(Math.max(...list.map((r) => r.runMs)) / 1000).toFixed(1)} |`;
  });
  const details = runs
    .filter((r) => r.violations.length > 0)
    .map((r) => `### ${r.scenario}, seed ${r.seed}\n\nreplay: \`FAULTS_SEED=${r.seed} npx vitest run e2e/src/faults/${r.scenario}.spec.ts\`\n\n${r.violations.map((v) => `\`\`\`\n${v}\n\`\`\``).join('\n\n')}`);
  const faultSamples = [...byScenario].map(([scenario, list]) => `- **${scenario}** (seed ${list[0].seed}): ${list[0].faults.join('; ') || '(none)'}`);
  return [
    '# Fault-injection results (nightly size)',
    '',
    'Written by `npm run test:faults:nightly` (e2e/src/faults/results.ts) from a real run; do not edit by hand.',
    '',
    `- date: ${new Date().toISOString()}`,
    `- commit: ${commitOf(REPO_ROOT)}`,
    `- machine: ${hostname()}, ${cpu.length} × ${cpu[0]?.model ?? 'unknown cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Linux ${release()}, Node ${process.version}`,
    `- settings: FAULTS_NIGHTLY=${process.env['FAULTS_NIGHTLY'] ?? ''} FAULTS_RUNS=${process.env['FAULTS_RUNS'] ?? '(default 4)'} FAULTS_DURATION_FACTOR=${process.env['FAULTS_DURATION_FACTOR'] ?? '(default 2)'}`,
    '',
    'Operations are register operations (write, cas, sync+read) + sequential creates; unknown counts both',
    '(timeouts and connection loss). A violation is one failed invariant of one run (lost acknowledged write,',
    'non-linearizable history, sequence order, ephemeral of an ended session still present, digest mismatch).',
    '',
    '| scenario | runs | seeds | operations | unknown outcomes | timeline events (faults, heals, elections) | sessions expired | checker verdicts | violations | longest run (s) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '## Faults of the first run of each scenario',
    '',
    ...faultSamples,
    '',
    '## Violations',
    '',
    details.length > 0 ? details.join('\n\n') : 'None.',
    '',
  ].join('\n');
}
