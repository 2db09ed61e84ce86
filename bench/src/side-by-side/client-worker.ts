// One client process of the benchmark: holds node-zookeeper-client sessions and runs what the driver
// asks (load at a fixed number of requests in flight, watch fan-out, session churn), reporting latencies.
import { EventEmitter } from 'node:events';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import zookeeper from 'node-zookeeper-client';
import { monotonicMs, type LoadOp, type WorkerCommand, type WorkerReply } from './protocol';
import { connectSdk, issueSdk, type SdkClient } from './sdk-sessions';

type Client = zookeeper.Client;
type Callback = (error: Error | null) => void;

/** Latencies in ms, appended without re-allocating on every op. */
class LatencyBuffer {
  private values = new Float64Array(1 << 16);
  private length = 0;
  push(valueMs: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = valueMs;
  }
  take(): Float64Array {
    return this.values.slice(0, this.length);
  }
}

const SESSION_TIMEOUT_MS = 30_000;
/** A load row ends this long after its window even if requests are still unanswered (a server that died). */
const UNANSWERED_GRACE_MS = 10_000;
const CONNECT_TIMEOUT_MS = 20_000;
const sessions: Client[] = [];
/** The connect string each session of `sessions` (`sdkSessions`) was opened with: the server it talks to. */
const sessionServers: string[] = [];
const sdkSessionServers: string[] = [];
/** Our SDK's sessions, for the "(SDK)" load rows; the other commands use node-zookeeper-client's. */
const sdkSessions: SdkClient[] = [];
// The library holds a session's watchers of one path as listeners of one emitter: 100 and more is intended.
EventEmitter.defaultMaxListeners = 0;

function send(reply: WorkerReply): void {
  process.send?.(reply);
}

function connectOne(connectString: string): Promise<Client> {
  return new Promise((ok, fail) => {
    const client = zookeeper.createClient(connectString, { sessionTimeout: SESSION_TIMEOUT_MS, spinDelay: 100, retries: 0 });
    const timer = setTimeout(() => {
      client.close();
      fail(new Error(`no session from ${connectString} within ${CONNECT_TIMEOUT_MS} ms`));
    }, CONNECT_TIMEOUT_MS);
    client.once('connected', () => {
      clearTimeout(timer);
      ok(client);
    });
    client.connect();
  });
}

/** close() sends closeSession; the client reports 'disconnected' once the server has answered and hung up. */
function closeOne(client: Client): Promise<void> {
  return new Promise((ok) => {
    const timer = setTimeout(ok, 5_000);
    client.once('disconnected', () => {
      clearTimeout(timer);
      ok();
    });
    client.close();
  });
}

function issue(client: Client, op: Exclude<LoadOp, 'mix'>, path: string, value: Buffer, done: Callback): void {
  switch (op) {
    case 'create':
      client.create(path, value, zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT_SEQUENTIAL, (error) => done(error));
      return;
    case 'setData':
      client.setData(path, value, -1, (error) => done(error));
      return;
    case 'getData':
      client.getData(path, undefined, (error) => done(error));
      return;
    default: {
      const never: never = op;
      throw new Error(`unknown op ${String(never)}`);
    }
  }
}

/**
 * With BENCH_OUTLIER_DIR set (`npm run bench:outliers`), requests slower than BENCH_OUTLIER_MS are appended to
 * client-<pid>.log there: issue time (CLOCK_MONOTONIC ms), latency, op, the session's server and the row's
 * shape (sessions × in flight per session / value bytes, e.g. 8x4/524288).
 */
function slowRequestLog(servers: readonly string[], shape: string): ((issuedMs: number, latencyMs: number, op: string, session: number) => void) | undefined {
  const directory = process.env['BENCH_OUTLIER_DIR'];
  if (directory === undefined) return undefined;
  const thresholdMs = Number(process.env['BENCH_OUTLIER_MS'] ?? 10);
  const path = join(directory, `client-${process.pid}.log`);
  return (issuedMs, latencyMs, op, session) => {
    if (latencyMs >= thresholdMs) appendFileSync(path, `slow ${issuedMs.toFixed(3)} ${latencyMs.toFixed(3)} ${op} ${servers[session] ?? '?'} ${shape}\n`);
  };
}

