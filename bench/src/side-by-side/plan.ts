// What a run measures, as data: the deployments (standalone, 3-server ensemble), which system is ready for
// each, and the size of every workload — the full run and the smoke variant differ only here.
import type { ClientLibrary, LoadOp } from './protocol';
import type { SystemName } from './servers';

export interface LoadRow {
  op: LoadOp;
  label: string;
  sessions: number;
  inFlightPerSession: number;
  valueBytes: number;
  /** Default node-zookeeper-client; 'sdk' rows measure our SDK on the same servers (labelled "(SDK)"). */
  library?: ClientLibrary;
}

export interface Settings {
  clientProcesses: number;
  warmupMs: number;
  durationMs: number;
  loadRows: LoadRow[];
  fanout: { sessions: number; watchersPerSession: number; rounds: number };
  churn: { loopsPerProcess: number; warmupMs: number; durationMs: number };
  memory: { znodes: number; valueBytes: number; sessions: number; inFlightPerSession: number; settleMs: number };
  /** Leader kills per system on ensemble deployments. */
  failoverRuns: number;
}

/** A system is measured on a deployment, or shown as a "not yet" row with the reason. */
export type Readiness = { ready: true } | { ready: false; reason: string };

export interface Deployment {
  label: string;
  servers: number;
  systems: Record<SystemName, Readiness>;
  /** Off unless the run asks for it (the flag that turns it on). */
  optIn?: string;
  /** Rows that wait for something (shown as "not yet"). */
  notYetRows: string[];
}

export const DEPLOYMENTS: readonly Deployment[] = [
  { label: 'standalone', servers: 1, systems: { coordinator: { ready: true }, zookeeper: { ready: true } }, notYetRows: [] },
  {
    label: '3-server ensemble',
    servers: 3,
    systems: { coordinator: { ready: true }, zookeeper: { ready: true } },
    optIn: '--ensemble',
    notYetRows: [],
  },
];

const SMALL = 100;
const LARGE = 512 * 1024;

function loadRows(bigSessions: number, bigInFlight: number, largeInFlight: number): LoadRow[] {
  const rows: LoadRow[] = [];
  const concurrency: [number, number][] = [
    [bigSessions, bigInFlight],
    [1, 1],
  ];
  for (const [sessions, inFlight] of concurrency) {
    for (const op of ['create', 'setData', 'getData', 'mix'] as const) {
      const name = op === 'create' ? 'create (sequential)' : op === 'mix' ? '90/10 getData/setData' : op;
      rows.push({ op, label: `${name} 100 B, ${sessions} × ${inFlight} in flight`, sessions, inFlightPerSession: inFlight, valueBytes: SMALL });
    }
  }
  // Our SDK next to node-zookeeper-client: the pipelined 100 B rows, same sessions × in flight, same servers.
  for (const op of ['setData', 'getData'] as const) {
    rows.push({ op, label: `${op} 100 B, ${bigSessions} × ${bigInFlight} in flight (SDK)`, sessions: bigSessions, inFlightPerSession: bigInFlight, valueBytes: SMALL, library: 'sdk' });
  }
  for (const [sessions, inFlight] of [
    [bigSessions, largeInFlight],
    [1, 1],
  ] as const) {
    for (const op of ['setData', 'getData'] as const) {
      rows.push({ op, label: `${op} 512 KiB, ${sessions} × ${inFlight} in flight`, sessions, inFlightPerSession: inFlight, valueBytes: LARGE });
    }
  }
  return rows;
}

export function fullSettings(znodes: number): Settings {
  return {
    clientProcesses: 2,
    warmupMs: 1_500,
    durationMs: 5_000,
    loadRows: loadRows(8, 64, 4),
    fanout: { sessions: 100, watchersPerSession: 100, rounds: 5 },
    churn: { loopsPerProcess: 4, warmupMs: 1_000, durationMs: 5_000 },
    memory: { znodes, valueBytes: SMALL, sessions: 8, inFlightPerSession: 64, settleMs: 2_000 },
    failoverRuns: 10,
  };
}

/** A few seconds per system: checks the harness end to end, measures nothing worth reading. */
export function smokeSettings(): Settings {
  return {
    clientProcesses: 2,
    // Long enough that a loaded CI machine still completes requests in every row's window: with 500 ms
    // after 50 ms of warm-up, eight 512 KiB setData in flight once completed none inside the window.
    warmupMs: 200,
    durationMs: 1_000,
    loadRows: loadRows(4, 4, 2),
    fanout: { sessions: 4, watchersPerSession: 5, rounds: 1 },
    churn: { loopsPerProcess: 1, warmupMs: 50, durationMs: 200 },
    memory: { znodes: 1_000, valueBytes: SMALL, sessions: 2, inFlightPerSession: 16, settleMs: 0 },
    failoverRuns: 1,
  };
}
