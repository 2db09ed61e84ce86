// node-zookeeper-client for ensemble tests: a bounded connect and the few calls they make, as promises that
// reject with the client's own exception (its `code` tells a lost connection from a missing node).
import * as zookeeper from 'node-zookeeper-client';
import { closeNodeZkClient } from '@zk/sdk/testing';

const NO_NODE = -101;

/** A session with `connectString`, or a rejection after `timeoutMs` (the client is closed then). */
export function connectClient(connectString: string, options: { sessionTimeoutMs?: number; timeoutMs?: number } = {}): Promise<zookeeper.Client> {
  const client = zookeeper.createClient(connectString, { sessionTimeout: options.sessionTimeoutMs ?? 10_000, spinDelay: 100, retries: 0 });
  const timeoutMs = options.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      closeNodeZkClient(client);
      reject(new Error(`no session with ${connectString} within ${timeoutMs} ms`));
    }, timeoutMs);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.connect();
  });
}

/** Text, or bytes sent as they are (no copy of a large value). */
const bytesOf = (data: string | Buffer): Buffer => (typeof data === 'string' ? Buffer.from(data) : data);

export function createNode(client: zookeeper.Client, path: string, data: string | Buffer, mode: number = zookeeper.CreateMode.PERSISTENT): Promise<string> {
  return new Promise((resolve, reject) => client.create(path, bytesOf(data), zookeeper.ACL.OPEN_ACL_UNSAFE, mode, (error, created) => (error ? reject(error) : resolve(created))));
}

/** The node's data as text, or undefined if there is no such node. */
export function readNode(client: zookeeper.Client, path: string): Promise<string | undefined> {
  return new Promise((resolve, reject) =>
    client.getData(path, undefined, (error, data) => {
      if (error && (error as zookeeper.Exception).code === NO_NODE) resolve(undefined);
      else if (error) reject(error);
      else resolve(data?.toString());
    }),
  );
}

export function setNode(client: zookeeper.Client, path: string, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => client.setData(path, bytesOf(data), -1, (error) => (error ? reject(error) : resolve())));
}

/** Waits for one reply from the server (any answer will do: it only shows the session is being served). */
export function roundTrip(client: zookeeper.Client): Promise<void> {
  return new Promise((resolve) => client.exists('/', undefined, () => resolve()));
}
