// The log alone: txns/s through group commit into SQLite with synchronous=FULL, for a range of appends
// in flight (1 = one client waiting for each ack; 1,000 = many clients), in WAL and rollback-journal modes.
// Run: npx vitest run --config bench/vitest.config.mts bench/src/log-throughput.bench.ts
import { it } from 'vitest';
// eslint-disable-next-line @nx/enforce-module-boundaries -- an in-process storage benchmark measures the coordinator's own classes
import { GroupCommitLog } from '../../apps/coordinator/src/storage/group-commit-log';
// eslint-disable-next-line @nx/enforce-module-boundaries -- an in-process storage benchmark measures the coordinator's own classes
import { LogStore } from '../../apps/coordinator/src/storage/log-store';
// eslint-disable-next-line @nx/enforce-module-boundaries -- an in-process storage benchmark measures the coordinator's own classes
import type { JournalMode } from '../../apps/coordinator/src/storage/database';
import { benchDir, createTxns, table } from './support';

const DURATION_MS = Number(process.env['BENCH_DURATION_MS'] ?? 3_000);

async function run(journalMode: JournalMode, inFlight: number): Promise<(string | number)[]> {
  const dir = benchDir('log');
  const store = await LogStore.open(dir.path, { journalMode });
  const log = new GroupCommitLog(store, 0n);
  const txns = createTxns(10_000_000);
  const latencies: number[] = [];
  const deadline = performance.now() + DURATION_MS;
  let appended = 0;
  const client = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const { value } = txns.next();
      const { header, txn } = value as { header: Parameters<GroupCommitLog['append']>[0]; txn: Parameters<GroupCommitLog['append']>[1] };
      const startedMs = performance.now();
      await log.append(header, txn);
      latencies.push(performance.now() - startedMs);
      appended++;
    }
  };
  const startedMs = performance.now();
  await Promise.all(Array.from({ length: inFlight }, client));
  const elapsedMs = performance.now() - startedMs;
  await log.close();
  await store.close();
  dir.remove();
  latencies.sort((a, b) => a - b);
  const pct = (p: number): string => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(2);
  return [
    journalMode.toUpperCase(),
    inFlight,
    Math.round((appended / elapsedMs) * 1000),
    (log.stats.txns / log.stats.batches).toFixed(1),
    pct(0.5),
    pct(0.99),
  ];
}

it('log throughput', async () => {
  const rows: (string | number)[][] = [];
  for (const mode of ['wal', 'delete'] as JournalMode[]) {
    for (const inFlight of [1, 10, 100, 1_000]) rows.push(await run(mode, inFlight));
  }
  console.log(table('Transaction log alone (synchronous=FULL)', ['journal', 'appends in flight', 'txns/s', 'txns per commit', 'p50 ms', 'p99 ms'], rows));
});
