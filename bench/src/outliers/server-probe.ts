// Loaded into each of our servers by `npm run bench:outliers` (node -r, via BENCH_COORDINATOR_NODE_FLAGS): logs
// the main thread's garbage-collection pauses and event-loop lags to $BENCH_OUTLIER_DIR/server-<pid>.log, on
// CLOCK_MONOTONIC milliseconds (the clock the bench's clients and the /proc sampler use), so a slow request
// can be matched with what its servers were doing. Not part of the server: nothing loads it otherwise.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PerformanceObserver, performance, type PerformanceEntry } from 'node:perf_hooks';
import { monotonicMs } from '../side-by-side/protocol';

const directory = process.env['BENCH_OUTLIER_DIR'];
/** The lag probe's period; a turn that ends later than this (plus LAG_REPORT_MS) is reported. */
const PROBE_MS = 2;
const LAG_REPORT_MS = 3;
const GC_REPORT_MS = 1;
const GC_KINDS: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weak-callbacks' };

if (directory !== undefined) {
  const path = join(directory, `server-${process.pid}.log`);
  // performance.now() counts from the process's time origin; this turns its timestamps into CLOCK_MONOTONIC.
  const originMs = monotonicMs() - performance.now();
  // The server's zoo.cfg is its last argument: its clientPort names the server in the clients' logs.
  const cfg = process.argv[process.argv.length - 1] ?? '';
  let clientPort = '?';
  try {
    clientPort = /^clientPort=(\d+)/m.exec(readFileSync(cfg, 'utf8'))?.[1] ?? '?';
  } catch {
    // not a file: the port stays unknown
  }
  const pending: string[] = [`start ${monotonicMs().toFixed(3)} ${clientPort}\n`];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.duration < GC_REPORT_MS) continue;
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0;
      pending.push(`gc ${(originMs + entry.startTime).toFixed(3)} ${entry.duration.toFixed(3)} ${GC_KINDS[kind] ?? kind}\n`);
    }
  }).observe({ entryTypes: ['gc'] });
  let lastMs = monotonicMs();
  setInterval(() => {
    const nowMs = monotonicMs();
    const lagMs = nowMs - lastMs - PROBE_MS;
    if (lagMs >= LAG_REPORT_MS) pending.push(`lag ${(lastMs + PROBE_MS).toFixed(3)} ${lagMs.toFixed(3)}\n`);
    lastMs = nowMs;
    if (pending.length > 0) appendFileSync(path, pending.splice(0).join(''));
  }, PROBE_MS).unref();
}
