// Snapshots with 100,000 znodes: how long serializing would stall the serving thread if done inline, and
// the longest stall of the serving thread while the worker snapshots under a steady write load; then the
// time to load that data again (snapshot + log, and log alone).
// Run: npx vitest run --config bench/vitest.config.mts bench/src/snapshot-pause.bench.ts
import { PerformanceObserver } from 'node:perf_hooks';
import { it } from 'vitest';
import type { Txn, TxnHeader } from '@zk/datatree';
// eslint-disable-next-line @nx/enforce-module-boundaries -- an in-process storage benchmark measures the coordinator's own classes
import { DurableStorage, type StorageOptions } from '../../apps/coordinator/src/storage/storage';
import { benchDir, createTxns, quietLogger, setDataTxns, table } from './support';

const ZNODES = Number(process.env['BENCH_ZNODES'] ?? 100_000);
const IN_FLIGHT = 50;

function options(path: string, snapshotMode: StorageOptions['snapshotMode']): StorageOptions {
  return { dataDir: path, dataLogDir: path, snapCount: 1e9, snapSizeBytes: 0, snapRetainCount: 3, purgeIntervalHours: 0, treeOptions: { maxDataBytes: 0xfffff }, snapshotMode };
}

/** Appends then applies (as the server's write path does), `inFlight` at a time, until `stop()` is true. */
async function writeLoad(storage: DurableStorage, txns: Iterator<{ header: TxnHeader; txn: Txn }>, stop: () => boolean, inFlight = IN_FLIGHT): Promise<number[]> {
  const latencies: number[] = [];
  const client = async (): Promise<void> => {
    while (!stop()) {
      const next = txns.next();
      if (next.done) return;
      const startedMs = performance.now();
      await storage.txnLog.append(next.value.header, next.value.txn);
      storage.tree.apply(next.value.header, next.value.txn);
      latencies.push(performance.now() - startedMs);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, client));
  return latencies;
}

interface Stall {
  /** The longest gap between 1 ms timer ticks: how long the serving thread could not run anything. */
  maxGapMs: number;
  /** The same, minus the serving thread's own garbage collection inside the gap (which the write load causes). */
  maxGapBesidesGcMs: number;
  gcMaxMs: number;
}

function lagProbe(): { stop(): Stall } {
  const gcs: { startMs: number; endMs: number }[] = [];
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcs.push({ startMs: entry.startTime, endMs: entry.startTime + entry.duration });
  });
  gc.observe({ entryTypes: ['gc'] });
  const gaps: { startMs: number; endMs: number }[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last > 2) gaps.push({ startMs: last, endMs: now });
    last = now;
  }, 1);
  return {
    stop() {
      clearInterval(timer);
      gc.disconnect();
      let maxGapMs = 0;
      let maxGapBesidesGcMs = 0;
      for (const gap of gaps) {
        const gcInside = gcs.reduce((sum, g) => sum + Math.max(0, Math.min(gap.endMs, g.endMs) - Math.max(gap.startMs, g.startMs)), 0);
        maxGapMs = Math.max(maxGapMs, gap.endMs - gap.startMs);
        maxGapBesidesGcMs = Math.max(maxGapBesidesGcMs, gap.endMs - gap.startMs - gcInside);
      }
      return { maxGapMs, maxGapBesidesGcMs, gcMaxMs: gcs.reduce((m, g) => Math.max(m, g.endMs - g.startMs), 0) };
    },
  };
}

const describeStall = (stall: Stall): string =>
  `longest stall ${stall.maxGapMs.toFixed(1)} ms; without the serving thread's own GC ${stall.maxGapBesidesGcMs.toFixed(1)} ms (longest GC ${stall.gcMaxMs.toFixed(1)} ms)`;

const max = (values: number[]): number => values.reduce((m, v) => Math.max(m, v), 0);