async function load(command: Extract<WorkerCommand, { type: 'load' }>): Promise<WorkerReply> {
  const value = Buffer.alloc(command.valueBytes, 0x61);
  const latencies = new LatencyBuffer();
  const logSlow = slowRequestLog(command.library === 'sdk' ? sdkSessionServers : sessionServers, `${command.sessionsUsed}x${command.inFlightPerSession}/${command.valueBytes}`);
  const startMs = monotonicMs();
  const windowStartMs = startMs + command.warmupMs;
  const endMs = windowStartMs + command.durationMs;
  let ops = 0;
  let errors = 0;
  let firstError: string | undefined;
  const lanes: Promise<void>[] = [];
  const useSdk = command.library === 'sdk';
  for (let s = 0; s < command.sessionsUsed; s++) {
    const client = sessions[s];
    const sdkClient = sdkSessions[s];
    if (useSdk ? sdkClient === undefined : client === undefined) throw new Error(`load: ${useSdk ? 'SDK ' : ''}session ${s} is not connected`);
    const keyPath = command.keyPaths[s] ?? '';
    const createPath = `${command.parentPath}/n-`;
    for (let lane = 0; lane < command.inFlightPerSession; lane++) {
      lanes.push(
        new Promise<void>((ok) => {
          const next = (): void => {
            const issuedMs = monotonicMs();
            if (issuedMs >= endMs) {
              ok();
              return;
            }
            const op: Exclude<LoadOp, 'mix'> =
              command.op === 'mix' ? (Math.random() < command.readFraction ? 'getData' : 'setData') : command.op;
            const onDone = (error: Error | null): void => {
              const doneMs = monotonicMs();
              if (error !== null) {
                errors++;
                firstError ??= `${op}: ${error.message}`;
              } else if (issuedMs >= windowStartMs && doneMs <= endMs) {
                ops++;
                latencies.push(doneMs - issuedMs);
                logSlow?.(issuedMs, doneMs - issuedMs, op, s);
              }
              next();
            };
            const path = op === 'create' ? createPath : keyPath;
            if (useSdk) issueSdk(sdkClient as SdkClient, op, path, value, onDone);
            else issue(client as Client, op, path, value, onDone);
          };
          next();
        }),
      );
    }
  }
  let unanswered = 0;
  let graceTimer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((ok) => {
    graceTimer = setTimeout(() => {
      unanswered = lanes.length;
      ok();
    }, endMs - monotonicMs() + UNANSWERED_GRACE_MS);
  });
  let lanesDone = 0;
  await Promise.race([Promise.all(lanes.map((lane) => lane.then(() => lanesDone++))), grace]);
  clearTimeout(graceTimer);
  if (unanswered > 0) {
    unanswered -= lanesDone;
    errors += unanswered;
    firstError ??= `${unanswered} requests unanswered ${UNANSWERED_GRACE_MS} ms after the window`;
  }
  return { type: 'loaded', ops, errors, windowMs: command.durationMs, latenciesMs: latencies.take(), firstError };
}

async function populate(command: Extract<WorkerCommand, { type: 'populate' }>): Promise<WorkerReply> {
  const value = Buffer.alloc(command.valueBytes, 0x62);
  let next = command.first;
  const end = command.first + command.count;
  let errors = 0;
  let firstError: string | undefined;
  const lanes: Promise<void>[] = [];
  for (const client of sessions) {
    for (let lane = 0; lane < command.inFlightPerSession; lane++) {
      lanes.push(
        new Promise<void>((ok) => {
          const step = (): void => {
            if (next >= end) {
              ok();
              return;
            }
            const i = next++;
            const path = `/${command.prefix}${Math.floor(i / 1_000)}/n${i}`;
            client.create(path, value, zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT, (error) => {
              if (error !== null) {
                errors++;
                firstError ??= `create ${path}: ${error.message}`;
              }
              step();
            });
          };
          step();
        }),
      );
    }
  }
  await Promise.all(lanes);
  return { type: 'populated', errors, firstError };
}

async function ensure(paths: string[], valueBytes: number): Promise<void> {
  const client = sessions[0];
  if (client === undefined) throw new Error('ensure: no session');
  const value = Buffer.alloc(valueBytes, 0x63);
  for (const path of paths) {
    await new Promise<void>((ok, fail) =>
      client.create(path, value, zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT, (error) => {
        // NODE_EXISTS (-110) is fine: another worker or an earlier row made it.
        if (error === null || (error as zookeeper.Exception).code === -110) ok();
        else fail(new Error(`create ${path}: ${error.message}`));
      }),
    );
  }
}

