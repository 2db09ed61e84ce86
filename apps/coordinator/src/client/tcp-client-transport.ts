// The client port's transport: a TCP socket (Nagle off), read and written as a plain byte stream.
import type { Socket } from 'node:net';
import type { ClientTransport } from './client-transport';

export class TcpClientTransport implements ClientTransport {
  constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }
  get remotePort(): number | undefined {
    return this.socket.remotePort;
  }
  write(frame: Uint8Array): void {
    this.socket.write(frame);
  }
  writePieces(pieces: readonly Uint8Array[]): void {
    for (const piece of pieces) this.socket.write(piece);
  }
  cork(): void {
    this.socket.cork();
  }
  uncork(): void {
    this.socket.uncork();
  }
  pause(): void {
    this.socket.pause();
  }
  resume(): void {
    this.socket.resume();
  }
  end(): void {
    this.socket.end();
  }
  destroy(): void {
    this.socket.destroy();
  }
  onClose(listener: () => void): void {
    this.socket.on('close', listener);
  }
  onError(listener: (error: Error) => void): void {
    this.socket.on('error', listener);
  }
}