it('snapshot pause and restart with 100,000 znodes', async () => {
  const dir = benchDir('snapshot');
  const rows: (string | number)[][] = [];
  let storage = await DurableStorage.open(options(dir.path, 'worker'), quietLogger);
  const load = createTxns(ZNODES);
  const loadStartedMs = performance.now();
  await writeLoad(storage, load, () => false, 1_000);
  const txnsLoaded = storage.tree.lastZxid;
  rows.push(['load 100,000 znodes through the log (1,000 in flight)', `${Math.round(performance.now() - loadStartedMs)} ms`, `${storage.tree.nodeCount} nodes, zxid ${txnsLoaded}`]);

  const inline: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 3; i++) {
    const startedMs = performance.now();
    bytes = storage.tree.serialize().length;
    inline.push(performance.now() - startedMs);
  }
  rows.push(['inline serialize() (the pause a synchronous snapshot would cause), worst of 3', `${max(inline).toFixed(0)} ms`, `${(bytes / 1e6).toFixed(1)} MB`]);

  const more = setDataTxns(ZNODES, storage.tree.lastZxid + 1n);
  for (const round of ['first (worker loads its replica)', 'second (replica warm)']) {
    const baselineUntilMs = performance.now() + 3_000;
    const baseline = lagProbe();
    const baselineLatencies = await writeLoad(storage, more, () => performance.now() > baselineUntilMs);
    const base = baseline.stop();
    rows.push([`same write load, no snapshot (before the ${round.split(' ')[0]} snapshot)`, describeStall(base), `write latency max ${max(baselineLatencies).toFixed(1)} ms over ${baselineLatencies.length} writes`]);

    let done = false;
    const probe = lagProbe();
    const load = writeLoad(storage, more, () => done);
    const startedMs = performance.now();
    const meta = await storage.snapshotNow();
    const snapshotMs = performance.now() - startedMs;
    done = true;
    const latencies = await load;
    const lag = probe.stop();
    rows.push([
      `worker snapshot of ${storage.tree.nodeCount.toLocaleString('en')} nodes, ${round}, under ${IN_FLIGHT} setData in flight`,
      describeStall(lag),
      `snapshot took ${Math.round(snapshotMs)} ms at zxid ${meta.lastZxid}; write latency max ${max(latencies).toFixed(1)} ms over ${latencies.length} writes`,
    ]);
  }

  // Restart: snapshot + the log after it.
  const more2 = createTxns(5_000, storage.tree.lastZxid + 1n, 'tail');
  await writeLoad(storage, more2, () => false, 100);
  const digest = storage.tree.digest();
  const zxid = storage.tree.lastZxid;
  await storage.close();
  const reopenStartedMs = performance.now();
  storage = await DurableStorage.open(options(dir.path, 'off'), quietLogger);
  const reopenMs = performance.now() - reopenStartedMs;
  if (storage.tree.digest() !== digest || storage.tree.lastZxid !== zxid) throw new Error('restart lost state');
  rows.push(['restart: newest snapshot + log after it', `${Math.round(reopenMs)} ms`, `${storage.recovery.txnsReplayed} txns replayed; digest equal`]);
  await storage.close();
  dir.remove();

  // Restart from the log alone (no snapshot yet).
  const logOnly = benchDir('log-only');
  storage = await DurableStorage.open(options(logOnly.path, 'off'), quietLogger);
  await writeLoad(storage, createTxns(ZNODES), () => false, 1_000);
  const logOnlyDigest = storage.tree.digest();
  await storage.close();
  const logOnlyStartedMs = performance.now();
  storage = await DurableStorage.open(options(logOnly.path, 'off'), quietLogger);
  const logOnlyMs = performance.now() - logOnlyStartedMs;
  if (storage.tree.digest() !== logOnlyDigest) throw new Error('log-only restart lost state');
  rows.push(['restart: whole log, no snapshot', `${Math.round(logOnlyMs)} ms`, `${storage.recovery.txnsReplayed} txns replayed; digest equal`]);
  await storage.close();
  logOnly.remove();

  console.log(table(`Snapshots and restart with ${ZNODES.toLocaleString('en')} znodes`, ['what', 'figure', 'detail'], rows));
}, 600_000);
