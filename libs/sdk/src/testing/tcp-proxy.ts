// A tiny loopback TCP proxy for disconnect tests: clients connect to it, it forwards to a server, and
// cutConnections() drops every live connection (as a network failure would) while it keeps listening.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  readonly connectString: string;
  /** Connections accepted so far. */
  readonly acceptedCount: number;
  /** Drops every live connection at once (both sides reset). */
  cutConnections(): void;
  /** While paused, new connections are accepted and dropped at once. */
  setRefusing(refusing: boolean): void;
  close(): Promise<void>;
}

export function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let refusing = false;
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted += 1;
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('proxy: no port'));
        return;
      }
      resolve({
        port: address.port,
        connectString: `127.0.0.1:${address.port}`,
        get acceptedCount() {
          return accepted;
        },
        cutConnections() {
          for (const [client, upstream] of [...pairs]) {
            client.destroy();
            upstream.destroy();
          }
          pairs.clear();
        },
        setRefusing(value: boolean) {
          refusing = value;
        },
        close() {
          for (const [client, upstream] of pairs) {
            client.destroy();
            upstream.destroy();
          }
          pairs.clear();
          return new Promise<void>((done) => server.close(() => done()));
        },
      });
    });
  });
}
