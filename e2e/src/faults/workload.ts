// The load a fault scenario runs under, and what it records: one worker per client session, each homed on one
// member, running seeded operations — write, compare-and-set and sync+read on a few registers (znodes), and
// sequential creates — with invoke/complete times from performance.now(). Errors and timeouts are unknown
// outcomes. Each session also owns one ephemeral node, so expiries can be checked on every server.
import * as zookeeper from 'node-zookeeper-client';
import type { RegisterOp } from '../linearizability';
import type { RealEnsemble } from '../support/ensemble';
import { seededRandom } from '../support/fault-proxy';
import { sleep } from '../support/wait';
import { create, ErrorCodes, errorCodeOf, getData, openSession, sessionIdOf, setData, syncPath } from './zk-ops';

export interface WorkloadOptions {
  ensemble: RealEnsemble;
  /** The run's root znode: registers, seq/ and eph/ live under it (see scenarioPaths). */
  root: string;
  /** One worker per entry: the member its sessions connect to (and only that one). */
  homes: readonly number[];
  seed: number;
  sessionTimeoutMs: number;
  operationTimeoutMs: number;
}

export function scenarioPaths(root: string): { registers: string[]; seq: string; eph: string } {
  return { registers: [0, 1, 2].map((i) => `${root}/r${i}`), seq: `${root}/seq`, eph: `${root}/eph` };
}

/** A sequential create the server acknowledged: its node must exist on every member after the heal. */
export interface AckedCreate {
  readonly clientId: string;
  readonly path: string;
  readonly sequence: number;
  readonly invokeMs: number;
  readonly completeMs: number;
}

export type SessionEnd = 'live' | 'expired' | 'abandoned' | 'closed';

/** One client session of a worker, with its ephemeral node. */
export interface SessionRecord {
  readonly clientId: string;
  readonly home: number;
  readonly sessionId: string;
  readonly ephemeralPath: string;
  /** Whether the ephemeral's create was acknowledged ('unknown': it may exist). */
  ephemeral: 'created' | 'unknown';
  end: SessionEnd;
  /** performance.now() when the client learnt of the expiry, or gave the session up. */
  endedAtMs?: number;
}

export interface WorkloadCounts {
  registerOps: number;
  creates: number;
  unknown: number;
  casRejected: number;
  sessions: number;
  expired: number;
}

/** Unknown outcomes: the server may or may not have applied the request. BadVersion is a definite answer. */
function isDefinite(code: number | undefined): boolean {
  return code === ErrorCodes.BAD_VERSION;
}

export class Workload {
  readonly history: RegisterOp[] = [];
  readonly acked: AckedCreate[] = [];
  readonly sessions: SessionRecord[] = [];
  readonly counts: WorkloadCounts = { registerOps: 0, creates: 0, unknown: 0, casRejected: 0, sessions: 0, expired: 0 };
  private readonly clients = new Map<SessionRecord, zookeeper.Client>();
  private readonly paths: ReturnType<typeof scenarioPaths>;
  private readonly startedAtMs = performance.now();
  private stopping = false;
  private loops: Promise<void>[] = [];

  constructor(private readonly options: WorkloadOptions) {
    this.paths = scenarioPaths(options.root);
  }

  /** Milliseconds since the workload was created, to 0.1 ms: the history's clock. */
  now(): number {
    return Math.round((performance.now() - this.startedAtMs) * 10) / 10;
  }

  start(): void {
    this.loops = this.options.homes.map((home, index) => this.worker(index, home));
  }

