// The session engine (ClientCnxn's job): connect to one host after another, resume the session there,
// pipeline requests and match replies in order, re-send auth and re-arm watches after a reconnect, and drive
// the connection state machine. The public API lives in client.ts; this file speaks wire records.
import { decodeReply, encodeRequest, ErrorCode, EventType, OpCode, Xid, type Request, type Response } from '@zk/wire';
import { AuthBook } from './auth-book';
import { shuffled, type HostAddress } from './connect-string';
import { transition, TERMINAL_STATES, type ConnectionState, type StateEvent, type StateInput } from './connection-state';
import { TypedEmitter } from './emitter';
import { AuthFailedError, ClientClosedError, ConnectionLossError, errorFromCode, SessionExpiredError, type ZooKeeperError } from './errors';
import { attemptHandshake, type Attempt } from './handshake';
import { Heartbeat, unrefTimer } from './heartbeat';
import { findReadWriteHost } from './read-write-probe';
import type { Chroot } from './paths';
import { setWatchesBatches } from './set-watches';
import type { Transport, TransportConnection } from './transport';
import { watchEventTypeOf, WatchRegistry } from './watch-registry';

export interface SessionOptions {
  hosts: HostAddress[];
  chroot: Chroot;
  transport: Transport;
  sessionTimeoutMs: number;
  canBeReadOnly: boolean;
  renewSessionOnExpiry: boolean;
  /** Requests waiting to be sent (no connection, or too many in flight); one more is refused with ConnectionLossError. */
  queuedRequestsMax: number;
  /** Requests sent and not yet answered; further ones wait in the queue. */
  requestsInFlightMax: number;
  /** While connected read-only: the longest pause between two probes for a read-write server (they start at 100 ms and double). */
  readWriteProbeIntervalMaxMs: number;
  random: () => number;
}

/** A reply as the client sees it: `err` 0 with a body, or a ZooKeeper error code. */
export interface Reply {
  err: number;
  response?: Response;
  zxid: bigint;
}

export interface SessionEvents {
  state: [event: StateEvent, state: ConnectionState];
  /** A listener or watcher threw; the session carried on. */
  callbackError: [error: unknown];
}

interface Pending {
  xid: number;
  request: Request;
  /** Called synchronously when the reply arrives, before later frames are read (watch registration). */
  onReply: (reply: Reply) => void;
  reject: (error: ZooKeeperError) => void;
}

/** The connection in use; `generation` tells its callbacks from those of connections already given up. */
interface Live {
  connection: TransportConnection;
  generation: number;
  heartbeat: Heartbeat;
}

const XID_MAX = 0x7fffffff;
const CLOSE_SESSION_WAIT_MS_MAX = 2_000;
const RECONNECT_BACKOFF_MS_MAX = 1_000;

export class Session {
  readonly events = new TypedEmitter<SessionEvents>((error) => this.reportCallbackError(error));
  readonly watches = new WatchRegistry();
  private stateValue: ConnectionState = 'connecting';
  private sessionIdValue = 0n;
  private passwd: Uint8Array = new Uint8Array(16);
  private negotiatedTimeoutMs = 0;
  private readOnlyValue = false;
  /**
   * ZooKeeper's seenRwServerBefore: until a read-write server has granted this client a session, the session it has
   * (if any) is a read-only server's local one, unknown elsewhere; so the next handshake asks for a new session (id 0).
   */
  private seenReadWriteServer = false;
  /** Where to connect next after a planned move (a read-write server found while read-only). */
  private nextHostIndex: number | undefined;
  /**
   * When the connection was lost (state suspended). Requests wait for a new connection for at most one session
   * timeout from then: after that the session has most likely expired on the servers, and a request that can
   * never be sent (the servers are out of reach) would otherwise wait forever.
   */
  private suspendedSinceMs: number | undefined;
  private suspensionTimer: ReturnType<typeof setTimeout> | undefined;
  private lastZxidSeenValue = 0n;
  private xid = 0;
  /** Sent and not yet answered, oldest first: replies must come in this order. */
  private readonly inFlight: Pending[] = [];
  /** Submitted while no connection is up or the in-flight limit is reached; sent as soon as possible, in order. */
  private readonly queued: Pending[] = [];
  private readonly auth = new AuthBook();
  private live: Live | undefined;
  private attempt: Attempt | undefined;
  private generation = 0;
  private connecting = false;
  private readonly hosts: HostAddress[];
  private hostIndex = 0;

