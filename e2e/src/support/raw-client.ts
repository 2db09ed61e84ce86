// A bare ZooKeeper client on our own codec (@zk/wire): one socket, one session, requests answered in order,
// watch events logged as they arrive. It covers what node-zookeeper-client lacks (create2, containers, TTL,
// multiRead, addWatch, removeWatches, getEphemerals, whoAmI, setWatches…) and, run against the real
// ZooKeeper, it is the proof that our codec speaks the same bytes.
import { connect, type Socket } from 'node:net';
import {
  decodeConnectResponse,
  decodeReply,
  encodeConnectRequest,
  encodeRequest,
  errorName,
  FrameDecoder,
  JUTE_MAX_BUFFER_DEFAULT,
  OpCode,
  Xid,
  type ConnectResponse,
  type Request,
  type Response,
  type WatcherEvent,
} from '@zk/wire';
import { withTimeout } from './wait';
import { EventLog } from './event-log';

export interface RawConnectOptions {
  sessionTimeoutMs?: number;
  /** Re-attach to an existing session. */
  sessionId?: bigint;
  passwd?: Uint8Array;
  lastZxidSeen?: bigint;
  /** Largest frame accepted from the server. */
  frameMaxBytes?: number;
}

export interface RawReply {
  /** ZooKeeper's error code; 0 is ok. */
  err: number;
  zxid: bigint;
  response?: Response;
}

interface Pending {
  op: number;
  resolve(reply: RawReply): void;
  reject(error: Error): void;
}

const REQUEST_TIMEOUT_MS = 10_000;
/** What the special xids carry, for requests that do not take a counter xid. */
const SPECIAL_XID: Partial<Record<number, number>> = {
  [OpCode.ping]: Xid.ping,
  [OpCode.auth]: Xid.auth,
  [OpCode.setWatches]: Xid.setWatches,
  [OpCode.setWatches2]: Xid.setWatches,
};

/** The server answered the ConnectRequest with timeOut 0: no session (wrong password, expired or unknown id). */
export class SessionRefusedError extends Error {
  override readonly name = 'SessionRefusedError';
  constructor(readonly response: ConnectResponse) {
    super(`session refused (ConnectResponse timeOut ${response.timeOut}, sessionId ${response.sessionId})`);
  }
}

/** `code` as the transcript shows it: ok, or ZooKeeper's name for the error. */
export function errText(code: number): string {
  return code === 0 ? 'ok' : errorName(code);
}

