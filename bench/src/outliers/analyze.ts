// What the servers did while a slow request waited: reads the clients' slow-request logs, the servers' pause
// logs (server-probe.ts) and the /proc samples of each server's main thread, all on CLOCK_MONOTONIC ms, and for
// each slow request adds up, per server, the main thread's CPU time, its time runnable but waiting for a CPU,
// its garbage-collection pauses and its event-loop lags inside the request's window.

export interface SlowRequest {
  issuedMs: number;
  latencyMs: number;
  op: string;
  /** The connect string of the request's session (one server: host:port). */
  server: string;
  /** The row's shape: sessions × in flight per session / value bytes of this client's part, e.g. 8x4/524288. */
  shape: string;
}

export interface Pause {
  kind: 'gc' | 'lag';
  startMs: number;
  durationMs: number;
  /** For gc: minor, major, incremental or weak-callbacks. */
  detail: string;
}

/** Cumulative counters of a server's main thread (/proc/<pid>/schedstat) at one moment. */
export interface SchedSample {
  atMs: number;
  /** Time on a CPU. */
  runMs: number;
  /** Time runnable but waiting for a CPU. */
  queuedMs: number;
}

export interface ServerTrace {
  pid: number;
  clientPort: number | undefined;
  pauses: Pause[];
  sched: SchedSample[];
}

export interface WindowShare {
  runMs: number;
  queuedMs: number;
  gcMs: number;
  lagMs: number;
}

export function parseSlowRequests(text: string): SlowRequest[] {
  const requests: SlowRequest[] = [];
  for (const line of text.split('\n')) {
    const [tag, issued, latency, op = '?', server = '?', shape = '?'] = line.split(' ');
    if (tag !== 'slow' || issued === undefined || latency === undefined) continue;
    requests.push({ issuedMs: Number(issued), latencyMs: Number(latency), op, server, shape });
  }
  return requests;
}

export function parseServerProbe(text: string): { clientPort: number | undefined; pauses: Pause[] } {
  let clientPort: number | undefined;
  const pauses: Pause[] = [];
  for (const line of text.split('\n')) {
    const [tag, start, ...rest] = line.split(' ');
    if (tag === 'start') clientPort = /^\d+$/.test(rest[0] ?? '') ? Number(rest[0]) : undefined;
    else if ((tag === 'gc' || tag === 'lag') && start !== undefined && rest[0] !== undefined) {
      pauses.push({ kind: tag, startMs: Number(start), durationMs: Number(rest[0]), detail: rest[1] ?? '' });
    }
  }
  return { clientPort, pauses };
}

/** A cumulative counter at `atMs`, interpolated between the samples around it (samples in time order). */
export function counterAt(samples: readonly SchedSample[], atMs: number, counter: 'runMs' | 'queuedMs'): number {
  if (samples.length === 0) return 0;
  const first = samples[0] as SchedSample;
  if (atMs <= first.atMs) return first[counter];
  let low = 0;
  let high = samples.length - 1;
  if (atMs >= (samples[high] as SchedSample).atMs) return (samples[high] as SchedSample)[counter];
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if ((samples[middle] as SchedSample).atMs <= atMs) low = middle;
    else high = middle;
  }
  const before = samples[low] as SchedSample;
  const after = samples[high] as SchedSample;
  const fraction = (atMs - before.atMs) / (after.atMs - before.atMs);
  return before[counter] + fraction * (after[counter] - before[counter]);
}

const overlapMs = (aStart: number, aEnd: number, bStart: number, bEnd: number): number => Math.max(0, Math.min(aEnd, bEnd) - Math.max(aStart, bStart));

export function windowShare(server: ServerTrace, fromMs: number, toMs: number): WindowShare {
  const share: WindowShare = {
    runMs: counterAt(server.sched, toMs, 'runMs') - counterAt(server.sched, fromMs, 'runMs'),
    queuedMs: counterAt(server.sched, toMs, 'queuedMs') - counterAt(server.sched, fromMs, 'queuedMs'),
    gcMs: 0,
    lagMs: 0,
  };
  for (const pause of server.pauses) {
    const inside = overlapMs(fromMs, toMs, pause.startMs, pause.startMs + pause.durationMs);
    if (pause.kind === 'gc') share.gcMs += inside;
    else share.lagMs += inside;
  }
  return share;
}

const portOf = (connectString: string): number | undefined => {
  const port = Number(connectString.split(':').pop());
  return Number.isInteger(port) ? port : undefined;
};

/**
 * The `top` slowest requests, one line each: latency, op, and for every server (the request's own marked *)
 * run / queued / gc / lag ms inside the request's window. `originMs` is shown as time zero.
 */
export function formatOutliers(requests: readonly SlowRequest[], servers: readonly ServerTrace[], top: number, originMs: number): string {
  const slowest = [...requests].sort((a, b) => b.latencyMs - a.latencyMs).slice(0, top);
  const ordered = [...servers].sort((a, b) => (a.clientPort ?? 0) - (b.clientPort ?? 0));
  const header = ['| latency ms | op | shape | at s | ', ...ordered.map((s) => `server :${s.clientPort ?? s.pid} run / queued / gc / lag ms | `)].join('');
  const rule = `| ---: | --- | --- | ---: |${ordered.map(() => ' --- |').join('')}`;
  const rows = slowest.map((request) => {
    const cells = ordered.map((server) => {
      const share = windowShare(server, request.issuedMs, request.issuedMs + request.latencyMs);
      const own = server.clientPort !== undefined && server.clientPort === portOf(request.server) ? '*' : '';
      return `${own}${share.runMs.toFixed(1)} / ${share.queuedMs.toFixed(1)} / ${share.gcMs.toFixed(1)} / ${share.lagMs.toFixed(1)}`;
    });
    return `| ${request.latencyMs.toFixed(2)} | ${request.op} | ${request.shape} | ${((request.issuedMs - originMs) / 1000).toFixed(3)} | ${cells.join(' | ')} |`;
  });
  return [header.trimEnd(), rule, ...rows].join('\n');
}
