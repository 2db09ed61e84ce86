// RESULTS.md: both systems' figures side by side with the ratio ours/ZooKeeper per row, the machine, the
// date and the command; the history section of the previous file is kept and a line is added per run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { Readiness } from './plan';
import type { SystemName } from './servers';
import type { Figure } from './stats';

export interface DeploymentResult {
  label: string;
  /** Figures per system, or why the system was not measured. */
  systems: Record<SystemName, Figure[] | Exclude<Readiness, { ready: true }>>;
  /** Rows the plan names but nobody measures yet (failover), shown as "not yet" in the table. */
  notYetRows: string[];
}

export interface RunInfo {
  command: string;
  startedAt: Date;
  durationS: number;
  benchRoot: string;
  settingsSummary: string;
  configSummary: string;
}

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return '?';
  }
}

function machine(benchRoot: string): string[] {
  const disk = run('df', ['--output=source,fstype', benchRoot]).split('\n')[1]?.trim().replace(/\s+/, ', ') ?? '?';
  const java = javaVersion();
  return [
    `- Machine: nproc ${run('nproc', [])}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB memory, ${cpus()[0]?.model ?? '?'}; load average at the end ${run('cat', ['/proc/loadavg']).split(' ').slice(0, 3).join(' ')} (shared machine: read ratios, not absolute figures)`,
    `- Software: Node ${process.version}, ${java}, Apache ZooKeeper 3.8.0 (Debian), node-zookeeper-client 1.1.3`,
    `- Data: ${benchRoot} (${disk})`,
  ];
}

function javaVersion(): string {
  // java -version writes to stderr.
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return result.status === 0 ? (result.stderr.split('\n')[0]?.trim() ?? 'Java ?') : 'Java ?';
}

