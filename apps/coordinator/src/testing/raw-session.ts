// A bare ZooKeeper client over one socket, built on @zk/wire: for tests that need exact frames,
// pipelining, or to drop a connection without closing its session.
import { connect, type Socket } from 'node:net';
import {
  decodeConnectResponse,
  decodeReply,
  encodeConnectRequest,
  encodeRequest,
  FrameDecoder,
  type ConnectResponse,
  type ReplyHeader,
  type Request,
  type Response,
  type WatcherEvent,
} from '@zk/wire';

export interface RawReply {
  header: ReplyHeader;
  response?: Response;
}

export class RawSession {
  private readonly decoder = new FrameDecoder(8 * 1024 * 1024);
  private connectResolve?: (response: ConnectResponse) => void;
  private readonly pending = new Map<number, { op: number; resolve: (reply: RawReply) => void }>();
  private nextXid = 1;
  readonly events: WatcherEvent[] = [];
  readonly replyOrder: number[] = [];
  readonly replyHeaders: ReplyHeader[] = [];
  closed = false;
  private closedResolve?: () => void;
  readonly closedPromise: Promise<void>;

  private constructor(private readonly socket: Socket) {
    this.closedPromise = new Promise((resolve) => (this.closedResolve = resolve));
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('close', () => {
      this.closed = true;
      this.closedResolve?.();
    });
    socket.on('error', () => undefined);
  }

  static async open(port: number, options: { sessionId?: bigint; passwd?: Uint8Array; timeoutMs?: number; readOnly?: boolean } = {}): Promise<{ session: RawSession; connect: ConnectResponse }> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const session = new RawSession(socket);
    const response = new Promise<ConnectResponse>((resolve) => (session.connectResolve = resolve));
    socket.write(encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0n, timeOut: options.timeoutMs ?? 4000, sessionId: options.sessionId ?? 0n, passwd: options.passwd ?? new Uint8Array(16), readOnly: options.readOnly ?? false }));
    const closedFirst = session.closedPromise.then(() => {
      throw new Error('the server closed the connection before answering the ConnectRequest');
    });
    const settled = Promise.race([response, closedFirst]);
    closedFirst.catch(() => undefined); // once answered, a later close is not an error
    return { session, connect: await settled };
  }

  /** Sends without waiting; the promise settles with this request's reply. */
  send(request: Request, xid = this.nextXid++): Promise<RawReply> {
    const reply = new Promise<RawReply>((resolve) => this.pending.set(xid, { op: request.op, resolve }));
    this.socket.write(encodeRequest({ xid, type: request.op }, request));
    return reply;
  }

  writeRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Drops the TCP connection without a closeSession, as a crashed client would. */
  drop(): void {
    this.socket.destroy();
  }

  private onData(chunk: Uint8Array): void {
    for (const body of this.decoder.push(chunk)) {
      if (this.connectResolve) {
        const resolve = this.connectResolve;
        this.connectResolve = undefined;
        resolve(decodeConnectResponse(body));
        continue;
      }
      const decoded = decodeReply(body, (xid) => this.pending.get(xid)?.op);
      if (decoded.event) {
        this.events.push(decoded.event);
        continue;
      }
      const xid = decoded.header.xid;
      this.replyOrder.push(xid);
      this.replyHeaders.push(decoded.header);
      const waiter = this.pending.get(xid);
      this.pending.delete(xid);
      waiter?.resolve({ header: decoded.header, response: decoded.response });
    }
  }
}
