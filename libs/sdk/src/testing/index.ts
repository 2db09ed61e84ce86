// @zk/sdk/testing: test servers (our coordinator as a 3-member ensemble, and Apache ZooKeeper), a cuttable TCP
// proxy, bounded waits for SDK and recipe tests, and a safe close for node-zookeeper-client. Not part of the
// SDK's runtime API.
export { ALL_TARGETS, fourLetterWord, selectedTargets, startServer } from './servers';
export type { ServerOptions, TargetName, TestMember, TestServer } from './servers';
export { isroOf, modeOf } from './probes';
export { startTcpProxy } from './tcp-proxy';
export type { TcpProxy } from './tcp-proxy';
export { useServer } from './use-server';
export type { ServerHandle } from './use-server';
export { freePort, freePorts } from './ports';
export { acquireServerLock } from './server-lock';
export type { ServerLock } from './server-lock';
export { sleep, waitFor } from './wait';
export { closeNodeZkClient } from './zk-client-close';
export type { NodeZkClientLike } from './zk-client-close';
