// Shared counter against real servers: concurrent increments from many sessions lose no update.
import { ZooKeeperClient } from '@zk/sdk';
import { selectedTargets, useServer } from '@zk/sdk/testing';
import { describe, expect, it } from 'vitest';
import { SharedCounter } from './shared-counter';

describe.each(selectedTargets())('SharedCounter against %s', (target) => {
  const server = useServer(target);

  it('10 clients × 20 concurrent increments give exactly 200', async () => {
    const path = `/recipes-counter-${Date.now()}/count`;
    const clients = await Promise.all(Array.from({ length: 10 }, () => ZooKeeperClient.connect(server.get().connectString)));
    try {
      await Promise.all(
        clients.map(async (client) => {
          const counter = new SharedCounter(client, path);
          for (let i = 0; i < 20; i++) await counter.increment();
        }),
      );
      // The clients' sessions are spread over the ensemble's members: catch up before reading through one.
      await clients[0].sync(path);
      const counter = new SharedCounter(clients[0], path);
      expect((await counter.get()).value).toBe(200);
    } finally {
      for (const client of clients) await client.close();
    }
  });

  it('refuses a stale compare-and-set', async () => {
    const client = await ZooKeeperClient.connect(server.get().connectString);
    try {
      const counter = new SharedCounter(client, `/recipes-counter-cas-${Date.now()}`, 5);
      const seen = await counter.get();
      expect(seen).toEqual({ value: 5, version: 0 });
      expect(await counter.trySetCount(6, seen.version)).toBe(true);
      expect(await counter.trySetCount(7, seen.version)).toBe(false);
      expect((await counter.get()).value).toBe(6);
    } finally {
      await client.close();
    }
  });
});
