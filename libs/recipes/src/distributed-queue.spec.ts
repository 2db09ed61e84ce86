// Distributed queue against real servers: FIFO, each item taken exactly once by competing consumers,
// take() waiting on an empty queue, and the priority variant.
import { toText, ZooKeeperClient } from '@zk/sdk';
import { selectedTargets, useServer } from '@zk/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DistributedQueue } from './distributed-queue';

describe.each(selectedTargets())('DistributedQueue against %s', (target) => {
  const server = useServer(target);
  let client: ZooKeeperClient;
  beforeAll(async () => {
    client = await ZooKeeperClient.connect(server.get().connectString);
  });
  afterAll(async () => {
    await client?.close();
  });

  it('is FIFO and hands each item to exactly one of several consumers', async () => {
    const path = `/recipes-queue-${Date.now()}`;
    const producer = new DistributedQueue(client, path);
    for (let i = 0; i < 60; i++) await producer.put(`job-${i}`);
    expect(toText((await producer.poll()) as Uint8Array)).toBe('job-0');
    const consumers = await Promise.all([0, 1, 2].map(() => ZooKeeperClient.connect(server.get().connectString)));
    try {
      const taken = await Promise.all(
        consumers.map(async (consumer) => {
          const queue = new DistributedQueue(consumer, path);
          const mine: string[] = [];
          for (let item = await queue.poll(); item !== undefined; item = await queue.poll()) mine.push(toText(item));
          return mine;
        }),
      );
      const all = taken.flat();
      expect(all).toHaveLength(59);
      expect(new Set(all).size).toBe(59);
      for (const mine of taken) expect(mine).toEqual([...mine].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4))));
    } finally {
      for (const consumer of consumers) await consumer.close();
    }
  });

  it('take() waits for an item and times out on an empty queue', async () => {
    const queue = new DistributedQueue(client, `/recipes-queue-wait-${Date.now()}`);
    expect(await queue.take(200)).toBeUndefined();
    const waiting = queue.take(5_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await queue.put('late');
    expect(toText((await waiting) as Uint8Array)).toBe('late');
  });

  it('takes lower priority numbers first', async () => {
    const queue = new DistributedQueue(client, `/recipes-queue-priority-${Date.now()}`, { priorities: true });
    await queue.put('low', 9);
    await queue.put('high', 1);
    await queue.put('high-2', 1);
    const order = [await queue.poll(), await queue.poll(), await queue.poll()].map((item) => toText(item as Uint8Array));
    expect(order).toEqual(['high', 'high-2', 'low']);
  });
});
