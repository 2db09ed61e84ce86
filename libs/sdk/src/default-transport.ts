// Which transport a client gets when its options name none: WebSocket for ws:// and wss:// connect strings, TCP
// for host:port ones. TCP is registered by the Node entry (client.ts), so a browser bundle never imports node:net.
import type { ConnectString } from './connect-string';
import type { Transport } from './transport';
import { WebSocketTransport } from './websocket-transport';

let tcpTransportFactory: (() => Transport) | undefined;

/** Called once by client.ts (the Node entry). */
export function registerTcpTransport(factory: () => Transport): void {
  tcpTransportFactory = factory;
}

export function defaultTransportFor(connectString: ConnectString): Transport {
  if (connectString.hosts.every((host) => host.url !== undefined)) return new WebSocketTransport();
  if (tcpTransportFactory === undefined) {
    throw new Error('host:port connect strings need TCP, which only the Node build of @zk/sdk has: in a browser, connect to ws:// or wss:// URLs');
  }
  return tcpTransportFactory();
}
