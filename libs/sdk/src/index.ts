// @zk/sdk: a ZooKeeper client for TypeScript — sessions that survive reconnects, typed errors,
// pipelined requests, transactions, ACLs, one-shot and persistent watches. Works with any 3.8 server.
// This is the Node entry: everything of the browser entry (browser.ts), plus TCP for host:port connect strings.
export * from './browser';
// From client.ts, which registers TCP as the transport of host:port connect strings (the same class as browser.ts's).
export { ZooKeeperClient } from './client';
export { TcpTransport } from './tcp-transport';
