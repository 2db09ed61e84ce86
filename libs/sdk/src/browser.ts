// @zk/sdk for browsers (bundle this entry): the same client, reached over WebSocket — connect to the coordinator's
// gateway with ws:// or wss:// URLs, e.g. ZooKeeperClient.connect('ws://host:8080/zk'). Nothing here imports Node.
export { ZooKeeperClient } from './zookeeper-client';
export type { ClientEvents, ClientOptions, PersistentWatch, ReadOp, ReadResult, WatchOptions, WatcherTypeName } from './client-types';
export type { ConnectionState, StateEvent } from './connection-state';
export type { CreateMode, CreateOptions } from './create-mode';
export { toBytes, toText } from './data';
export type { DataInput } from './data';
export * from './errors';
export { Transaction } from './transaction';
export type { OpResult } from './transaction';
export type { WatchEvent, WatchEventType, Watcher } from './watch-registry';
export { WatchStream, WatchStreamOverflowError } from './watch-stream';
export { ANYONE_ID, AUTH_IDS, CREATOR_ALL_ACL, OPEN_ACL_UNSAFE, READ_ACL_UNSAFE, Perm, digestAcl, digestCredentials, digestId, ipAcl, permString, worldAcl } from './acl';
export { parseConnectString } from './connect-string';
export type { ConnectString, HostAddress } from './connect-string';
export { basename, joinPath, parentOf, validatePath } from './paths';
export type { Transport, TransportConnection, TransportHandlers } from './transport';
export { WebSocketTransport } from './websocket-transport';
export type { WebSocketConstructor, WebSocketLike, WebSocketTransportOptions } from './websocket-transport';
export type { Acl, Id, Stat, ClientInfo } from '@zk/wire';
