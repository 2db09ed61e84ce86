// Leader selector, multi-lock and atomic value against real servers.
import { toText, ZooKeeperClient } from '@zk/sdk';
import { selectedTargets, useServer, waitFor } from '@zk/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtomicValue } from './atomic-value';
import { LeaderSelector } from './leader-selector';
import { MultiLock } from './multi-lock';

describe.each(selectedTargets())('LeaderSelector, MultiLock and AtomicValue against %s', (target) => {
  const server = useServer(target);
  let clients: ZooKeeperClient[];
  let base: string;
  beforeAll(async () => {
    clients = await Promise.all([0, 1, 2].map(() => ZooKeeperClient.connect(server.get().connectString)));
    base = `/recipes-more-${Date.now()}`;
  });
  afterAll(async () => {
    for (const client of clients ?? []) await client.close();
  });

  it('gives each selector terms one at a time, in turn', async () => {
    let leaders = 0;
    let overlaps = 0;
    const terms: number[] = [];
    const selectors = clients.map(
      (client, i) =>
        new LeaderSelector(client, `${base}/election`, async () => {
          leaders += 1;
          if (leaders !== 1) overlaps += 1;
          terms.push(i);
          await new Promise((resolve) => setTimeout(resolve, 20));
          leaders -= 1;
        }),
    );
    try {
      for (const selector of selectors) await selector.start();
      await waitFor(() => terms.length >= 6, 'six terms');
    } finally {
      for (const selector of selectors) await selector.close();
    }
    expect(overlaps).toBe(0);
    expect(new Set(terms.slice(0, 6))).toEqual(new Set([0, 1, 2]));
  });

  it('close() lets a running term finish before the next candidate leads, even if the term ignores the abort', async () => {
    const events: string[] = [];
    let firstStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      firstStarted = resolve;
    });
    const slow = new LeaderSelector(clients[0], `${base}/close-order`, async (signal) => {
      events.push(`start 0 (aborted ${signal.aborted})`);
      firstStarted();
      await new Promise((resolve) => setTimeout(resolve, 300));
      events.push('end 0');
    });
    const next = new LeaderSelector(clients[1], `${base}/close-order`, async () => {
      events.push('start 1');
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
    try {
      await slow.start();
      await started;
      await next.start();
      await slow.close();
      await waitFor(() => events.includes('start 1'), 'the next term');
    } finally {
      await slow.close();
      await next.close();
    }
    expect(events.slice(0, 3)).toEqual(['start 0 (aborted false)', 'end 0', 'start 1']);
  });

  it('takes all locks of a multi-lock or none', async () => {
    const mine = new MultiLock(clients[0], [`${base}/x`, `${base}/y`]);
    const theirs = new MultiLock(clients[1], [`${base}/y`, `${base}/z`]);
    expect(await mine.acquire()).toBe(true);
    expect(await theirs.acquire(200)).toBe(false);
    // Only mine's contender is left under y: the timed-out multi-lock holds nothing.
    await clients[2].sync(`${base}/y`); // the others wrote through other members: catch up before reading
    expect(await clients[2].getChildren(`${base}/y`)).toHaveLength(1);
    await mine.release();
    expect(await theirs.acquire(5_000)).toBe(true);
    await theirs.release();
  });

  it('updates an atomic value without losing concurrent writes', async () => {
    const path = `${base}/atomic`;
    await Promise.all(
      clients.map(async (client) => {
        const value = new AtomicValue(client, path);
        for (let i = 0; i < 10; i++) await value.update((current) => String(Number(current === undefined ? '0' : toText(current)) + 1));
      }),
    );
    await clients[0].sync(path); // the clients' sessions are spread over the ensemble's members: catch up before reading
    expect(toText((await new AtomicValue(clients[0], path).get())?.value ?? new Uint8Array())).toBe('30');
    expect(await new AtomicValue(clients[0], path).compareAndSet(0, 'stale')).toBe(false);
  });
});
