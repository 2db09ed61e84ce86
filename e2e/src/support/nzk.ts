// node-zookeeper-client behind promises: every call bounded in time and answered as an Outcome (a value or
// ZooKeeper's error name), every watch event kept in order in the client's event log.
import zookeeper, { type Client, type Event, type Stat } from 'node-zookeeper-client';
import { opName } from './raw-ops';
import { withTimeout } from './wait';
import { EventLog } from './event-log';
import { closeNodeZkClient } from '@zk/sdk/testing';

export type Outcome<T> = { ok: T } | { error: string };

export interface StatView {
  czxid: bigint;
  mzxid: bigint;
  ctime: bigint;
  mtime: bigint;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  dataLength: number;
  numChildren: number;
  pzxid: bigint;
}

export interface AclView {
  perms: number;
  scheme: string;
  id: string;
}

export type MultiOpSpec =
  | { op: 'create'; path: string; data?: string; mode?: number; acl?: AclView[] }
  | { op: 'delete'; path: string; version?: number }
  | { op: 'setData'; path: string; data: string; version?: number }
  | { op: 'check'; path: string; version: number };

const OP_TIMEOUT_MS = 10_000;

export function statView(stat: Stat): StatView {
  return {
    czxid: stat.czxid.readBigInt64BE(0),
    mzxid: stat.mzxid.readBigInt64BE(0),
    ctime: stat.ctime.readBigInt64BE(0),
    mtime: stat.mtime.readBigInt64BE(0),
    version: stat.version,
    cversion: stat.cversion,
    aversion: stat.aversion,
    ephemeralOwner: stat.ephemeralOwner.readBigInt64BE(0),
    dataLength: stat.dataLength,
    numChildren: stat.numChildren,
    pzxid: stat.pzxid.readBigInt64BE(0),
  };
}

function toAcl(acl: AclView[] | undefined): zookeeper.ACL[] {
  if (acl === undefined) return zookeeper.ACL.OPEN_ACL_UNSAFE;
  return acl.map((entry) => new zookeeper.ACL(entry.perms, new zookeeper.Id(entry.scheme, entry.id)));
}

