// The WebSocket gateway on the admin HTTP port (admin.serverPort), path /zk: ZooKeeper's client protocol for
// browsers. Each binary WebSocket message carries exactly one frame, with its 4-byte big-endian length prefix —
// the same bytes as on the TCP client port — in both directions. A connection here is a ClientConnection like a
// TCP one (same handshake, sessions, ordering, watches, limits, and it counts in cons/stat/metrics); four-letter
// words stay TCP-only. Text messages, a message that is not exactly one frame, or one longer than jute.maxbuffer
// close that WebSocket (1003, 1002, 1009) with a log line; nothing else is affected. Any web page can open a
// WebSocket here: as on the TCP port, authorisation is the session's (digest auth, ACLs), not the origin's.
import type { IncomingMessage } from 'node:http';
import { Inject } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection, type OnGatewayInit } from '@nestjs/websockets';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { ClientPortService } from '../client/client.module';
import type { ClientConnection } from '../client/connection';
import { ServerCore } from '../server/server-core';
import { ROOT_LOGGER } from '../tokens';
import { hexSessionId, type Logger } from '../util/logger';
import { WebSocketClientTransport } from './websocket-client-transport';

/** Where the gateway listens on the admin HTTP server: ws://host:admin.serverPort/zk. */
export const ZK_WEBSOCKET_PATH = '/zk';

const FRAME_LENGTH_PREFIX_BYTES = 4;

/** WebSocket close codes (RFC 6455 §7.4.1) used when a client breaks the framing rules. */
const CloseCode = { protocolError: 1002, unsupportedData: 1003, messageTooBig: 1009 } as const;

@WebSocketGateway({ path: ZK_WEBSOCKET_PATH })
export class ZkGateway implements OnGatewayInit<WebSocketServer>, OnGatewayConnection<WebSocket> {
  private readonly log: Logger;

  constructor(
    @Inject(ClientPortService) private readonly clientPort: ClientPortService,
    @Inject(ServerCore) private readonly core: ServerCore,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'gateway' });
  }

  afterInit(server: WebSocketServer): void {
    // ws refuses longer messages itself (1009) before buffering them: the same limit as the TCP port's frames.
    server.options.maxPayload = this.core.config.maxBufferBytes + FRAME_LENGTH_PREFIX_BYTES;
    this.log.info('serving ZooKeeper clients over WebSocket', { path: ZK_WEBSOCKET_PATH });
  }

  handleConnection(ws: WebSocket, request: IncomingMessage): void {
    const transport = new WebSocketClientTransport(ws, request);
    const remote = `${transport.remoteAddress}:${transport.remotePort}`;
    const log = this.log.child({ transport: 'websocket' });
    const connection = this.clientPort.server.attach(transport, log);
    if (connection === undefined) return;
    ws.on('error', (error) => log.warn('closing websocket: transport error', { remote, error: error.message }));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) {
        this.reject(transport, connection, CloseCode.unsupportedData, 'text message: send binary ZooKeeper frames', remote, log);
        return;
      }
      const bytes = messageBytes(data);
      if (bytes.length < FRAME_LENGTH_PREFIX_BYTES || bytes.readInt32BE(0) !== bytes.length - FRAME_LENGTH_PREFIX_BYTES) {
        this.reject(transport, connection, CloseCode.protocolError, 'a message must carry exactly one length-prefixed frame', remote, log);
        return;
      }
      if (bytes.length - FRAME_LENGTH_PREFIX_BYTES > this.core.config.maxBufferBytes) {
        this.reject(transport, connection, CloseCode.messageTooBig, 'frame longer than jute.maxbuffer', remote, log);
        return;
      }
      connection.receive(bytes);
    });
  }

  private reject(transport: WebSocketClientTransport, connection: ClientConnection, code: number, reason: string, remote: string, log: Logger): void {
    const session = connection.sessionId === undefined ? undefined : hexSessionId(connection.sessionId);
    log.warn('closing websocket: bad input', { remote, session, reason });
    transport.close(code, reason);
    connection.close(reason);
  }
}

function messageBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