  /** Stops issuing operations and waits for those in flight (each is bounded by operationTimeoutMs). */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
  }

  /** Sessions the workload still holds, by home member. */
  liveSessions(home?: number): SessionRecord[] {
    return this.sessions.filter((s) => s.end === 'live' && (home === undefined || s.home === home));
  }

  /** Closes every live session (their ephemerals go with them). */
  closeSessions(): void {
    for (const [record, client] of this.clients) {
      if (record.end === 'live') record.end = 'closed';
      client.close();
    }
    this.clients.clear();
  }

  private async worker(index: number, home: number): Promise<void> {
    const random = seededRandom(this.options.seed * 1_000 + index + 1);
    const member = this.options.ensemble.member(home);
    let session: { record: SessionRecord; client: zookeeper.Client; disconnectedSinceMs?: number } | undefined;
    const versions = new Map<string, number>();
    let sessionNumber = 0;
    let opNumber = 0;
    while (!this.stopping) {
      if (session === undefined || session.record.end !== 'live') {
        session = undefined;
        sessionNumber += 1;
        const opened = await this.openWorkerSession(`w${index}s${sessionNumber}m${home}`, home, member.connectString);
        if (opened === undefined) {
          await sleep(200);
          continue;
        }
        session = opened;
      }
      const { record, client } = session;
      if (client.getState() !== zookeeper.State.SYNC_CONNECTED) {
        // Nothing is sent while disconnected (it would only queue); a session cut off for longer than its
        // timeout is given up, so the worker keeps loading the ensemble through a new one.
        session.disconnectedSinceMs ??= performance.now();
        if (performance.now() - session.disconnectedSinceMs > this.options.sessionTimeoutMs) this.endSession(record, 'abandoned');
        else await sleep(50);
        continue;
      }
      session.disconnectedSinceMs = undefined;
      opNumber += 1;
      const value = `${record.clientId}#${opNumber}`;
      const pick = random();
      if (pick < 0.15) {
        await this.sequentialCreate(client, record.clientId, value);
      } else {
        const key = this.paths.registers[Math.floor(random() * this.paths.registers.length)];
        if (pick < 0.4) await this.write(client, record.clientId, key, value, versions);
        else if (pick < 0.65) await this.compareAndSet(client, record.clientId, key, value, versions);
        else await this.read(client, record.clientId, key, versions);
      }
      await sleep(5 + Math.floor(random() * 30));
    }
  }

  private async openWorkerSession(clientId: string, home: number, connectString: string): Promise<{ record: SessionRecord; client: zookeeper.Client } | undefined> {
    let client: zookeeper.Client;
    try {
      client = await openSession(connectString, this.options.sessionTimeoutMs, this.options.sessionTimeoutMs);
    } catch {
      return undefined;
    }
    if (this.stopping) {
      client.close();
      return undefined;
    }
    const record: SessionRecord = { clientId, home, sessionId: sessionIdOf(client), ephemeralPath: `${this.paths.eph}/${clientId}`, ephemeral: 'unknown', end: 'live' };
    this.sessions.push(record);
    this.clients.set(record, client);
    this.counts.sessions += 1;
    client.on('state', (state: zookeeper.State) => {
      if (state === zookeeper.State.EXPIRED && record.end === 'live') {
        this.counts.expired += 1;
        this.endSession(record, 'expired');
      }
    });
    try {
      await create(client, record.ephemeralPath, record.sessionId, zookeeper.CreateMode.EPHEMERAL, this.options.operationTimeoutMs);
      record.ephemeral = 'created';
    } catch {
      // Left 'unknown': it may exist; if the session ends it must be gone all the same.
    }
    return { record, client };
  }

  private endSession(record: SessionRecord, end: SessionEnd): void {
    record.end = end;
    record.endedAtMs = this.now();
    const client = this.clients.get(record);
    this.clients.delete(record);
    client?.close();
  }

  private async write(client: zookeeper.Client, clientId: string, key: string, value: string, versions: Map<string, number>): Promise<void> {
    const invokeMs = this.now();
    this.counts.registerOps += 1;
    try {
      const stat = await setData(client, key, value, -1, this.options.operationTimeoutMs);
      versions.set(key, stat.version);
      this.history.push({ kind: 'write', clientId, key, value, invokeMs, completeMs: this.now(), result: { status: 'ok', version: stat.version } });
    } catch {
      this.counts.unknown += 1;
      this.history.push({ kind: 'write', clientId, key, value, invokeMs, completeMs: this.now(), result: { status: 'unknown' } });
    }
  }

  private async compareAndSet(client: zookeeper.Client, clientId: string, key: string, value: string, versions: Map<string, number>): Promise<void> {
    const expectedVersion = versions.get(key) ?? 0;
    const invokeMs = this.now();
    this.counts.registerOps += 1;
    try {
      const stat = await setData(client, key, value, expectedVersion, this.options.operationTimeoutMs);
      versions.set(key, stat.version);
      this.history.push({ kind: 'cas', clientId, key, value, expectedVersion, invokeMs, completeMs: this.now(), result: { status: 'ok', version: stat.version } });
    } catch (error) {
      const completeMs = this.now();
      if (isDefinite(errorCodeOf(error))) {
        this.counts.casRejected += 1;
        this.history.push({ kind: 'cas', clientId, key, value, expectedVersion, invokeMs, completeMs, result: { status: 'fail' } });
      } else {
        this.counts.unknown += 1;
        this.history.push({ kind: 'cas', clientId, key, value, expectedVersion, invokeMs, completeMs, result: { status: 'unknown' } });
      }
    }
  }

  /** sync, then getData: the read must see every write acknowledged before the sync was issued. */
  private async read(client: zookeeper.Client, clientId: string, key: string, versions: Map<string, number>): Promise<void> {
    const invokeMs = this.now();
    this.counts.registerOps += 1;
    try {
      await syncPath(client, key, this.options.operationTimeoutMs);
      const { value, stat } = await getData(client, key, this.options.operationTimeoutMs);
      versions.set(key, stat.version);
      this.history.push({ kind: 'read', clientId, key, invokeMs, completeMs: this.now(), result: { status: 'ok', value, version: stat.version } });
    } catch {
      this.counts.unknown += 1;
      this.history.push({ kind: 'read', clientId, key, invokeMs, completeMs: this.now(), result: { status: 'unknown' } });
    }
  }

  private async sequentialCreate(client: zookeeper.Client, clientId: string, value: string): Promise<void> {
    const invokeMs = this.now();
    this.counts.creates += 1;
    try {
      const path = await create(client, `${this.paths.seq}/n-`, value, zookeeper.CreateMode.PERSISTENT_SEQUENTIAL, this.options.operationTimeoutMs);
      this.acked.push({ clientId, path, sequence: Number(path.slice(-10)), invokeMs, completeMs: this.now() });
    } catch {
      this.counts.unknown += 1;
    }
  }
}
