// The SDK over WebSocket against the coordinator's gateway (ws://127.0.0.1:adminPort/zk), with `ws` as the
// WebSocket of Node 20: the same operations, watches, pipelining and session resume as over TCP, mixed with TCP clients.
import { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startTcpProxy, useServer, waitFor, type TcpProxy } from './testing';
import { ZooKeeperClient } from './client';
import { toText } from './data';
import { BadVersionError, NoNodeError } from './errors';
import type { WatchEvent } from './watch-registry';
import { WebSocketTransport } from './websocket-transport';

describe('the SDK over WebSocket', () => {
  const server = useServer('coordinator', { admin: true });
  const transport = new WebSocketTransport({ WebSocket });
  const clients: ZooKeeperClient[] = [];
  let tcp: ZooKeeperClient;
  let base: string;
  let counter = 0;
  const fresh = (): string => `${base}/n${++counter}`;

  const overWebSocket = async (connectString = server.get().webSocketUrl as string, options: { random?: () => number } = {}): Promise<ZooKeeperClient> => {
    const client = await ZooKeeperClient.connect(connectString, { transport, sessionTimeoutMs: 10_000, connectTimeoutMs: 10_000, ...options });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    tcp = await ZooKeeperClient.connect(server.get().connectString);
    base = `/sdk-ws-${Date.now()}`;
    await tcp.create(base);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
  });
  afterAll(async () => {
    await tcp?.close();
  });

  it('creates, reads, updates and deletes a node', async () => {
    const zk = await overWebSocket();
    const path = fresh();
    expect((await zk.create(path, 'v0')).path).toBe(path);
    const { data, stat } = await zk.getData(path);
    expect(toText(data)).toBe('v0');
    expect((await zk.setData(path, 'v1', stat.version)).version).toBe(1);
    await expect(zk.setData(path, 'stale', 0)).rejects.toBeInstanceOf(BadVersionError);
    await zk.delete(path, 1);
    await expect(zk.getData(path)).rejects.toBeInstanceOf(NoNodeError);
    expect(await zk.exists(path)).toBeNull();
  });

  it('delivers a one-shot watch event', async () => {
    const zk = await overWebSocket();
    const path = fresh();
    await zk.create(path, 'a');
    const events: WatchEvent[] = [];
    await zk.getData(path, (event) => events.push(event));
    await zk.setData(path, 'b');
    await waitFor(() => events.length === 1, 'the data watch');
    expect(events[0]).toMatchObject({ type: 'nodeDataChanged', path });
  });

  it('pipelines many requests and answers them in order', async () => {
    const zk = await overWebSocket();
    const path = fresh();
    await zk.create(path);
    const count = 2_000;
    const created = await Promise.all(Array.from({ length: count }, () => zk.create(`${path}/c-`, 'x', { mode: 'persistentSequential' })));
    const sequence = created.map((result) => Number(result.path.slice(-10)));
    expect(sequence).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(await zk.getAllChildrenNumber(path)).toBe(count);
    await zk.deleteRecursive(path);
  });

  it('resumes the same session after the WebSocket is dropped; the ephemeral stays and missed changes fire', async () => {
    let proxy: TcpProxy | undefined;
    try {
      proxy = await startTcpProxy(server.get().adminPort as number);
      const zk = await overWebSocket(`ws://${proxy.connectString}/zk`);
      const states: string[] = [];
      zk.on('state', (event) => states.push(event));
      const sessionId = zk.sessionId;
      const ephemeral = fresh();
      await zk.create(ephemeral, null, { mode: 'ephemeral' });
      const watched = fresh();
      await zk.create(watched, 'a');
      const events: WatchEvent[] = [];
      await zk.getData(watched, (event) => events.push(event));

      proxy.setRefusing(true);
      proxy.cutConnections();
      await waitFor(() => zk.state === 'suspended', 'suspended');
      await tcp.setData(watched, 'changed while the WebSocket was down');
      proxy.setRefusing(false);

      await waitFor(() => states.includes('reconnected'), 'reconnected');
      expect(states).toEqual(['suspended', 'reconnected']);
      expect(zk.sessionId).toBe(sessionId);
      await tcp.sync(ephemeral); // created through the gateway's member, perhaps not tcp's: catch up before reading
      expect((await tcp.exists(ephemeral))?.ephemeralOwner).toBe(sessionId);
      await waitFor(() => events.length === 1, 'the watch re-armed with SetWatches2');
      expect(events[0]).toMatchObject({ type: 'nodeDataChanged', path: watched });
    } finally {
      await proxy?.close();
    }
  });

  it('a TCP client and a WebSocket client see each other\'s writes and watches', async () => {
    const zk = await overWebSocket();
    const path = fresh();
    const seenByTcp: WatchEvent[] = [];
    const seenByWs: WatchEvent[] = [];
    expect(await tcp.exists(path, (event) => seenByTcp.push(event))).toBeNull();
    await zk.create(path, 'from ws');
    await waitFor(() => seenByTcp.length === 1, 'the TCP client\'s exists watch');
    expect(seenByTcp[0]).toMatchObject({ type: 'nodeCreated', path });
    expect(toText((await tcp.getData(path)).data)).toBe('from ws');

    await zk.getChildren(path, (event) => seenByWs.push(event));
    await tcp.create(`${path}/child`, 'from tcp');
    await waitFor(() => seenByWs.length === 1, 'the WebSocket client\'s child watch');
    expect(seenByWs[0]).toMatchObject({ type: 'nodeChildrenChanged', path });
    await zk.sync(path);
    expect(toText((await zk.getData(`${path}/child`)).data)).toBe('from tcp');
  });

  it('fails over along a list of ws:// URLs as along a host list', async () => {
    const deadPort = await freePort();
    const { adminPort } = server.get();
    // With random() = 0 the shuffle reverses the two, so the dead URL is tried first.
    const zk = await overWebSocket(`ws://127.0.0.1:${adminPort}/zk,ws://127.0.0.1:${deadPort}/zk`, { random: () => 0 });
    expect(zk.state).toBe('connected');
    expect(await zk.exists(base)).not.toBeNull();
  });

  it('keeps a chroot given as the last URL\'s fragment', async () => {
    const zk = await overWebSocket(`${server.get().webSocketUrl}#${base}`);
    await zk.create('/in-chroot', 'x');
    await tcp.sync(`${base}/in-chroot`); // created through the gateway's member, perhaps not tcp's: catch up before reading
    expect(await tcp.exists(`${base}/in-chroot`)).not.toBeNull();
    expect(await zk.getChildren('/')).toContain('in-chroot');
  });

  it('picks the WebSocket transport for ws:// connect strings, and says what to do where there is no global WebSocket', async () => {
    const url = server.get().webSocketUrl as string;
    if ((globalThis as { WebSocket?: unknown }).WebSocket === undefined) {
      expect(() => new ZooKeeperClient(url)).toThrow(/no global WebSocket.*ws package/);
      return;
    }
    const zk = new ZooKeeperClient(url);
    clients.push(zk);
    await zk.waitForConnected(10_000);
    expect(await zk.exists(base)).not.toBeNull();
  });
});
