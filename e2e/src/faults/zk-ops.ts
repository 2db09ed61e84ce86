// node-zookeeper-client calls the fault scenarios make, as promises that settle exactly once: a value, or a
// ZkCallError with ZooKeeper's error code (or TIMED_OUT when the harness stopped waiting). Adds `sync`,
// which node-zookeeper-client 1.1.3 does not offer (see syncPath).
import * as zookeeper from 'node-zookeeper-client';
import { closeNodeZkClient } from '@zk/sdk/testing';

export const ErrorCodes = {
  CONNECTION_LOSS: -4,
  OPERATION_TIMEOUT: -7,
  NO_NODE: -101,
  BAD_VERSION: -103,
  NODE_EXISTS: -110,
  SESSION_EXPIRED: -112,
  /** Not ZooKeeper's: the harness's own per-operation deadline passed. */
  TIMED_OUT: -10_000,
} as const;

export class ZkCallError extends Error {
  constructor(
    readonly code: number,
    what: string,
  ) {
    super(`${what}: ${code === ErrorCodes.TIMED_OUT ? 'no answer in time' : `ZooKeeper error ${code}`}`);
    this.name = 'ZkCallError';
  }
}

export function errorCodeOf(error: unknown): number | undefined {
  if (error instanceof ZkCallError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Calls `start` with a node-style callback and settles with its answer, or rejects with TIMED_OUT after
 * `timeoutMs`. The request may still be answered (and take effect) later: the caller records it as unknown.
 */
function call<T>(what: string, timeoutMs: number, start: (done: (error: unknown, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(new ZkCallError(ErrorCodes.TIMED_OUT, what));
    }, timeoutMs);
    timer.unref();
    try {
      start((error, value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(new ZkCallError(errorCodeOf(error) ?? ErrorCodes.CONNECTION_LOSS, what));
        else resolve(value as T);
      });
    } catch (error) {
      // The client throws synchronously once closed.
      settled = true;
      clearTimeout(timer);
      reject(new ZkCallError(errorCodeOf(error) ?? ErrorCodes.CONNECTION_LOSS, `${what} (${String(error)})`));
    }
  });
}

/** A new session with `connectString` (no retries inside the client), or a rejection after `timeoutMs`. */
export function openSession(connectString: string, sessionTimeoutMs: number, timeoutMs: number): Promise<zookeeper.Client> {
  const client = zookeeper.createClient(connectString, { sessionTimeout: sessionTimeoutMs, spinDelay: 100, retries: 0 });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      closeNodeZkClient(client);
      reject(new Error(`no session with ${connectString} within ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    client.once('connected', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.connect();
  });
}

export function sessionIdOf(client: zookeeper.Client): string {
  return `0x${client.getSessionId().toString('hex')}`;
}

export function setData(client: zookeeper.Client, path: string, value: string, version: number, timeoutMs: number): Promise<zookeeper.Stat> {
  return call(`setData ${path}`, timeoutMs, (done) => client.setData(path, Buffer.from(value), version, (error, stat) => done(error, stat)));
}

export function getData(client: zookeeper.Client, path: string, timeoutMs: number): Promise<{ value: string; stat: zookeeper.Stat }> {
  return call(`getData ${path}`, timeoutMs, (done) => client.getData(path, undefined, (error, data, stat) => done(error, { value: data?.toString('utf8') ?? '', stat })));
}

export function create(client: zookeeper.Client, path: string, value: string, mode: number, timeoutMs: number): Promise<string> {
  return call(`create ${path}`, timeoutMs, (done) => client.create(path, Buffer.from(value), zookeeper.ACL.OPEN_ACL_UNSAFE, mode, (error, created) => done(error, created)));
}

export function getChildren(client: zookeeper.Client, path: string, timeoutMs: number): Promise<string[]> {
  return call(`getChildren ${path}`, timeoutMs, (done) => client.getChildren(path, undefined, (error, children) => done(error, children)));
}

export function remove(client: zookeeper.Client, path: string, timeoutMs: number): Promise<void> {
  return call(`delete ${path}`, timeoutMs, (done) => client.remove(path, -1, (error) => done(error)));
}

/** The parts of node-zookeeper-client's connection manager syncPath uses (not in its public API). */
interface PacketQueue {
  queue(request: { header: { xid: number; type: number }; payload: undefined; toBuffer(): Buffer }, callback: (error: unknown) => void): void;
}

const OP_SYNC = 9;
/** How the client parses the reply: like DELETE's, a header and no body it needs to read. */
const OP_PARSED_AS = 2;

/**
 * `sync(path)`: the server answers once it has caught up with the leader, so a read after it sees every write
 * committed before the sync was issued. node-zookeeper-client 1.1.3 has no sync, and it resets the connection
 * on a reply to an opcode it does not know; so the request goes on the wire as SYNC (opcode 9, path) but is
 * filed in the client's pending queue as a DELETE, whose reply (a header, no body read) it handles. The
 * reply's SyncResponse body is skipped by the client's framing.
 */
export function syncPath(client: zookeeper.Client, path: string, timeoutMs: number): Promise<void> {
  const manager = (client as unknown as { connectionManager: PacketQueue }).connectionManager;
  const header = { xid: 0, type: OP_PARSED_AS };
  const request = {
    header,
    payload: undefined,
    toBuffer(): Buffer {
      const pathBytes = Buffer.from(path, 'utf8');
      const buffer = Buffer.alloc(4 + 4 + 4 + 4 + pathBytes.length);
      buffer.writeInt32BE(buffer.length - 4, 0);
      buffer.writeInt32BE(header.xid, 4); // set by the connection manager before it serializes
      buffer.writeInt32BE(OP_SYNC, 8);
      buffer.writeInt32BE(pathBytes.length, 12);
      pathBytes.copy(buffer, 16);
      return buffer;
    },
  };
  return call(`sync ${path}`, timeoutMs, (done) => manager.queue(request, (error) => done(error)));
}