  constructor(private readonly options: SessionOptions) {
    if (options.hosts.length === 0) throw new Error('a session needs at least one host');
    this.hosts = shuffled(options.hosts, options.random);
  }

  get state(): ConnectionState {
    return this.stateValue;
  }
  get sessionId(): bigint {
    return this.sessionIdValue;
  }
  /** The timeout the server granted; 0 before the first handshake. */
  get sessionTimeoutMs(): number {
    return this.negotiatedTimeoutMs;
  }
  get isReadOnly(): boolean {
    return this.readOnlyValue;
  }
  get lastZxidSeen(): bigint {
    return this.lastZxidSeenValue;
  }
  get isTerminal(): boolean {
    return TERMINAL_STATES.has(this.stateValue);
  }

  start(): void {
    void this.connectLoop();
  }

  /** Sends a request now if connected (pipelined), else queues it for the next connection. */
  submit(request: Request, onReply: (reply: Reply) => void, reject: (error: ZooKeeperError) => void): void {
    const refusal = this.refusal() ?? this.suspendedTooLong();
    if (refusal !== undefined) {
      reject(refusal);
      return;
    }
    const pending: Pending = { xid: this.nextXid(), request, onReply, reject };
    if (this.live !== undefined && this.queued.length === 0 && this.inFlight.length < this.options.requestsInFlightMax) {
      this.sendPending(pending, this.live);
    } else if (this.queued.length >= this.options.queuedRequestsMax) {
      reject(new ConnectionLossError(undefined, `${this.queued.length} requests already waiting to be sent (state ${this.stateValue})`));
    } else this.queued.push(pending);
  }

