// A WebSocket on the admin port as a client connection's transport: one binary message per frame written,
// writes of one turn corked on the underlying TCP socket, reading paused with ws's pause()/resume().
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
// Types only: the instances are those of @nestjs/platform-ws's own copy of ws, so its constants are read from them.
import type { WebSocket } from 'ws';
import type { ClientTransport } from '../client/client-transport';

export class WebSocketClientTransport implements ClientTransport {
  /** The upgraded HTTP connection: ws writes its frames to it, so corking it batches a turn's messages. */
  private readonly socket: Socket;
  private destroyed = false;

  constructor(
    private readonly ws: WebSocket,
    request: IncomingMessage,
  ) {
    this.socket = request.socket;
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }
  get remotePort(): number | undefined {
    return this.socket.remotePort;
  }
  write(frame: Uint8Array): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(frame, { binary: true });
  }
  writePieces(pieces: readonly Uint8Array[]): void {
    // A WebSocket message is one frame: join the pieces (ws would copy them into its own frame anyway).
    this.write(pieces.length === 1 ? (pieces[0] as Uint8Array) : Buffer.concat(pieces));
  }
  cork(): void {
    this.socket.cork();
  }
  uncork(): void {
    this.socket.uncork();
  }
  pause(): void {
    this.ws.pause();
  }
  resume(): void {
    this.ws.resume();
  }
  /** A normal close (1000) after what was written, unless destroy() follows in the same turn (as on a protocol error). */
  end(): void {
    process.nextTick(() => {
      if (!this.destroyed) this.close(1000, '');
    });
  }
  /** Drops the connection without a closing handshake: the peer sees 1006, as a TCP client sees a reset. */
  destroy(): void {
    this.destroyed = true;
    this.ws.terminate();
  }
  /** A closing handshake with a code and reason the peer can read (1000 normal, 1002 protocol error, …). */
  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.CONNECTING || this.ws.readyState === this.ws.OPEN) this.ws.close(code, reason);
  }
  onClose(listener: () => void): void {
    this.ws.once('close', listener);
  }
  onError(listener: (error: Error) => void): void {
    this.ws.on('error', listener);
  }
}
