// ZooKeeperClient for Node: the runtime-neutral client (zookeeper-client.ts) with TCP as the transport of
// host:port connect strings; ws:// and wss:// connect strings still get the WebSocket transport.
import { registerTcpTransport } from './default-transport';
import { TcpTransport } from './tcp-transport';

registerTcpTransport(() => new TcpTransport());

export { ZooKeeperClient } from './zookeeper-client';
export type { ClientEvents, ClientOptions, PersistentWatch, ReadOp, ReadResult, WatcherTypeName, WatchOptions } from './client-types';