function errorOf(error: unknown): string {
  if (error && typeof error === 'object' && 'getName' in error && typeof error.getName === 'function') {
    return String(error.getName());
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Data as the transcript shows it: text when printable, else its length. */
export function dataText(data: Buffer | undefined | null): string | null {
  if (data === undefined || data === null) return null;
  if (data.length > 256 || /[^\x20-\x7e]/.test(data.toString('latin1'))) return `<${data.length} bytes>`;
  return data.toString('utf8');
}

export class NzkClient {
  private readonly eventLog = new EventLog<string>();

  private constructor(
    private readonly client: Client,
    readonly sessionId: bigint,
  ) {}

  static async connect(connectString: string, options: { sessionTimeoutMs?: number } = {}): Promise<NzkClient> {
    const client = zookeeper.createClient(connectString, {
      sessionTimeout: options.sessionTimeoutMs ?? 10_000,
      spinDelay: 200,
      retries: 0,
    });
    const connected = new Promise<void>((resolve) => client.once('connected', () => resolve()));
    client.connect();
    try {
      await withTimeout(connected, 10_000, `node-zookeeper-client connect to ${connectString}`);
    } catch (error) {
      closeNodeZkClient(client);
      throw error;
    }
    return new NzkClient(client, client.getSessionId().readBigInt64BE(0));
  }

  /** Watch events in arrival order, as `tag EVENT_NAME path`. */
  get events(): string[] {
    return this.eventLog.entries;
  }

  get raw(): Client {
    return this.client;
  }

  /** A one-shot watcher that appends `tag NODE_… path` to this client's event log. */
  watcher(tag: string): (event: Event) => void {
    return (event) => {
      this.eventLog.push(`${tag} ${event.getName()} ${event.getPath()}`);
    };
  }

  /** Returns and clears the event log. */
  takeEvents(): string[] {
    return this.eventLog.take();
  }

  /** Waits (bounded) until at least `count` events are logged; returns without throwing at the deadline. */
  waitForEvents(count: number, timeoutMs: number): Promise<void> {
    return this.eventLog.waitFor(count, timeoutMs);
  }

  /** A round trip: every event the server queued for this client before now has been delivered after it. */
  async sync(): Promise<void> {
    await this.exists('/');
  }

  private call<T>(what: string, start: (done: (error: unknown, value?: T) => void) => void): Promise<Outcome<T>> {
    const result = new Promise<Outcome<T>>((resolve) => {
      try {
        start((error, value) => resolve(error ? { error: errorOf(error) } : { ok: value as T }));
      } catch (error) {
        // The library validates some arguments (paths, sizes) itself and throws before sending anything.
        resolve({ error: `client-side: ${error instanceof Error ? error.message : String(error)}` });
      }
    });
    return withTimeout(result, OP_TIMEOUT_MS, what).catch((error: unknown) => ({ error: errorOf(error) }));
  }

  create(path: string, data: string | Buffer | null = null, options: { mode?: number; acl?: AclView[] } = {}): Promise<Outcome<string>> {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    return this.call(`create ${path}`, (done) =>
      this.client.create(path, bytes, toAcl(options.acl), options.mode ?? 0, (error, created) => done(error, created)),
    );
  }

  remove(path: string, version = -1): Promise<Outcome<null>> {
    return this.call(`delete ${path}`, (done) => this.client.remove(path, version, (error) => done(error, null)));
  }

  exists(path: string, watchTag?: string): Promise<Outcome<StatView | null>> {
    const watcher = watchTag === undefined ? undefined : this.watcher(watchTag);
    return this.call(`exists ${path}`, (done) =>
      this.client.exists(path, watcher, (error, stat) => done(error, stat ? statView(stat) : null)),
    );
  }

  getData(path: string, watchTag?: string): Promise<Outcome<{ data: string | null; stat: StatView }>> {
    const watcher = watchTag === undefined ? undefined : this.watcher(watchTag);
    return this.call(`getData ${path}`, (done) =>
      this.client.getData(path, watcher, (error, data, stat) =>
        done(error, error ? undefined : { data: dataText(data), stat: statView(stat) }),
      ),
    );
  }

  setData(path: string, data: string | Buffer, version = -1): Promise<Outcome<StatView>> {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    return this.call(`setData ${path}`, (done) =>
      this.client.setData(path, bytes, version, (error, stat) => done(error, error ? undefined : statView(stat))),
    );
  }

  getChildren(path: string, watchTag?: string): Promise<Outcome<{ children: string[]; stat: StatView }>> {
    const watcher = watchTag === undefined ? undefined : this.watcher(watchTag);
    return this.call(`getChildren ${path}`, (done) =>
      this.client.getChildren(path, watcher, (error, children, stat) =>
        done(error, error ? undefined : { children: [...children].sort(), stat: statView(stat) }),
      ),
    );
  }

  getACL(path: string): Promise<Outcome<{ acl: AclView[]; stat: StatView }>> {
    return this.call(`getACL ${path}`, (done) =>
      this.client.getACL(path, (error, acls, stat) =>
        done(
          error,
          error
            ? undefined
            : { acl: acls.map((acl) => ({ perms: acl.permission, scheme: acl.id.scheme, id: acl.id.id })), stat: statView(stat) },
        ),
      ),
    );
  }

  setACL(path: string, acl: AclView[], version = -1): Promise<Outcome<StatView>> {
    return this.call(`setACL ${path}`, (done) =>
      this.client.setACL(path, toAcl(acl), version, (error, stat) => done(error, error ? undefined : statView(stat))),
    );
  }

  addAuthInfo(scheme: string, auth: string): void {
    this.client.addAuthInfo(scheme, Buffer.from(auth));
  }

  /** multi through the library's transaction(); results as the library reports them (type, path, stat, err). */
  multi(ops: MultiOpSpec[]): Promise<Outcome<unknown[]> | { error: string; results: unknown[] }> {
    const transaction = this.client.transaction();
    for (const op of ops) {
      if (op.op === 'create') transaction.create(op.path, op.data === undefined ? null : Buffer.from(op.data), toAcl(op.acl), op.mode ?? 0);
      else if (op.op === 'delete') transaction.remove(op.path, op.version ?? -1);
      else if (op.op === 'setData') transaction.setData(op.path, Buffer.from(op.data), op.version ?? -1);
      else transaction.check(op.path, op.version);
    }
    const result = new Promise<Outcome<unknown[]> | { error: string; results: unknown[] }>((resolve) => {
      transaction.commit((error, results) => {
        const views = (results ?? []).map((entry) => ({
          type: opName(entry.type),
          ...(entry.path !== undefined ? { path: entry.path } : {}),
          ...(entry.stat !== undefined ? { stat: statView(entry.stat) } : {}),
          ...(entry.err !== undefined ? { err: entry.err } : {}),
        }));
        resolve(error ? { error: errorOf(error), results: views } : { ok: views });
      });
    });
    return withTimeout(result, OP_TIMEOUT_MS, 'multi').catch((error: unknown) => ({ error: errorOf(error) }));
  }

  /** Closes the session and waits (bounded) until the server has closed the connection. */
  async close(): Promise<void> {
    const state = this.client.getState();
    if (state === zookeeper.State.DISCONNECTED || state === zookeeper.State.EXPIRED) {
      closeNodeZkClient(this.client);
      return;
    }
    const disconnected = new Promise<void>((resolve) => this.client.once('disconnected', () => resolve()));
    this.client.close();
    await withTimeout(disconnected, 5_000, 'node-zookeeper-client close').catch(() => undefined);
  }
}