  /** The promise form of `submit`. */
  request(request: Request, onReply?: (reply: Reply) => void): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.submit(
        request,
        (reply) => {
          onReply?.(reply);
          resolve(reply);
        },
        reject,
      );
    });
  }

  /** Adds credentials to the session (and to every later connection of it); resolves when the server accepts. */
  addAuth(scheme: string, auth: Uint8Array): Promise<void> {
    const refusal = this.refusal();
    if (refusal !== undefined) return Promise.reject(refusal);
    const live = this.live;
    const accepted = this.auth.add({ scheme, auth }, live !== undefined);
    if (live !== undefined) this.sendFrame(live, authFrame(scheme, auth));
    return accepted;
  }

  /** Closes the session on the server (bounded wait), then the connection; every waiter is failed. */
  async close(): Promise<void> {
    if (this.isTerminal) return;
    if (this.live !== undefined) {
      const reply = this.request({ op: OpCode.closeSession }).catch(() => undefined);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.min(CLOSE_SESSION_WAIT_MS_MAX, this.negotiatedTimeoutMs));
      });
      await Promise.race([reply, timeout]);
      clearTimeout(timer);
    }
    this.finish('close', () => new ClientClosedError());
  }

  // ---- connecting ----

  private wantsConnection(): boolean {
    return this.live === undefined && !this.isTerminal && this.stateValue !== 'expired';
  }

  /** Tries hosts in (shuffled) order until a handshake succeeds; backs off after each full round. */
  private async connectLoop(): Promise<void> {
    if (this.connecting) return;
    this.connecting = true;
    try {
      let failedAttempts = 0;
      while (this.wantsConnection()) {
        const outcome = await this.connectTo(this.hosts[this.hostIndex]);
        if (outcome === 'connected' || !this.wantsConnection()) return;
        if (outcome === 'renewed') {
          failedAttempts = 0;
          continue;
        }
        failedAttempts += 1;
        this.hostIndex = (this.hostIndex + 1) % this.hosts.length;
        if (failedAttempts % this.hosts.length === 0) {
          const backoffMs = Math.min(RECONNECT_BACKOFF_MS_MAX, 25 * 2 ** Math.min(failedAttempts / this.hosts.length, 6));
          await sleep(backoffMs / 2 + this.options.random() * (backoffMs / 2));
        }
      }
    } finally {
      this.connecting = false;
    }
  }

  private async connectTo(host: HostAddress): Promise<'connected' | 'failed' | 'renewed'> {
    const attempt = attemptHandshake(
      this.options.transport,
      host,
      {
        protocolVersion: 0,
        lastZxidSeen: this.lastZxidSeenValue,
        timeOut: this.options.sessionTimeoutMs,
        sessionId: this.seenReadWriteServer ? this.sessionIdValue : 0n,
        passwd: this.seenReadWriteServer ? this.passwd : new Uint8Array(16),
        readOnly: this.options.canBeReadOnly,
      },
      Math.max(1, Math.floor(this.options.sessionTimeoutMs / this.hosts.length)),
    );
    this.attempt = attempt;
    const handshake = await attempt.result;
    this.attempt = undefined;
    if (handshake === undefined) return 'failed';
    if (!this.wantsConnection()) {
      handshake.connection.close();
      return 'failed';
    }
    const { connection, response } = handshake;
    if (response.timeOut <= 0) {
      // ZooKeeper's way of saying the session we tried to resume has expired.
      connection.close();
      this.sessionExpired();
      return this.wantsConnection() ? 'renewed' : 'failed';
    }
    // A read-write server replacing a read-only server's local session gives a new session: listeners hear "connected".
    const input: StateInput = response.readOnly
      ? 'handshakeDoneReadOnly'
      : !this.seenReadWriteServer && this.sessionIdValue !== 0n
        ? 'handshakeDoneNewSession'
        : 'handshakeDone';
    if (!response.readOnly) this.seenReadWriteServer = true;
    this.sessionIdValue = response.sessionId;
    this.passwd = response.passwd;
    this.negotiatedTimeoutMs = response.timeOut;
    this.readOnlyValue = response.readOnly;
    const generation = ++this.generation;
    const live: Live = {
      connection,
      generation,
      heartbeat: new Heartbeat(
        response.timeOut,
        () => connection.send(encodeRequest({ xid: Xid.ping, type: OpCode.ping }, { op: OpCode.ping })),
        () => this.dropConnection(generation),
      ),
    };
    this.live = live;
    this.endSuspension();
    this.prime(live);
    this.apply(input);
    if (this.stateValue === 'connectedReadOnly') void this.probeForReadWrite(live);
    handshake.open({
      onFrame: (body) => {
        if (this.live !== live) return;
        live.heartbeat.noteReceived();
        this.handleFrame(body, live);
      },
      onClose: () => this.connectionLost(generation),
    });
    return 'connected';
  }

  /** While this connection is read-only: on finding a read-write server, drop it and connect there. */
  private async probeForReadWrite(live: Live): Promise<void> {
    const stillReadOnly = (): boolean => this.live === live && this.stateValue === 'connectedReadOnly';
    const index = await findReadWriteHost({
      transport: this.options.transport,
      hosts: this.hosts,
      currentIndex: this.hostIndex,
      intervalMaxMs: this.options.readWriteProbeIntervalMaxMs,
      stillReadOnly,
    });
    if (index === undefined || !stillReadOnly()) return;
    this.nextHostIndex = index;
    this.dropConnection(live.generation);
  }

  /** After the handshake: credentials, then the watches to re-arm (from the last zxid seen), then the queued requests. */
  private prime(live: Live): void {
    for (const info of this.auth.replay()) this.sendFrame(live, authFrame(info.scheme, info.auth));
    for (const request of setWatchesBatches(this.watches, (path) => this.options.chroot.toServer(path), this.lastZxidSeenValue)) {
      this.sendFrame(live, encodeRequest({ xid: Xid.setWatches, type: OpCode.setWatches2 }, request));
    }
    this.sendQueued(live);
  }

  /** Sends queued requests while the in-flight limit allows. */
  private sendQueued(live: Live): void {
    while (this.queued.length > 0 && this.inFlight.length < this.options.requestsInFlightMax && this.live === live) {
      this.sendPending(this.queued.shift() as Pending, live);
    }
  }

  // ---- frames in ----

  private handleFrame(body: Uint8Array, live: Live): void {
    let decoded;
    try {
      decoded = decodeReply(body, (xid) => {
        if (xid === Xid.setWatches) return OpCode.setWatches2;
        const head = this.inFlight[0];
        return head !== undefined && head.xid === xid ? head.request.op : undefined;
      });
    } catch {
      // A reply we cannot read or that answers no request in order: the stream can no longer be trusted.
      this.dropConnection(live.generation);
      return;
    }
    const { header } = decoded;
    switch (header.xid) {
      case Xid.notification:
        if (decoded.event !== undefined) this.deliverEvent(decoded.event.type, decoded.event.path, header.zxid);
        return;
      case Xid.ping:
        return;
      case Xid.auth:
        this.authReplied(header.err);
        return;
      case Xid.setWatches:
        if (header.err !== ErrorCode.ok) this.reportCallbackError(errorFromCode(header.err, 'setWatches2'));
        return;
    }
    const pending = this.inFlight.shift();
    if (pending === undefined || pending.xid !== header.xid) {
      this.dropConnection(live.generation);
      return;
    }
    if (header.zxid > 0n) this.lastZxidSeenValue = header.zxid;
    try {
      pending.onReply({ err: header.err, response: decoded.response, zxid: header.zxid });
    } catch (error) {
      this.reportCallbackError(error);
    }
    if (header.err === ErrorCode.sessionExpired) this.sessionExpired();
    else if (this.queued.length > 0 && this.live === live) this.sendQueued(live);
  }

  private deliverEvent(type: number, serverPath: string, zxid: bigint): void {
    if (type === EventType.none) return;
    const eventType = watchEventTypeOf(type);
    if (eventType === undefined) return;
    const path = this.options.chroot.toClient(serverPath);
    for (const watcher of this.watches.materialize(eventType, path)) {
      try {
        watcher({ type: eventType, path, zxid });
      } catch (error) {
        this.reportCallbackError(error);
      }
    }
  }

  private authReplied(err: number): void {
    if (err === ErrorCode.authFailed) {
      this.auth.replied(new AuthFailedError());
      this.finish('authFailed', () => new AuthFailedError());
      return;
    }
    this.auth.replied(err === ErrorCode.ok ? undefined : errorFromCode(err));
  }

  // ---- frames out ----

  private sendPending(pending: Pending, live: Live): void {
    this.inFlight.push(pending);
    this.sendFrame(live, encodeRequest({ xid: pending.xid, type: pending.request.op }, pending.request));
  }

  private sendFrame(live: Live, frame: Uint8Array): void {
    live.heartbeat.noteSent();
    live.connection.send(frame);
  }

  private nextXid(): number {
    this.xid = this.xid >= XID_MAX ? 1 : this.xid + 1;
    return this.xid;
  }

  // ---- losing the connection, the session, or the client ----

  private dropConnection(generation: number): void {
    const live = this.live;
    if (live === undefined || live.generation !== generation) return;
    live.connection.close();
    this.connectionLost(generation);
  }

  private connectionLost(generation: number): void {
    const live = this.live;
    if (live === undefined || live.generation !== generation) return;
    this.releaseLive();
    this.failInFlight(() => new ConnectionLossError());
    if (this.isTerminal) return;
    this.apply('connectionLost');
    if (this.stateValue === 'suspended') this.beginSuspension();
    // Start with the next host, as ZooKeeper does after a loss, or with the read-write server a probe found.
    this.hostIndex = this.nextHostIndex ?? (this.hostIndex + 1) % this.hosts.length;
    this.nextHostIndex = undefined;
    void this.connectLoop();
  }

  private beginSuspension(): void {
    if (this.suspendedSinceMs !== undefined || this.negotiatedTimeoutMs <= 0) return;
    this.suspendedSinceMs = Date.now();
    this.suspensionTimer = unrefTimer(
      setTimeout(() => {
        if (this.stateValue !== 'suspended') return;
        const waited = this.queued.splice(0);
        for (const pending of waited) pending.reject(this.suspendedTooLong() ?? new ConnectionLossError());
      }, this.negotiatedTimeoutMs),
    );
  }

  private endSuspension(): void {
    clearTimeout(this.suspensionTimer);
    this.suspensionTimer = undefined;
    this.suspendedSinceMs = undefined;
  }

  /** ConnectionLossError for a request made after a session timeout without a connection. */
  private suspendedTooLong(): ZooKeeperError | undefined {
    if (this.stateValue !== 'suspended' || this.suspendedSinceMs === undefined) return undefined;
    const suspendedMs = Date.now() - this.suspendedSinceMs;
    if (suspendedMs < this.negotiatedTimeoutMs) return undefined;
    return new ConnectionLossError(undefined, `no connection for ${suspendedMs} ms, longer than the session timeout (${this.negotiatedTimeoutMs} ms)`);
  }

  private releaseLive(): void {
    const live = this.live;
    this.live = undefined;
    if (live === undefined) return;
    live.heartbeat.stop();
    live.connection.close();
  }

  private failInFlight(makeError: () => ZooKeeperError): void {
    for (const pending of this.inFlight.splice(0)) pending.reject(makeError());
    this.auth.failInFlight(makeError);
  }

  private failEverything(makeError: () => ZooKeeperError): void {
    this.endSuspension();
    this.failInFlight(makeError);
    for (const pending of this.queued.splice(0)) pending.reject(makeError());
    this.auth.failAll(makeError);
    this.watches.clear();
  }

  private sessionExpired(): void {
    if (this.isTerminal || this.stateValue === 'expired') return;
    this.releaseLive();
    this.failEverything(() => new SessionExpiredError());
    this.apply('sessionExpired');
    if (this.options.renewSessionOnExpiry && !this.isTerminal) {
      this.sessionIdValue = 0n;
      this.passwd = new Uint8Array(16);
      this.apply('renewSession');
      void this.connectLoop();
    }
  }

  private finish(input: 'close' | 'authFailed', makeError: () => ZooKeeperError): void {
    if (this.isTerminal) return;
    this.releaseLive();
    this.attempt?.abort();
    this.failEverything(makeError);
    this.apply(input);
  }

  private apply(input: StateInput): void {
    const next = transition(this.stateValue, input);
    this.stateValue = next.state;
    if (next.event !== undefined) this.events.emit('state', next.event, next.state);
  }

  /** Why a new request cannot be accepted now, if it cannot. */
  private refusal(): ZooKeeperError | undefined {
    switch (this.stateValue) {
      case 'closed':
        return new ClientClosedError();
      case 'authFailed':
        return new AuthFailedError(undefined, 'the session failed authentication');
      case 'expired':
        return new SessionExpiredError();
      default:
        return undefined;
    }
  }

  private reportCallbackError(error: unknown): void {
    if (this.events.listenerCount('callbackError') > 0) this.events.emit('callbackError', error);
    else console.error('zk sdk: a listener or watcher threw', error);
  }
}

function authFrame(scheme: string, auth: Uint8Array): Uint8Array {
  return encodeRequest({ xid: Xid.auth, type: OpCode.auth }, { op: OpCode.auth, type: 0, scheme, auth });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => unrefTimer(setTimeout(resolve, ms)));
}
