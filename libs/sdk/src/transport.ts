// What the session needs from a byte pipe: open one to a host, send length-prefixed frames, receive
// frame bodies, learn when it closes. TCP implements it in Node (tcp-transport.ts), WebSocket in browsers (websocket-transport.ts).
import type { HostAddress } from './connect-string';

export interface TransportHandlers {
  /** One frame body (without its 4-byte length), in arrival order. */
  onFrame(body: Uint8Array): void;
  /** Called once, when the connection is gone for any reason (including `close()`). */
  onClose(error?: Error): void;
}

export interface TransportConnection {
  /** Sends one framed message (4-byte big-endian length, then the body), as the wire codec encodes it. */
  send(frame: Uint8Array): void;
  close(): void;
}

export interface Transport {
  /** Opens a connection; rejects if it cannot within `timeoutMs`. Handlers fire only after it resolves. */
  connect(address: HostAddress, handlers: TransportHandlers, timeoutMs: number): Promise<TransportConnection>;
  /**
   * Whether the server at `address` serves reads and writes (ZooKeeper's `isro` answers "rw"); false when it is
   * read-only, between leaders, or unreachable. Used by a read-only session to find a read-write server; a
   * transport without it (WebSocket: browsers cannot send four-letter words) moves only when its connection drops.
   */
  probeReadWrite?(address: HostAddress, timeoutMs: number): Promise<boolean>;
}
