// `npm run bench:timeline`: where a 3-server 1 × 1 write of ours spends its time. Runs the side-by-side
// benchmark's 3-server setData and create 1 × 1 rows (ours only; a fresh ensemble per row) with the servers'
// timelines on (ZK_TIMELINE_DIR), then prints each step's offset from the request's bytes being read at the
// client's server (a follower, as in the benchmark) to the reply, beside the client's own p50.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeploymentResult } from '../side-by-side/report';
import { formatProfile, parseTimeline, profileWritePath, type TimelineEvent } from './analyze';

const ROWS = ['setData 100 B, 1 × 1 in flight', 'create (sequential) 100 B, 1 × 1 in flight'];
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function profileRow(row: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'zk-timeline-'));
  const jsonPath = join(directory, 'figures.json');
  const bench = spawnSync(
    process.execPath,
    [join(__dirname, '../side-by-side/main.js'), '--ensemble', '--only=ensemble', '--systems=coordinator', `--rows=^${escapeRegExp(row)}$`, `--out=${join(directory, 'RESULTS.md')}`, `--json=${jsonPath}`],
    { env: { ...process.env, ZK_TIMELINE_DIR: directory }, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (bench.status !== 0) throw new Error(`the benchmark failed (exit ${bench.status}); its files are in ${directory}`);
  const servers = new Map<string, TimelineEvent[]>();
  for (const file of readdirSync(directory).filter((name) => /^timeline-\d+\.log$/.test(name))) {
    servers.set(file, parseTimeline(readFileSync(join(directory, file), 'utf8')));
  }
  const { results } = JSON.parse(readFileSync(jsonPath, 'utf8')) as { results: DeploymentResult[] };
  const figures = results.flatMap((result) => (Array.isArray(result.systems.coordinator) ? result.systems.coordinator : []));
  const clientP50 = figures.find((figure) => figure.row === row && figure.metric.startsWith('p50'))?.value;
  const measured = clientP50 === undefined ? '' : `\n\nThe client measured p50 ${(clientP50 * 1000).toFixed(0)} µs (the difference is its own socket round trip).`;
  return `${formatProfile(`3-server ${row}`, profileWritePath(servers))}${measured}\n\nFiles: ${directory}`;
}

for (const row of ROWS) process.stdout.write(`\n${profileRow(row)}\n`);