export class RawClient {
  /** The highest zxid in a reply header so far: what a reconnect sends as lastZxidSeen. */
  lastZxid = 0n;
  private readonly pending = new Map<number, Pending[]>();
  private nextXid = 1;
  private closed: Error | undefined;
  private readonly eventLog = new EventLog<WatcherEvent>();
  private pingTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly frames: FrameDecoder,
    readonly session: ConnectResponse,
  ) {
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('close', () => this.onClosed(new Error('connection closed by the server')));
    socket.on('error', (error) => this.onClosed(error));
    // Keep the session alive through scenarios that wait on timers (TTL, containers).
    this.pingTimer = setInterval(() => void this.send({ op: OpCode.ping }).catch(() => undefined), Math.max(session.timeOut / 3, 200));
    this.pingTimer.unref();
  }

  get sessionId(): bigint {
    return this.session.sessionId;
  }

  /** Opens a TCP connection, sends ConnectRequest and waits (bounded) for the ConnectResponse. */
  static async connect(port: number, options: RawConnectOptions = {}): Promise<RawClient> {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setNoDelay(true);
    const frames = new FrameDecoder(options.frameMaxBytes ?? JUTE_MAX_BUFFER_DEFAULT + 1024 * 1024);
    const handshake = new Promise<{ response: ConnectResponse; rest: Uint8Array[] }>((resolve, reject) => {
      const fail = (error: unknown): void => {
        detach();
        reject(error instanceof Error ? error : new Error(String(error)));
      };
      const onClose = (): void => fail(new Error('connection closed before the ConnectResponse'));
      const onData = (chunk: Buffer): void => {
        try {
          const bodies = frames.push(chunk);
          if (bodies.length === 0) return;
          detach();
          const [first, ...rest] = bodies as [Uint8Array, ...Uint8Array[]];
          resolve({ response: decodeConnectResponse(first), rest });
        } catch (error) {
          fail(error);
        }
      };
      const detach = (): void => {
        socket.off('data', onData);
        socket.off('error', fail);
        socket.off('close', onClose);
      };
      socket.on('data', onData);
      socket.on('error', fail);
      socket.on('close', onClose);
      socket.once('connect', () =>
        socket.write(
          encodeConnectRequest({
            protocolVersion: 0,
            lastZxidSeen: options.lastZxidSeen ?? 0n,
            timeOut: options.sessionTimeoutMs ?? 10_000,
            sessionId: options.sessionId ?? 0n,
            passwd: options.passwd ?? new Uint8Array(16),
            readOnly: false,
          }),
        ),
      );
    });
    try {
      const { response, rest } = await withTimeout(handshake, 5_000, `raw connect to 127.0.0.1:${port}`);
      if (response.timeOut <= 0) throw new SessionRefusedError(response);
      const client = new RawClient(socket, frames, response);
      for (const body of rest) client.onFrame(body);
      return client;
    } catch (error) {
      socket.destroy();
      throw error;
    }
  }

  /** Sends one request and waits (bounded) for its reply. Errors from the server are replies, not throws. */
  send(request: Request): Promise<RawReply> {
    if (this.closed) return Promise.reject(this.closed);
    const xid = SPECIAL_XID[request.op] ?? this.nextXid++;
    const reply = new Promise<RawReply>((resolve, reject) => {
      const queue = this.pending.get(xid) ?? [];
      queue.push({ op: request.op, resolve, reject });
      this.pending.set(xid, queue);
    });
    this.socket.write(encodeRequest({ xid, type: request.op }, request));
    return withTimeout(reply, REQUEST_TIMEOUT_MS, `reply to op ${request.op} (xid ${xid})`);
  }

  /**
   * Writes a hand-made frame and waits (bounded) for the reply to `xid`; `op` tells the decoder what a
   * success body would be. For requests the codec will not encode (unknown opcodes, malformed bodies).
   */
  sendFrame(xid: number, op: number, frame: Uint8Array): Promise<RawReply> {
    if (this.closed) return Promise.reject(this.closed);
    const reply = new Promise<RawReply>((resolve, reject) => {
      const queue = this.pending.get(xid) ?? [];
      queue.push({ op, resolve, reject });
      this.pending.set(xid, queue);
    });
    this.socket.write(frame);
    return withTimeout(reply, REQUEST_TIMEOUT_MS, `reply to a hand-made frame (xid ${xid})`);
  }

  /** Watch events in arrival order. */
  get events(): WatcherEvent[] {
    return this.eventLog.entries;
  }

  /** Returns and clears the event log. */
  takeEvents(): WatcherEvent[] {
    return this.eventLog.take();
  }

  /** Waits (bounded) until at least `count` events are logged; returns without throwing at the deadline. */
  waitForEvents(count: number, timeoutMs: number): Promise<void> {
    return this.eventLog.waitFor(count, timeoutMs);
  }

  /** True once the server closed the connection or it failed. */
  get isClosed(): boolean {
    return this.closed !== undefined;
  }

  /** Waits up to `timeoutMs` for the connection to close; true if it did. */
  async closedWithin(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.isClosed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    return this.isClosed;
  }

  /** closeSession, then the socket; bounded, never throws. */
  async close(): Promise<void> {
    if (!this.closed) {
      await this.send({ op: OpCode.closeSession }).catch(() => undefined);
    }
    this.destroy();
  }

  /** Drops the connection without closing the session (as a crashed client would). */
  destroy(): void {
    clearInterval(this.pingTimer);
    this.socket.destroy();
    this.onClosed(new Error('connection destroyed by the client'));
  }

  private onData(chunk: Buffer): void {
    let bodies: Uint8Array[];
    try {
      bodies = this.frames.push(chunk);
    } catch (error) {
      this.onClosed(error instanceof Error ? error : new Error(String(error)));
      this.socket.destroy();
      return;
    }
    for (const body of bodies) this.onFrame(body);
  }

  private onFrame(body: Uint8Array): void {
    const decoded = decodeReply(body, (xid: number) => this.pending.get(xid)?.[0]?.op);
    if (decoded.event !== undefined) {
      this.eventLog.push(decoded.event);
      return;
    }
    const queue = this.pending.get(decoded.header.xid);
    const waiter = queue?.shift();
    if (queue !== undefined && queue.length === 0) this.pending.delete(decoded.header.xid);
    if (waiter === undefined) {
      this.onClosed(new Error(`reply for unknown xid ${decoded.header.xid}`));
      this.socket.destroy();
      return;
    }
    if (decoded.header.zxid > this.lastZxid) this.lastZxid = decoded.header.zxid;
    waiter.resolve({ err: decoded.header.err, zxid: decoded.header.zxid, response: decoded.response });
  }

  private onClosed(error: Error): void {
    clearInterval(this.pingTimer);
    if (this.closed) return;
    this.closed = error;
    for (const queue of this.pending.values()) for (const waiter of queue) waiter.reject(error);
    this.pending.clear();
  }
}