function format(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1_000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

interface Comparison {
  figure: Figure;
  ours: Figure | undefined;
  theirs: Figure | undefined;
  ratio: number | undefined;
  atTarget: boolean | undefined;
}

function compare(result: DeploymentResult): { rows: Comparison[]; notes: string[] } {
  const ours = result.systems.coordinator;
  const theirs = result.systems.zookeeper;
  const notes: string[] = [];
  if (!Array.isArray(ours)) notes.push(`ours: ${ours.reason}`);
  if (!Array.isArray(theirs)) notes.push(`ZooKeeper: ${theirs.reason}`);
  const key = (figure: Figure): string => `${figure.row}\u0000${figure.metric}`;
  const template = Array.isArray(ours) ? ours : Array.isArray(theirs) ? theirs : [];
  const lookup = (figures: Figure[] | unknown, figure: Figure): Figure | undefined =>
    Array.isArray(figures) ? (figures as Figure[]).find((other) => key(other) === key(figure)) : undefined;
  const rows = template.map((figure) => {
    const a = lookup(ours, figure);
    const b = lookup(theirs, figure);
    const ratio = a?.value !== undefined && b?.value !== undefined && b.value !== 0 ? a.value / b.value : undefined;
    const atTarget = ratio === undefined || Number.isNaN(ratio) ? undefined : figure.better === 'higher' ? ratio >= 1 : ratio <= 1;
    return { figure, ours: a, theirs: b, ratio, atTarget };
  });
  return { rows, notes };
}

function cell(figure: Figure | undefined, fallback: string): string {
  if (figure === undefined) return fallback;
  return format(figure.value);
}

export function renderTables(results: readonly DeploymentResult[]): string {
  const out: string[] = [];
  for (const result of results) {
    const { rows, notes } = compare(result);
    out.push(`### ${result.label}`, '');
    for (const note of notes) out.push(`- ${note}`);
    if (notes.length > 0) out.push('');
    out.push('| workload | metric | ours | ZooKeeper | ours/ZooKeeper |', '| --- | --- | ---: | ---: | ---: |');
    let previousRow = '';
    for (const { figure, ours, theirs, ratio, atTarget } of rows) {
      const mark = atTarget === undefined ? '' : atTarget ? ' ✓' : ' ✗';
      const fallback = (figures: Figure[] | { reason: string }): string =>
        Array.isArray(figures) ? '—' : figures.reason.startsWith('FAILED') ? 'failed' : figures.reason.startsWith('skipped') ? 'skipped' : 'not yet';
      const oursFallback = fallback(result.systems.coordinator);
      const theirsFallback = fallback(result.systems.zookeeper);
      const noteText = [ours?.note && `ours: ${ours.note}`, theirs?.note && `ZooKeeper: ${theirs.note}`].filter(Boolean).join('; ');
      const rowLabel = figure.row === previousRow ? '' : figure.row;
      previousRow = figure.row;
      out.push(
        `| ${rowLabel} | ${figure.metric} (${figure.unit}, ${figure.better} is better)${noteText ? ` — ${noteText}` : ''} | ${cell(ours, oursFallback)} | ${cell(theirs, theirsFallback)} | ${ratio === undefined ? '—' : ratio.toFixed(2)}${mark} |`,
      );
    }
    for (const row of result.notYetRows) out.push(`| ${row} | — | not yet | not yet | — |`);
    out.push('');
  }
  return out.join('\n');
}

/** One line for the history: how many rows meet the target, and the geometric means of the ratios. */
export function summary(results: readonly DeploymentResult[]): string {
  const parts: string[] = [];
  for (const result of results) {
    const { rows } = compare(result);
    const rated = rows.filter((row) => row.atTarget !== undefined);
    if (rated.length === 0) continue;
    const geomean = (better: 'higher' | 'lower'): string => {
      const ratios = rated.filter((row) => row.figure.better === better).map((row) => row.ratio as number).filter((ratio) => ratio > 0);
      return ratios.length === 0 ? '—' : Math.exp(ratios.reduce((sum, ratio) => sum + Math.log(ratio), 0) / ratios.length).toFixed(2);
    };
    parts.push(
      `${result.label}: ${rated.filter((row) => row.atTarget).length} of ${rated.length} figures at target; geometric mean ours/ZooKeeper ${geomean('higher')} on higher-is-better figures, ${geomean('lower')} on lower-is-better`,
    );
  }
  return parts.length === 0 ? 'no figure measured on both systems' : parts.join('; ');
}

const HISTORY_HEADING = '## History';

export function writeResults(path: string, results: readonly DeploymentResult[], info: RunInfo): void {
  const previous = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const historyStart = previous.indexOf(`\n${HISTORY_HEADING}\n`);
  const historyBody = historyStart >= 0 ? previous.slice(historyStart + HISTORY_HEADING.length + 2).trim() : '';
  const commit = run('git', ['rev-parse', '--short', 'HEAD']);
  const dirty = run('git', ['status', '--porcelain', '--untracked-files=no']) === '' ? '' : ' + uncommitted changes';
  const when = info.startedAt.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const entry = `- ${when}, ${commit}${dirty}, \`${info.command}\` (${info.durationS.toFixed(0)} s): ${summary(results)}.`;
  const text = [
    '# Side-by-side benchmark: our coordinator and Apache ZooKeeper 3.8',
    '',
    `Written by \`${info.command}\` — everything above "History" is regenerated by each run; the history keeps`,
    'one line per run and any notes added by hand. Ratios are ours/ZooKeeper; ✓ marks a figure at the target',
    '(throughput ≥ 1.0, latency, time and memory ≤ 1.0). The machine is shared and noisy: compare ratios of one run.',
    '',
    `- Date: ${when}, run took ${info.durationS.toFixed(0)} s`,
    `- Command: \`${info.command}\``,
    ...machine(info.benchRoot),
    `- Both servers: ${info.configSummary}`,
    `- Workload: ${info.settingsSummary}`,
    '',
    '## Results',
    '',
    renderTables(results),
    ...(results.some((result) => result.label.includes('ensemble')) ? [] : ['- The 3-server rows (load, fan-out, churn, memory, failover) are measured with `--ensemble`.']),
    '',
    HISTORY_HEADING,
    '',
    entry,
    ...(historyBody === '' ? [] : [historyBody]),
    '',
  ].join('\n');
  writeFileSync(path, text);
}
