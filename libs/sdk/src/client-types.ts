// The client's public option, event and result types (kept apart from client.ts, which is the behaviour).
import type { Acl, Stat, WatcherType } from '@zk/wire';
import type { ConnectionState, StateEvent } from './connection-state';
import type { ZooKeeperError } from './errors';
import type { Transport } from './transport';

export interface ClientOptions {
  /** Requested session timeout; the server clamps it to [2, 20] × tickTime. Default 30 s. */
  sessionTimeoutMs?: number;
  /** Default: WebSocketTransport for ws:// and wss:// connect strings, TCP for host:port ones (Node only). */
  transport?: Transport;
  /**
   * Accept a read-only server (one cut off from its quorum, readonlymode.enabled) when no read-write server answers:
   * the state is then `connectedReadOnly`, reads work and writes fail with NotReadOnlyError, and the client keeps
   * probing the other hosts for a read-write server and moves there on its own. Default false.
   */
  canBeReadOnly?: boolean;
  /** While read-only: the longest pause between probes for a read-write server (100 ms first, doubling). Default 10 000. */
  readWriteProbeIntervalMaxMs?: number;
  /** After expiry, start a new session (state goes expired → connecting → connected). Default true. */
  renewSessionOnExpiry?: boolean;
  /** Credentials added to every session this client makes, e.g. `{ scheme: 'digest', auth: 'user:pass' }`. */
  auth?: { scheme: string; auth: string | Uint8Array }[];
  /** ACL for creates that name none. Default OPEN_ACL_UNSAFE. */
  defaultAcl?: readonly Acl[];
  /** Requests waiting to be sent (for a connection, or for room in flight); beyond this they fail with ConnectionLossError. Default 10 000. */
  queuedRequestsMax?: number;
  /** Requests pipelined on the connection at once; more wait in the queue. Default 1 000. */
  requestsInFlightMax?: number;
  /** Injectable randomness (host shuffling, backoff jitter) for tests. */
  random?: () => number;
}

export type ClientEvents = {
  [E in StateEvent]: [];
} & {
  /** Every state event, with the state it leads to. */
  state: [event: StateEvent, state: ConnectionState];
  callbackError: [error: unknown];
};

export interface WatchOptions {
  /** Watch the node and everything below it (ZooKeeper's PERSISTENT_RECURSIVE). Default false. */
  recursive?: boolean;
}

/** A persistent watch registered with addWatch; remove() stops the callbacks. */
export interface PersistentWatch {
  readonly path: string;
  readonly recursive: boolean;
  remove(): Promise<void>;
}

export type WatcherTypeName = keyof typeof WatcherType;

export interface ReadOp {
  type: 'getData' | 'getChildren';
  path: string;
}

export type ReadResult =
  | { type: 'getData'; data: Uint8Array; stat: Stat }
  | { type: 'getChildren'; children: string[] }
  | { type: 'error'; error: ZooKeeperError };
