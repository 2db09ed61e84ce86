// The client with no server to talk to: bounded connect, bounded queue, argument checks before any I/O.
import { freePort } from './testing';
import { describe, expect, it } from 'vitest';
import { ZooKeeperClient } from './client';
import { BadArgumentsError, ClientClosedError, ConnectionLossError, OperationTimeoutError } from './errors';

describe('ZooKeeperClient without a server', () => {
  it('gives up connecting after connectTimeoutMs and closes itself', async () => {
    const port = await freePort();
    const started = Date.now();
    await expect(ZooKeeperClient.connect(`127.0.0.1:${port}`, { connectTimeoutMs: 300, sessionTimeoutMs: 2_000 })).rejects.toBeInstanceOf(OperationTimeoutError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('queues requests while connecting, refuses beyond the limit, and fails the queue on close', async () => {
    const port = await freePort();
    const client = new ZooKeeperClient(`127.0.0.1:${port}`, { queuedRequestsMax: 2 });
    expect(client.state).toBe('connecting');
    const queued = [client.exists('/a'), client.exists('/b')];
    await expect(client.exists('/c')).rejects.toBeInstanceOf(ConnectionLossError);
    await client.close();
    for (const request of queued) await expect(request).rejects.toBeInstanceOf(ClientClosedError);
    expect(client.state).toBe('closed');
  });

  it('checks paths and create options before sending anything', async () => {
    const port = await freePort();
    const client = new ZooKeeperClient(`127.0.0.1:${port}/app`);
    try {
      await expect(client.getData('no-slash')).rejects.toBeInstanceOf(BadArgumentsError);
      await expect(client.create('/a/', 'x')).rejects.toBeInstanceOf(BadArgumentsError);
      await expect(client.create('/a', 'x', { mode: 'persistentWithTtl' })).rejects.toBeInstanceOf(BadArgumentsError);
      await expect(client.create('/a', 'x', { ttlMs: 5 })).rejects.toBeInstanceOf(BadArgumentsError);
      expect(() => client.transaction().delete('bad')).toThrow(BadArgumentsError);
    } finally {
      await client.close();
    }
  });
});
