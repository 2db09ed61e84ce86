// The client port: accepts TCP connections, tells four-letter words from the protocol by the first
// four bytes, limits connections per client address (maxClientCnxns), and hands sockets to connections.
// It also owns the set of all client connections: the WebSocket gateway attaches its connections here
// (`attach`), so they count in cons/stat/metrics, obey the same limits and close with the same server events.
import { createServer, type Server, type Socket } from 'node:net';
import type { ServerCore } from '../server/server-core';
import type { Logger } from '../util/logger';
import type { ClientTransport } from './client-transport';
import { ClientConnection, type ConnectionInfo } from './connection';
import { fourLetterWordOf, runFourLetterWord } from './four-letter-words';
import { TcpClientTransport } from './tcp-client-transport';

export class ClientPortServer {
  private readonly server: Server;
  private readonly connections = new Set<ClientConnection>();
  private readonly connectionsPerAddress = new Map<string, number>();
  /** Connections that came through attach() (the WebSocket gateway) rather than the TCP port. */
  private readonly attached = new WeakSet<ClientConnection>();
  private readonly log: Logger;

  constructor(
    private readonly core: ServerCore,
    logger: Logger,
  ) {
    this.log = logger.child({ component: 'client-port' });
    this.server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.server.on('error', (error) => this.log.error('client port error', { error: error.message }));
    // As ZooKeeper: a server that stops serving drops its clients, which reconnect elsewhere or later.
    core.onServingChange((serving) => {
      if (!serving) for (const connection of [...this.connections]) connection.close('server stopped serving');
    });
    // Read-only clients go when read-only mode ends; they come back to a writable server.
    core.onReadOnlyChange((readOnly) => {
      if (!readOnly) for (const connection of [...this.connections]) if (connection.isReadOnly) connection.close('read-only mode ended');
    });
  }

  listen(): Promise<number> {
    const { clientPort, clientPortAddress } = this.core.config;
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(clientPort, clientPortAddress, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        const port = typeof address === 'object' && address ? address.port : clientPort;
        this.log.info('serving clients', { address: clientPortAddress, port });
        resolve(port);
      });
    });
  }

  async close(): Promise<void> {
    for (const connection of [...this.connections]) connection.close('server shutting down');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Every open connection (the platform's /api/v1/sessions), with the transport it came over. */
  connectionInfos(): Array<ConnectionInfo & { transport: 'tcp' | 'websocket' }> {
    return [...this.connections].map((c) => ({ ...c.info(), transport: this.attached.has(c) ? 'websocket' : 'tcp' }));
  }

  /**
   * A client connection over another transport (the WebSocket gateway): the same maxClientCnxns limit, the same
   * connection set, the same session semantics. Undefined (and the transport destroyed) when over the limit; the
   * caller feeds the connection whole frames with `receive`.
   */
  attach(transport: ClientTransport, log: Logger = this.log): ClientConnection | undefined {
    if (!this.admit(transport.remoteAddress ?? 'unknown', (listener) => transport.onClose(listener))) {
      transport.destroy();
      return undefined;
    }
    const connection = this.open(transport, log);
    this.attached.add(connection);
    return connection;
  }

  /** Counts a connection against maxClientCnxns for its address until it closes; false when over the limit. */
  private admit(address: string, onClose: (listener: () => void) => void): boolean {
    const count = this.connectionsPerAddress.get(address) ?? 0;
    const max = this.core.config.maxClientCnxns;
    if (max > 0 && count >= max) {
      this.log.warn('too many connections from one address; closing the new one', { remote: address, maxClientCnxns: max });
      return false;
    }
    this.connectionsPerAddress.set(address, count + 1);
    onClose(() => {
      const left = (this.connectionsPerAddress.get(address) ?? 1) - 1;
      if (left <= 0) this.connectionsPerAddress.delete(address);
      else this.connectionsPerAddress.set(address, left);
    });
    return true;
  }

  private open(transport: ClientTransport, log: Logger): ClientConnection {
    const connection = new ClientConnection(transport, this.core, log, (closed) => this.connections.delete(closed));
    this.connections.add(connection);
    return connection;
  }

  private accept(socket: Socket): void {
    if (!this.admit(socket.remoteAddress ?? 'unknown', (listener) => socket.once('close', listener))) {
      socket.destroy();
      return;
    }

    // The first four bytes decide: a four-letter word, or the length of a ConnectRequest.
    let head: Uint8Array = new Uint8Array(0);
    const onFirstBytes = (chunk: Buffer): void => {
      head = concat(head, chunk);
      if (head.length < 4) return;
      socket.off('data', onFirstBytes);
      const word = fourLetterWordOf(head);
      if (word !== undefined) {
        this.answerFourLetterWord(socket, word);
        return;
      }
      const connection = this.open(new TcpClientTransport(socket), this.log);
      socket.on('data', (data: Buffer) => connection.receive(data));
      connection.receive(head);
    };
    socket.on('data', onFirstBytes);
    socket.on('error', () => socket.destroy());
  }

  private answerFourLetterWord(socket: Socket, word: string): void {
    const text = runFourLetterWord(word, {
      core: this.core,
      connections: () => [...this.connections].map((c) => c.info()),
      resetConnectionStats: () => this.connections.forEach((c) => c.resetStats()),
    });
    socket.end(text);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
