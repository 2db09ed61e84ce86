// Read-write lock against real servers: readers share, a writer excludes readers and writers.
import { ZooKeeperClient } from '@zk/sdk';
import { selectedTargets, useServer } from '@zk/sdk/testing';
import { describe, expect, it } from 'vitest';
import { ReadWriteLock } from './read-write-lock';

describe.each(selectedTargets())('ReadWriteLock against %s', (target) => {
  const server = useServer(target);

  it('lets readers share and keeps writers exclusive under contention', async () => {
    const lockPath = `/recipes-rwlock-${Date.now()}`;
    const clients = await Promise.all(Array.from({ length: 6 }, () => ZooKeeperClient.connect(server.get().connectString)));
    let readers = 0;
    let writers = 0;
    let maxReaders = 0;
    let violations = 0;
    try {
      await Promise.all(
        clients.map(async (client, i) => {
          const lock = new ReadWriteLock(client, lockPath);
          for (let n = 0; n < 10; n++) {
            if ((i + n) % 3 === 0) {
              await lock.writeLock.acquire();
              writers += 1;
              if (writers !== 1 || readers !== 0) violations += 1;
              await client.sync('/');
              writers -= 1;
              await lock.writeLock.release();
            } else {
              await lock.readLock.acquire();
              readers += 1;
              maxReaders = Math.max(maxReaders, readers);
              if (writers !== 0) violations += 1;
              await client.sync('/');
              readers -= 1;
              await lock.readLock.release();
            }
          }
        }),
      );
    } finally {
      for (const client of clients) await client.close();
    }
    expect(violations).toBe(0);
    expect(maxReaders).toBeGreaterThan(1);
  });

  it('a waiting reader times out behind a held write lock', async () => {
    const a = await ZooKeeperClient.connect(server.get().connectString);
    const b = await ZooKeeperClient.connect(server.get().connectString);
    try {
      const lockPath = `/recipes-rwlock-timeout-${Date.now()}`;
      const writer = new ReadWriteLock(a, lockPath).writeLock;
      const reader = new ReadWriteLock(b, lockPath).readLock;
      await writer.acquire();
      expect(await reader.acquire(200)).toBe(false);
      await writer.release();
      expect(await reader.acquire(5_000)).toBe(true);
      await reader.release();
      await a.sync(lockPath); // the reader's session may be on another member: catch up before reading
      expect(await a.getChildren(lockPath)).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
