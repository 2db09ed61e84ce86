// The browser transport: ZooKeeper frames over a WebSocket to the coordinator's gateway (ws://host:admin.serverPort/zk).
// Each binary message carries exactly one frame with its 4-byte length prefix, both ways. It uses the standard
// WebSocket API — global in browsers and in Node 22+; elsewhere inject one (the `ws` package's) — and imports
// nothing from Node, so it bundles for the browser.
import { JUTE_MAX_BUFFER_DEFAULT } from '@zk/wire';
import { DEFAULT_WEBSOCKET_PATH, type HostAddress } from './connect-string';
import type { Transport, TransportConnection, TransportHandlers } from './transport';

/** Room for a full jute.maxbuffer of data plus the reply header and stat around it (as the TCP transport). */
const FRAME_LENGTH_MAX_BYTES = JUTE_MAX_BUFFER_DEFAULT + 64 * 1024;
const FRAME_LENGTH_PREFIX_BYTES = 4;
const OPEN = 1;

/**
 * The part of the standard WebSocket API used here; the browser's WebSocket and the `ws` package's fit it. The
 * handlers take `never` so that each implementation's own event types are accepted; only `data`, `code` and
 * `reason` are read.
 */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface WebSocketTransportOptions {
  /** The WebSocket class; default the global one (browsers, Node 22+). In Node 20: `WebSocket` from the `ws` package. */
  WebSocket?: WebSocketConstructor;
  /** For host:port connect strings: wss instead of ws. Default false. (ws:// URLs say it themselves.) */
  secure?: boolean;
  /** For host:port connect strings: the gateway's path. Default /zk. */
  path?: string;
  /** Longest frame accepted from the server. Default jute.maxbuffer's default plus room for the reply around it. */
  frameLengthMaxBytes?: number;
}

interface MessageEventLike {
  data: unknown;
}
interface CloseEventLike {
  code: number;
  reason: string;
}

export class WebSocketTransport implements Transport {
  private readonly WebSocketClass: WebSocketConstructor;

  constructor(private readonly options: WebSocketTransportOptions = {}) {
    const found = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (found === undefined) {
      throw new Error('this runtime has no global WebSocket (Node < 22): pass one, e.g. new WebSocketTransport({ WebSocket }) with WebSocket from the ws package');
    }
    this.WebSocketClass = found;
  }

  /** ws(s)://host:port/path for an address: its own URL when it came from a ws:// connect string. */
  urlOf(address: HostAddress): string {
    if (address.url !== undefined) return address.url;
    const host = address.host.includes(':') ? `[${address.host}]` : address.host;
    return `${this.options.secure === true ? 'wss' : 'ws'}://${host}:${address.port}${this.options.path ?? DEFAULT_WEBSOCKET_PATH}`;
  }

  connect(address: HostAddress, handlers: TransportHandlers, timeoutMs: number): Promise<TransportConnection> {
    const url = this.urlOf(address);
    return new Promise((resolve, reject) => {
      let socket: WebSocketLike;
      try {
        socket = new this.WebSocketClass(url);
      } catch (error) {
        reject(error as Error);
        return;
      }
      socket.binaryType = 'arraybuffer';
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        socket.close();
        reject(new Error(`connect to ${url} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      // Error events carry no detail in browsers; a close event always follows and settles the attempt. The handler
      // stays set for the socket's life: `ws` throws an error event that nobody listens to.
      socket.onerror = () => undefined;
      socket.onclose = (event: CloseEventLike) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(new Error(`connect to ${url} failed${closeDetail(event)}`));
      };
      socket.onopen = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(new WebSocketConnection(socket, handlers, this.options.frameLengthMaxBytes ?? FRAME_LENGTH_MAX_BYTES));
      };
    });
  }
}

class WebSocketConnection implements TransportConnection {
  private closed = false;
  private closeError: Error | undefined;

  constructor(
    private readonly socket: WebSocketLike,
    handlers: TransportHandlers,
    frameLengthMaxBytes: number,
  ) {
    socket.onmessage = (event: MessageEventLike) => {
      if (this.closed) return;
      let body: Uint8Array;
      try {
        body = frameBody(event.data, frameLengthMaxBytes);
      } catch (error) {
        this.closeError = error as Error;
        this.close();
        return;
      }
      handlers.onFrame(body);
    };
    let reported = false;
    socket.onclose = (event: CloseEventLike) => {
      if (reported) return;
      reported = true;
      this.closed = true;
      const error = this.closeError ?? (event.code === 1000 ? undefined : new Error(`websocket closed${closeDetail(event)}`));
      handlers.onClose(error);
    };
  }

  send(frame: Uint8Array): void {
    if (!this.closed && this.socket.readyState === OPEN) this.socket.send(frame);
  }

  close(): void {
    this.closed = true;
    this.socket.close();
  }
}

/** The body of the one frame a message must carry; throws on text, a partial or several frames, or an oversized one. */
function frameBody(data: unknown, frameLengthMaxBytes: number): Uint8Array {
  if (typeof data === 'string') throw new Error('websocket: text message from the server (expected one binary frame)');
  let bytes: Uint8Array;
  if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
  else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  else throw new Error('websocket: message is not binary data (is binaryType arraybuffer?)');
  if (bytes.length < FRAME_LENGTH_PREFIX_BYTES) throw new Error(`websocket: message of ${bytes.length} bytes has no frame length`);
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(0);
  if (length !== bytes.length - FRAME_LENGTH_PREFIX_BYTES) throw new Error(`websocket: frame length ${length} in a message of ${bytes.length} bytes`);
  if (length > frameLengthMaxBytes) throw new Error(`websocket: frame of ${length} bytes exceeds ${frameLengthMaxBytes}`);
  return bytes.subarray(FRAME_LENGTH_PREFIX_BYTES);
}

function closeDetail(event: CloseEventLike): string {
  return ` (code ${event.code}${event.reason ? `: ${event.reason}` : ''})`;
}
