// Semaphore against real servers: never more than maxLeases holders; leases end with their session.
import { ZooKeeperClient } from '@zk/sdk';
import { selectedTargets, useServer } from '@zk/sdk/testing';
import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore';

describe.each(selectedTargets())('Semaphore against %s', (target) => {
  const server = useServer(target);

  it('never grants more than maxLeases at once', async () => {
    const path = `/recipes-semaphore-${Date.now()}`;
    const clients = await Promise.all(Array.from({ length: 8 }, () => ZooKeeperClient.connect(server.get().connectString)));
    let holders = 0;
    let maxHolders = 0;
    try {
      await Promise.all(
        clients.map(async (client) => {
          const semaphore = new Semaphore(client, path, 3);
          for (let n = 0; n < 5; n++) {
            const lease = await semaphore.acquire(20_000);
            if (lease === undefined) throw new Error('no lease within 20 s');
            holders += 1;
            maxHolders = Math.max(maxHolders, holders);
            // Long enough for the other acquirers to queue up behind the holders, so all three leases get used.
            await new Promise((resolve) => setTimeout(resolve, 60));
            holders -= 1;
            await lease.release();
          }
        }),
      );
    } finally {
      for (const client of clients) await client.close();
    }
    expect(maxHolders).toBe(3);
  });

  it('times out when every lease is taken, and a closed session frees its lease', async () => {
    const path = `/recipes-semaphore-full-${Date.now()}`;
    const a = await ZooKeeperClient.connect(server.get().connectString);
    const b = await ZooKeeperClient.connect(server.get().connectString);
    try {
      expect(await new Semaphore(a, path, 1).acquire()).toBeDefined();
      const other = new Semaphore(b, path, 1);
      expect(await other.acquire(200)).toBeUndefined();
      const waiting = other.acquire(10_000);
      await a.close();
      expect(await waiting).toBeDefined();
    } finally {
      await a.close();
      await b.close();
    }
  });
});
