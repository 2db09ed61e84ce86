// closeNodeZkClient against a scripted server that holds the ConnectResponse back: the real node-zookeeper-client
// closed while its ConnectRequest is unanswered must hang up quietly when the answer comes (plain close() throws
// "Unknown code" out of the library's socket handler then), and a connected one must still say CLOSE_SESSION.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as zookeeper from 'node-zookeeper-client';
import { closeNodeZkClient } from './zk-client-close';
import { waitFor } from './wait';

const CLOSE_SESSION = -11;

function connectResponse(): Buffer {
  const body = Buffer.alloc(4 + 4 + 8 + 4 + 16);
  body.writeInt32BE(0, 0); // protocol version
  body.writeInt32BE(4_000, 4); // negotiated timeout
  body.writeBigInt64BE(0x0102030405060708n, 8); // a session id whose low half is no error code
  body.writeInt32BE(16, 16); // password length
  const frame = Buffer.alloc(4 + body.length);
  frame.writeInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

function replyHeader(xid: number): Buffer {
  const frame = Buffer.alloc(4 + 16);
  frame.writeInt32BE(16, 0);
  frame.writeInt32BE(xid, 4);
  frame.writeBigInt64BE(1n, 8);
  frame.writeInt32BE(0, 16);
  return frame;
}

/** One accepted connection: its frames (length prefix stripped) as they arrive, and whether the peer hung up. */
interface ScriptedConnection {
  socket: Socket;
  frames: Buffer[];
  closed: boolean;
}

describe('closeNodeZkClient', () => {
  let server: Server | undefined;
  let client: zookeeper.Client | undefined;

  afterEach(async () => {
    if (client) closeNodeZkClient(client);
    client = undefined;
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function scriptedServer(): Promise<{ port: number; connections: ScriptedConnection[] }> {
    const connections: ScriptedConnection[] = [];
    server = createServer((socket) => {
      const connection: ScriptedConnection = { socket, frames: [], closed: false };
      connections.push(connection);
      let pending = Buffer.alloc(0);
      socket.on('data', (chunk) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
          connection.frames.push(pending.subarray(4, 4 + pending.readInt32BE(0)));
          pending = pending.subarray(4 + pending.readInt32BE(0));
        }
      });
      socket.on('close', () => (connection.closed = true));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    return { port: address.port, connections };
  }

  it('closed while its ConnectRequest is unanswered: the late ConnectResponse ends the connection, nothing is thrown', async () => {
    const { port, connections } = await scriptedServer();
    client = zookeeper.createClient(`127.0.0.1:${port}`, { sessionTimeout: 4_000, spinDelay: 100, retries: 0 });
    client.connect();
    await waitFor(() => connections[0]?.frames.length === 1, 'the ConnectRequest');
    const connection = connections[0] as ScriptedConnection;

    closeNodeZkClient(client);
    client = undefined;
    // The library writes its CLOSE_SESSION (xid 0) on the socket that still waits for the handshake.
    await waitFor(() => connection.frames.length === 2, 'the CLOSE_SESSION written before the handshake ended');
    expect(connection.frames[1]?.readInt32BE(4)).toBe(CLOSE_SESSION);
    connection.socket.write(connectResponse());

    await waitFor(() => connection.closed, 'the client to hang up after the late ConnectResponse', 3_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(connections).toHaveLength(1); // and it does not dial again
  });

  it('connected: the close still goes out as CLOSE_SESSION and the client hangs up after its reply', async () => {
    const { port, connections } = await scriptedServer();
    client = zookeeper.createClient(`127.0.0.1:${port}`, { sessionTimeout: 4_000, spinDelay: 100, retries: 0 });
    const connected = new Promise<void>((resolve) => client?.once('connected', () => resolve()));
    client.connect();
    await waitFor(() => connections[0]?.frames.length === 1, 'the ConnectRequest');
    const connection = connections[0] as ScriptedConnection;
    connection.socket.write(connectResponse());
    await connected;

    closeNodeZkClient(client);
    await waitFor(() => connection.frames.length === 2, 'the CLOSE_SESSION');
    const close = connection.frames[1] as Buffer;
    expect(close.readInt32BE(4)).toBe(CLOSE_SESSION);
    const disconnected = new Promise<void>((resolve) => client?.once('disconnected', () => resolve()));
    connection.socket.end(replyHeader(close.readInt32BE(0)));
    await disconnected;
    client = undefined;
  });
});