async function arm(path: string, watchersPerSession: number): Promise<void> {
  const expected = sessions.length * watchersPerSession;
  let events = 0;
  let lastEventAtMs = 0;
  const onEvent = (): void => {
    events++;
    lastEventAtMs = monotonicMs();
    if (events === expected) send({ type: 'watched', events, lastEventAtMs });
  };
  const registrations: Promise<void>[] = [];
  for (const client of sessions) {
    for (let w = 0; w < watchersPerSession; w++) {
      registrations.push(
        // A closure per watcher: the client library keeps one listener per distinct function and path.
        new Promise<void>((ok, fail) => {
          // The node was created through one session; a session on another member may not see it yet (this
          // client library has no sync): try again shortly rather than fail the row.
          let attempts = 0;
          const register = (): void =>
            client.getData(path, () => onEvent(), (error) => {
              if (error === null) ok();
              else if (/NO_NODE/.test(error.message) && ++attempts < 100) setTimeout(register, 20);
              else fail(new Error(`getData+watch ${path}: ${error.message}`));
            });
          register();
        }),
      );
    }
  }
  await Promise.all(registrations);
}

async function churn(command: Extract<WorkerCommand, { type: 'churn' }>): Promise<WorkerReply> {
  const latencies = new LatencyBuffer();
  const startMs = monotonicMs();
  const windowStartMs = startMs + command.warmupMs;
  const endMs = windowStartMs + command.durationMs;
  let cycles = 0;
  let errors = 0;
  let firstError: string | undefined;
  let counter = 0;
  const loops: Promise<void>[] = [];
  for (let loop = 0; loop < command.loops; loop++) {
    loops.push(
      (async () => {
        for (;;) {
          const beganMs = monotonicMs();
          if (beganMs >= endMs) return;
          const connectString = command.connectStrings[counter++ % command.connectStrings.length] ?? '';
          try {
            const client = await connectOne(connectString);
            await closeOne(client);
            const doneMs = monotonicMs();
            if (beganMs >= windowStartMs && doneMs <= endMs) {
              cycles++;
              latencies.push(doneMs - beganMs);
            }
          } catch (error) {
            errors++;
            firstError ??= error instanceof Error ? error.message : String(error);
          }
        }
      })(),
    );
  }
  await Promise.all(loops);
  return { type: 'churned', cycles, errors, windowMs: command.durationMs, latenciesMs: latencies.take(), firstError };
}

async function handle(command: WorkerCommand): Promise<WorkerReply | undefined> {
  switch (command.type) {
    case 'connect': {
      const servers = Array.from({ length: command.sessions }, (_, i) => command.connectStrings[(command.sessionIndexFirst + i) % command.connectStrings.length] ?? '');
      if (command.library === 'sdk') {
        const openedSdk = await Promise.all(servers.map((server) => connectSdk(server, SESSION_TIMEOUT_MS, CONNECT_TIMEOUT_MS)));
        sdkSessions.push(...openedSdk);
        sdkSessionServers.push(...servers);
        return { type: 'connected' };
      }
      const opened = await Promise.all(servers.map((server) => connectOne(server)));
      sessions.push(...opened);
      sessionServers.push(...servers);
      return { type: 'connected' };
    }
    case 'ensure':
      await ensure(command.paths, command.valueBytes);
      return { type: 'ensured' };
    case 'load':
      return load(command);
    case 'populate':
      return populate(command);
    case 'arm':
      await arm(command.path, command.watchersPerSession);
      return { type: 'armed' };
    case 'fire': {
      const client = sessions[0];
      if (client === undefined) throw new Error('fire: no session');
      const sentAtMs = monotonicMs();
      await new Promise<void>((ok, fail) =>
        client.setData(command.path, Buffer.alloc(command.valueBytes, 0x64), -1, (error) => (error === null ? ok() : fail(error))),
      );
      return { type: 'fired', sentAtMs };
    }
    case 'churn':
      return churn(command);
    case 'close': {
      await Promise.all([...sessions.splice(0).map(closeOne), ...sdkSessions.splice(0).map((client) => client.close())]);
      sessionServers.length = 0;
      sdkSessionServers.length = 0;
      return { type: 'closed' };
    }
    default: {
      const never: never = command;
      throw new Error(`unknown command ${JSON.stringify(never)}`);
    }
  }
}

process.on('message', (command: WorkerCommand) => {
  handle(command).then(
    (reply) => reply !== undefined && send(reply),
    (error: unknown) => send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
