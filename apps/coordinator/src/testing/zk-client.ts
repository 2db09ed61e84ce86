// node-zookeeper-client behind promises, for tests that drive a server as a real client would.
import * as zookeeper from 'node-zookeeper-client';
import { closeNodeZkClient } from '@zk/sdk/testing';

export type ZkClient = zookeeper.Client;

export function connectClient(connectString: string, sessionTimeoutMs = 4000): Promise<ZkClient> {
  const client = zookeeper.createClient(connectString, { sessionTimeout: sessionTimeoutMs, retries: 0 });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      closeNodeZkClient(client);
      reject(new Error(`no session with ${connectString} within 5 s`));
    }, 5000);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.connect();
  });
}

export function create(client: ZkClient, path: string, data?: string, mode: number = zookeeper.CreateMode.PERSISTENT): Promise<string> {
  return new Promise((resolve, reject) =>
    client.create(path, data === undefined ? null : Buffer.from(data), zookeeper.ACL.OPEN_ACL_UNSAFE, mode, (error, created) => (error ? reject(error) : resolve(created))),
  );
}

export function getData(client: ZkClient, path: string, watcher?: (event: zookeeper.Event) => void): Promise<{ data: string; stat: zookeeper.Stat }> {
  return new Promise((resolve, reject) => {
    client.getData(path, watcher, (error, data, stat) => (error ? reject(error) : resolve({ data: data ? data.toString() : '', stat })));
  });
}

export function exists(client: ZkClient, path: string, watcher?: (event: zookeeper.Event) => void): Promise<zookeeper.Stat | null> {
  return new Promise((resolve, reject) => {
    client.exists(path, watcher, (error, stat) => (error ? reject(error) : resolve(stat ?? null)));
  });
}

export function close(client: ZkClient): void {
  closeNodeZkClient(client);
}

export { zookeeper };
