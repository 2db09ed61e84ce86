// One client connection, over TCP (client port) or WebSocket (admin port): a small state machine (handshake →
// open → closed) that frames and decodes requests, keeps the session's replies in request order, and carries watch events.
import type { TreeEvent } from '@zk/datatree';
import {
  decodeConnectRequest,
  decodeRequest,
  encodeConnectResponse,
  encodeReplyPieces,
  encodeWatcherEvent,
  ErrorCode,
  FrameDecoder,
  KeeperState,
  OpCode,
  WireError,
  Xid,
  errorName,
  type Id,
  type Request,
} from '@zk/wire';
import type { ServerCore, SessionOwner } from '../server/server-core';
import { WritePathFullError, type WriteRequest } from '../server/write-path';
import { digestId } from '../util/digest-auth';
import { IoBatch } from '../util/io-batch';
import { hexSessionId, type Logger } from '../util/logger';
import { mark } from '../util/timeline';
import type { ClientTransport } from './client-transport';
import { answerAddWatch, answerRead, answerRemoveWatches, answerWhoAmI, type LocalContext, type Outcome } from './local-requests';

type ConnectionState = 'handshake' | 'creatingSession' | 'open' | 'closed';

interface QueuedRequest {
  xid: number;
  op: number;
  receivedAtMs: number;
  outcome?: Outcome;
  /** Reads are evaluated only when they reach the head, so they see the session's earlier writes. */
  evaluate?: () => Outcome;
}

/** Requests queued per connection before we stop reading from its transport. */
export const REQUESTS_QUEUED_MAX = 1000;

export interface ConnectionInfo {
  remote: string;
  sessionId?: bigint;
  timeoutMs: number;
  queued: number;
  received: number;
  sent: number;
  establishedAtMs: number;
  lastOp: string;
  lastLatencyMs: number;
}

export class ClientConnection implements SessionOwner {
  private state: ConnectionState = 'handshake';
  private readonly decoder: FrameDecoder;
  private readonly queue: QueuedRequest[] = [];
  private readonly framesBeforeSession: Uint8Array[] = [];
  private sessionIdValue: bigint | undefined;
  private timeoutMs = 0;
  private clientSendsReadOnly = true;
  /** A session served by a member cut off from its quorum: reads only, NOTREADONLY for the rest. */
  private readOnlySession = false;
  readonly authIds: Id[];
  private received = 0;
  private sent = 0;
  private lastOp = 'NA';
  private lastLatencyMs = 0;
  private readonly establishedAtMs = Date.now();
  private readingPaused = false;
  private readonly replies = new IoBatch();
  private readonly log: Logger;
  private readonly localContext: LocalContext;

  constructor(
    private readonly transport: ClientTransport,
    private readonly core: ServerCore,
    logger: Logger,
    private readonly onClosed: (connection: ClientConnection) => void,
  ) {
    this.remote = `${transport.remoteAddress}:${transport.remotePort}`;
    this.log = logger.child({ component: 'client', remote: this.remote });
    // As ZooKeeper: a frame longer than jute.maxbuffer closes the connection.
    this.decoder = new FrameDecoder(core.config.maxBufferBytes);
    this.authIds = [{ scheme: 'ip', id: normaliseIp(transport.remoteAddress ?? '') }];
    this.localContext = { tree: core.db.tree, watches: core.db.watches, watcher: this, sessionId: 0n, authIds: this.authIds };
    transport.onError((error) => this.log.debug('socket error', { error: error.message }));
    transport.onClose(() => this.close('socket closed'));
  }

  readonly remote: string;

  get isReadOnly(): boolean {
    return this.readOnlySession;
  }

  get sessionId(): bigint | undefined {
    return this.sessionIdValue;
  }

  info(): ConnectionInfo {
    return {
      remote: this.remote,
      sessionId: this.sessionIdValue,
      timeoutMs: this.timeoutMs,
      queued: this.queue.length,
      received: this.received,
      sent: this.sent,
      establishedAtMs: this.establishedAtMs,
      lastOp: this.lastOp,
      lastLatencyMs: this.lastLatencyMs,
    };
  }

  /** crst: this connection's counters start again. */
  resetStats(): void {
    this.received = 0;
    this.sent = 0;
    this.lastLatencyMs = 0;
    this.lastOp = 'NA';
  }

