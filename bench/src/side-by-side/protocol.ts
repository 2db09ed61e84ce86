// Messages between the benchmark's driver and its client processes (child_process.fork, advanced
// serialization, so latency arrays travel as typed arrays). Times that cross processes are
// CLOCK_MONOTONIC milliseconds (process.hrtime), the same clock in every process on the machine.

export type LoadOp = 'create' | 'setData' | 'getData' | 'mix';

/** Which client library a session uses: node-zookeeper-client (every row), or our SDK (the rows labelled "(SDK)"). */
export type ClientLibrary = 'node-zookeeper-client' | 'sdk';

export type WorkerCommand =
  /** Opens `sessions` sessions of `library` (default node-zookeeper-client), session i on connectStrings[(sessionIndexFirst + i) % n]. */
  | { type: 'connect'; connectStrings: string[]; sessions: number; sessionIndexFirst: number; library?: ClientLibrary }
  /** Makes sure `paths` exist (persistent, `valueBytes` of data), from this worker's first session. */
  | { type: 'ensure'; paths: string[]; valueBytes: number }
  /**
   * Each of the first `sessionsUsed` sessions keeps `inFlightPerSession` requests of `op` in flight for
   * warmupMs + durationMs; ops completed inside the measured window count.
   */
  | { type: 'load'; op: LoadOp; sessionsUsed: number; inFlightPerSession: number; warmupMs: number; durationMs: number; valueBytes: number; parentPath: string; keyPaths: string[]; readFraction: number; library?: ClientLibrary }
  /** Creates znodes `first`…`first+count-1` as /{prefix}{i/1000}/n{i} with `valueBytes` each (parents exist). */
  | { type: 'populate'; prefix: string; first: number; count: number; inFlightPerSession: number; valueBytes: number }
  /** Every session registers `watchersPerSession` getData watchers on `path`; replies when registered. */
  | { type: 'arm'; path: string; watchersPerSession: number }
  /** setData on `path` from this worker's first session; replies with when it was sent. */
  | { type: 'fire'; path: string; valueBytes: number }
  /** `loops` concurrent connect → close cycles for durationMs against connectStrings (round-robin). */
  | { type: 'churn'; connectStrings: string[]; loops: number; warmupMs: number; durationMs: number }
  | { type: 'close' };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'connected' }
  | { type: 'ensured' }
  | { type: 'loaded'; ops: number; errors: number; windowMs: number; latenciesMs: Float64Array; firstError?: string }
  | { type: 'populated'; errors: number; firstError?: string }
  | { type: 'armed' }
  /** Every watcher of the last `arm` has fired; `lastEventAtMs` is when the last one did. */
  | { type: 'watched'; events: number; lastEventAtMs: number }
  | { type: 'fired'; sentAtMs: number }
  | { type: 'churned'; cycles: number; errors: number; windowMs: number; latenciesMs: Float64Array; firstError?: string }
  | { type: 'closed' }
  | { type: 'failed'; error: string };

/** Milliseconds on the machine-wide monotonic clock. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
