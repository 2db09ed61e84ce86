// The Node transport: a TCP socket per connection, split into frames by @zk/wire's FrameDecoder.
import { connect, type Socket } from 'node:net';
import { FrameDecoder, JUTE_MAX_BUFFER_DEFAULT } from '@zk/wire';
import type { HostAddress } from './connect-string';
import type { Transport, TransportConnection, TransportHandlers } from './transport';

/** Room for a full jute.maxbuffer of data plus the reply header and stat around it. */
const FRAME_LENGTH_MAX_BYTES = JUTE_MAX_BUFFER_DEFAULT + 64 * 1024;

export class TcpTransport implements Transport {
  constructor(private readonly frameLengthMaxBytes = FRAME_LENGTH_MAX_BYTES) {}

  connect(address: HostAddress, handlers: TransportHandlers, timeoutMs: number): Promise<TransportConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: address.host, port: address.port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${address.host}:${address.port} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new TcpConnection(socket, handlers, this.frameLengthMaxBytes));
      });
    });
  }

  /** ZooKeeper's pingRwServer: the `isro` four-letter word, answered "rw" only by a server with a quorum. */
  probeReadWrite(address: HostAddress, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      const socket = connect({ host: address.host, port: address.port });
      const timer = setTimeout(() => socket.destroy(), timeoutMs);
      socket.once('connect', () => socket.write('isro'));
      socket.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        // The answer is "rw", "ro" or "null"; anything longer is not an answer to isro.
        if (bytes > ISRO_ANSWER_BYTES_MAX) socket.destroy();
        else chunks.push(chunk);
      });
      socket.on('error', () => undefined);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve(Buffer.concat(chunks).toString('latin1').trim() === 'rw');
      });
    });
  }
}

const ISRO_ANSWER_BYTES_MAX = 16;

class TcpConnection implements TransportConnection {
  private closed = false;

  constructor(
    private readonly socket: Socket,
    handlers: TransportHandlers,
    frameLengthMaxBytes: number,
  ) {
    const decoder = new FrameDecoder(frameLengthMaxBytes);
    let closeError: Error | undefined;
    socket.on('data', (chunk: Buffer) => {
      if (this.closed) return;
      let frames: Uint8Array[];
      try {
        frames = decoder.push(chunk);
      } catch (error) {
        closeError = error as Error;
        socket.destroy();
        return;
      }
      for (const frame of frames) {
        if (this.closed) return;
        handlers.onFrame(frame);
      }
    });
    socket.on('error', (error) => {
      closeError = error;
    });
    socket.once('close', () => {
      this.closed = true;
      handlers.onClose(closeError);
    });
  }

  send(frame: Uint8Array): void {
    if (!this.closed) this.socket.write(frame);
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }
}