  /** Bytes from the transport (on TCP after the four-letter-word check; on WebSocket one whole frame per message). */
  receive(chunk: Uint8Array): void {
    mark('client-data', chunk.length);
    let frames: Uint8Array[];
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      this.log.warn('closing connection: bad frame', { error: (error as Error).message });
      this.destroy();
      return;
    }
    for (const frame of frames) {
      if (this.state === 'closed') return;
      this.received++;
      this.core.stats.packetsReceived++;
      if (this.state === 'handshake') this.handleConnect(frame);
      else if (this.state === 'creatingSession') this.framesBeforeSession.push(frame);
      else this.handleRequest(frame);
    }
  }

  deliverEvent(event: TreeEvent): void {
    if (this.state !== 'open') return;
    this.write(encodeWatcherEvent({ type: event.type, state: KeeperState.syncConnected, path: event.path }));
  }

  /** Ends the connection; the session (if any) lives on until it expires or is closed. */
  close(reason: string): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.core.db.watches.removeWatcher(this);
    if (this.sessionIdValue !== undefined) this.core.releaseSession(this.sessionIdValue, this);
    if (wasOpen) this.log.info('connection closed', { session: this.sessionIdValue === undefined ? undefined : hexSessionId(this.sessionIdValue), reason });
    this.transport.end();
    this.onClosed(this);
  }

  private destroy(): void {
    this.close('protocol error');
    this.transport.destroy();
  }

  private handleConnect(frame: Uint8Array): void {
    let request;
    try {
      request = decodeConnectRequest(frame);
    } catch (error) {
      this.log.warn('closing connection: malformed ConnectRequest', { error: (error as Error).message });
      this.destroy();
      return;
    }
    if (request.lastZxidSeen > this.core.lastZxid) {
      // The client saw a newer state than ours: answering would take it back in time.
      this.log.warn('refusing session: client has seen a newer zxid', { clientZxid: request.lastZxidSeen.toString(16), session: hexSessionId(request.sessionId) });
      this.destroy();
      return;
    }
    if (!this.core.serving) {
      if (!this.core.readOnly || request.readOnly !== true) {
        // Between leaders (or cut off from a quorum) there is no consistent state to offer: the client tries another server.
        this.log.info('refusing session: this server is not serving', { role: this.core.replicationStatus.role, readOnlyMode: this.core.readOnly });
        this.destroy();
        return;
      }
      this.readOnlySession = true;
    }
    // Clients older than 3.4 send no read-only byte and must not get one back.
    this.clientSendsReadOnly = request.readOnly !== undefined;
    this.timeoutMs = this.core.negotiateTimeoutMs(request.timeOut);
    if (request.sessionId === 0n && this.readOnlySession) {
      const { sessionId, password } = this.core.createReadOnlySession(this.timeoutMs, this);
      this.openSession(sessionId, password);
      return;
    }
    if (request.sessionId === 0n) {
      this.state = 'creatingSession';
      this.core.createSession(this.timeoutMs, this, (sessionId, password) => {
        if (this.state === 'closed') return;
        this.openSession(sessionId, password);
      });
      return;
    }
    if (this.core.reattachSession(request.sessionId, request.passwd, this.timeoutMs, this)) {
      this.openSession(request.sessionId, request.passwd);
      return;
    }
    if (this.readOnlySession) {
      // Unknown here is not expired everywhere: a member cut off from the quorum cannot tell, so it only hangs up.
      this.log.info('refusing re-attach on a read-only server: session unknown here', { session: hexSessionId(request.sessionId) });
      this.destroy();
      return;
    }
    // ZooKeeper's answer for an expired or unknown session: a zero session and timeout, then close.
    this.log.info('refusing re-attach: session expired or password wrong', { session: hexSessionId(request.sessionId) });
    this.write(encodeConnectResponse({ protocolVersion: 0, timeOut: 0, sessionId: 0n, passwd: new Uint8Array(16), readOnly: false }, { includeReadOnly: this.clientSendsReadOnly }));
    this.close('session expired');
  }

  private openSession(sessionId: bigint, password: Uint8Array): void {
    this.sessionIdValue = sessionId;
    this.localContext.sessionId = sessionId;
    this.state = 'open';
    this.write(encodeConnectResponse({ protocolVersion: 0, timeOut: this.timeoutMs, sessionId, passwd: password, readOnly: this.readOnlySession }, { includeReadOnly: this.clientSendsReadOnly }));
    for (const frame of this.framesBeforeSession.splice(0)) {
      if (this.state !== 'open') return;
      this.handleRequest(frame);
    }
  }

  private handleRequest(frame: Uint8Array): void {
    const receivedAtMs = performanceNow();
    let header;
    let request: Request;
    try {
      ({ header, request } = decodeRequest(frame));
    } catch (error) {
      if (!(error instanceof WireError) || !error.header) {
        // Not even a request header: nothing to answer, the stream cannot be trusted.
        this.log.warn('closing connection: unreadable request header', { error: (error as Error).message });
        this.destroy();
        return;
      }
      const { xid, type } = error.header;
      if (error.code === ErrorCode.unimplemented) {
        // As ZooKeeper's UnimplementedRequestProcessor: answer, then close the connection.
        this.log.info('closing connection: unimplemented opcode', { op: type, xid });
        this.enqueue({ xid, op: type, receivedAtMs, outcome: { err: ErrorCode.unimplemented, zxid: -1n, closeAfter: true } });
      } else {
        this.log.info('malformed request body', { op: type, xid, error: error.message });
        this.enqueue({ xid, op: type, receivedAtMs, outcome: { err: ErrorCode.marshallingError, zxid: this.core.lastZxid } });
      }
      return;
    }
    const sessionId = this.sessionIdValue as bigint;
    if (!this.core.isSessionAlive(sessionId)) {
      this.close('session expired');
      return;
    }
    this.core.touchSession(sessionId);
    const entry: QueuedRequest = { xid: header.xid, op: header.type, receivedAtMs };
    this.route(entry, request, sessionId);
  }

  private route(entry: QueuedRequest, request: Request, sessionId: bigint): void {
    if (this.readOnlySession && this.routeReadOnly(entry, request)) return;
    const ctx = this.localContext;
    switch (request.op) {
      case OpCode.create:
      case OpCode.create2:
      case OpCode.createContainer:
      case OpCode.createTTL:
      case OpCode.delete:
      case OpCode.deleteContainer:
      case OpCode.setData:
      case OpCode.setACL:
      case OpCode.check:
      case OpCode.multi:
        this.enqueue(entry);
        this.submitWrite(entry, request, sessionId);
        return;
      case OpCode.exists:
      case OpCode.getData:
      case OpCode.getACL:
      case OpCode.getChildren:
      case OpCode.getChildren2:
      case OpCode.multiRead:
      case OpCode.getEphemerals:
      case OpCode.getAllChildrenNumber:
        entry.evaluate = () => answerRead(ctx, request);
        break;
      case OpCode.sync:
        // In an ensemble this waits until the server has caught up with what the leader had when asked.
        this.enqueue(entry);
        this.core.sync(() => {
          entry.outcome = { err: ErrorCode.ok, response: { op: OpCode.sync, path: request.path }, zxid: this.core.lastZxid };
          this.drain();
        });
        return;
      case OpCode.ping:
        entry.evaluate = () => ({ err: ErrorCode.ok, zxid: this.core.lastZxid });
        break;
      case OpCode.auth:
        entry.evaluate = () => this.authenticate(request.scheme, request.auth);
        break;
      case OpCode.setWatches:
      case OpCode.setWatches2:
        entry.evaluate = () => {
          const events = this.core.db.watches.restore(this.core.db.tree, request.relativeZxid, {
            data: request.dataWatches,
            exist: request.existWatches,
            child: request.childWatches,
            persistent: request.op === OpCode.setWatches2 ? request.persistentWatches : [],
            persistentRecursive: request.op === OpCode.setWatches2 ? request.persistentRecursiveWatches : [],
          }, this);
          for (const event of events) this.deliverEvent(event);
          return { err: ErrorCode.ok, zxid: this.core.lastZxid };
        };
        break;
      case OpCode.addWatch:
        entry.evaluate = () => answerAddWatch(ctx, request.path, request.mode);
        break;
      case OpCode.checkWatches:
      case OpCode.removeWatches:
        entry.evaluate = () => answerRemoveWatches(ctx, request.op, request.path, request.type);
        break;
      case OpCode.whoAmI:
        entry.evaluate = () => answerWhoAmI(ctx);
        break;
      case OpCode.closeSession:
        this.enqueue(entry);
        this.core.closeSession(sessionId, entry.xid, 'client closed the session', (zxid) => {
          entry.outcome = { err: ErrorCode.ok, response: { op: OpCode.closeSession }, zxid, closeAfter: true };
          this.drain();
        });
        return;
      default: {
        const unhandled: never = request;
        throw new Error(`unrouted request ${JSON.stringify(unhandled)}`);
      }
    }
    this.enqueue(entry);
  }

  /**
   * As ZooKeeper's ReadOnlyRequestProcessor: writes and sync get NOTREADONLY; closeSession ends the connection
   * without a txn (there is no quorum to log one: a global session then expires at the leader). True when answered.
   */
  private routeReadOnly(entry: QueuedRequest, request: Request): boolean {
    if (request.op === OpCode.closeSession) {
      entry.outcome = { err: ErrorCode.ok, response: { op: OpCode.closeSession }, zxid: this.core.lastZxid, closeAfter: true };
    } else if (READ_ONLY_REFUSED.has(request.op)) {
      entry.outcome = { err: ErrorCode.notReadOnly, zxid: this.core.lastZxid };
    } else {
      return false;
    }
    this.enqueue(entry);
    return true;
  }

  private submitWrite(entry: QueuedRequest, request: WriteRequest, sessionId: bigint): void {
    try {
      this.core.submitWrite({
        sessionId,
        cxid: entry.xid,
        op: { kind: 'request', request, authIds: [...this.authIds] },
        onApplied: (result, txnHeader) => {
          entry.outcome = { err: result.replyErr, response: result.response, zxid: txnHeader.zxid };
          this.drain();
        },
      });
    } catch (error) {
      if (!(error instanceof WritePathFullError)) throw error;
      entry.outcome = { err: ErrorCode.throttledOp, zxid: this.core.lastZxid };
      this.drain();
    }
  }

  private authenticate(scheme: string, auth: Uint8Array): Outcome {
    if (scheme !== 'digest') {
      this.log.info('authentication failed: unknown scheme', { scheme });
      return { err: ErrorCode.authFailed, zxid: 0n, closeAfter: true };
    }
    const id = digestId(new TextDecoder().decode(auth));
    if (!this.authIds.some((known) => known.scheme === 'digest' && known.id === id)) this.authIds.push({ scheme: 'digest', id });
    if (this.core.config.superDigest !== undefined && id === this.core.config.superDigest && !this.authIds.some((known) => known.scheme === 'super')) {
      this.log.info('super user authenticated', { session: hexSessionId(this.sessionIdValue ?? 0n) });
      this.authIds.push({ scheme: 'super', id: '' });
    }
    return { err: ErrorCode.ok, zxid: 0n };
  }

  private enqueue(entry: QueuedRequest): void {
    this.queue.push(entry);
    if (this.queue.length >= REQUESTS_QUEUED_MAX && !this.readingPaused) {
      this.readingPaused = true;
      this.transport.pause();
    }
    this.drain();
  }

  /** Sends every reply at the head of the queue that is ready, in request order. */
  private drain(): void {
    if (this.state === 'closed') return;
    // Replies made while the event loop handles one batch of I/O leave in one socket write (on WebSocket: one
    // message each, one syscall).
    this.replies.hold(this.transport);
    while (this.queue.length > 0) {
      const head = this.queue[0];
      try {
        if (!head.outcome) {
          if (!head.evaluate) return;
          head.outcome = head.evaluate();
        }
        this.queue.shift();
        this.reply(head, head.outcome);
      } catch (error) {
        // A bug answering one request costs this connection, never the server.
        this.log.error('closing connection: failed to answer a request', { xid: head.xid, op: head.op, error: (error as Error).stack ?? String(error) });
        this.destroy();
        return;
      }
      if (head.outcome.closeAfter) {
        this.close(head.outcome.err === ErrorCode.ok ? 'session closed by client' : `closed after ${errorName(head.outcome.err)}`);
        return;
      }
      if (this.state !== 'open') return;
    }
    if (this.readingPaused && this.queue.length < REQUESTS_QUEUED_MAX / 2) {
      this.readingPaused = false;
      this.transport.resume();
    }
  }

  private reply(entry: QueuedRequest, outcome: Outcome): void {
    mark('reply', outcome.zxid);
    // As ZooKeeper: pings and auth are answered on their fixed xids, everything else (setWatches included,
    // which node-zookeeper-client sends with an ordinary xid) on the request's own.
    const xid = entry.op === OpCode.ping ? Xid.ping : entry.op === OpCode.auth ? Xid.auth : entry.xid;
    this.writePieces(encodeReplyPieces({ xid, zxid: outcome.zxid, err: outcome.err }, outcome.err === ErrorCode.ok ? outcome.response : undefined));
    const latencyMs = performanceNow() - entry.receivedAtMs;
    this.lastLatencyMs = latencyMs;
    this.lastOp = opName(entry.op);
    if (entry.op !== OpCode.ping) this.core.stats.recordLatency(latencyMs, this.lastOp, outcome.err);
  }

  private writePieces(pieces: readonly Uint8Array[]): void {
    this.sent++;
    this.core.stats.packetsSent++;
    if (pieces.length === 1) this.transport.write(pieces[0] as Uint8Array);
    else this.transport.writePieces(pieces);
  }

  private write(frame: Uint8Array): void {
    this.sent++;
    this.core.stats.packetsSent++;
    this.transport.write(frame);
  }
}

const READ_ONLY_REFUSED: ReadonlySet<number> = new Set([
  OpCode.create, OpCode.create2, OpCode.createContainer, OpCode.createTTL, OpCode.delete, OpCode.deleteContainer,
  OpCode.setData, OpCode.setACL, OpCode.check, OpCode.multi, OpCode.sync,
]);

function performanceNow(): number {
  return performance.now();
}

function normaliseIp(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

const opNames = new Map<number, string>(Object.entries(OpCode).map(([name, code]) => [code, name.toUpperCase()]));
function opName(op: number): string {
  return opNames.get(op) ?? String(op);
}
