// Barriers against real servers: waiters released together; a double barrier's members enter and leave together.
import { ZooKeeperClient } from '@zk/sdk';
import { selectedTargets, useServer } from '@zk/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Barrier, DoubleBarrier } from './barrier';

describe.each(selectedTargets())('barriers against %s', (target) => {
  const server = useServer(target);
  let clients: ZooKeeperClient[];
  beforeAll(async () => {
    clients = await Promise.all([0, 1, 2].map(() => ZooKeeperClient.connect(server.get().connectString)));
  });
  afterAll(async () => {
    for (const client of clients ?? []) await client.close();
  });

  it('holds waiters until the barrier is removed', async () => {
    const path = `/recipes-barrier-${Date.now()}`;
    await new Barrier(clients[0], path).set();
    await clients[1].sync(path); // set through another session (perhaps another member): catch up before reading
    expect(await new Barrier(clients[1], path).wait(200)).toBe(false);
    const waiting = [1, 2].map((i) => new Barrier(clients[i], path).wait(5_000));
    await new Barrier(clients[0], path).remove();
    expect(await Promise.all(waiting)).toEqual([true, true]);
  });

  it('lets three members enter only together and leave only together', async () => {
    const path = `/recipes-double-barrier-${Date.now()}`;
    const barriers = clients.map((client, i) => new DoubleBarrier(client, path, 3, `m${i}`));
    const entered: number[] = [];
    const first = barriers[0].enter(5_000).then((ok) => entered.push(0) && ok);
    const second = barriers[1].enter(5_000).then((ok) => entered.push(1) && ok);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(entered).toEqual([]);
    expect(await barriers[2].enter(5_000)).toBe(true);
    expect(await Promise.all([first, second])).toEqual([true, true]);
    const leftFirst = barriers[0].leave(5_000);
    const leftSecond = barriers[1].leave(5_000);
    let done = false;
    void Promise.all([leftFirst, leftSecond]).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(done).toBe(false);
    expect(await barriers[2].leave(5_000)).toBe(true);
    expect(await Promise.all([leftFirst, leftSecond])).toEqual([true, true]);
  });

  it('a member that enters alone times out and leaves', async () => {
    const path = `/recipes-double-barrier-alone-${Date.now()}`;
    expect(await new DoubleBarrier(clients[0], path, 2, 'lonely').enter(200)).toBe(false);
    expect(await clients[0].getChildren(path)).toEqual([]);
  });
});
