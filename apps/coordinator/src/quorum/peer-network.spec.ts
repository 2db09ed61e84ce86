// Peer links over real loopback TCP: delivery in order, reconnect after a peer restarts, strangers refused.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePorts } from '../testing/free-ports';
import { Logger } from '../util/logger';
import { PeerNetwork, type PeerEndpoint } from './peer-network';

const silent = new Logger({ write: () => undefined }, 'error', () => ({}));
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (frame: Uint8Array): string => new TextDecoder().decode(frame);

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('PeerNetwork', () => {
  const running: PeerNetwork[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((network) => network.stop()));
  });

  async function ensemble(size: number, reconnectDelayMaxMs = 50): Promise<{ endpoints: PeerEndpoint[]; start: (id: number) => Promise<{ network: PeerNetwork; received: Array<[number, string]> }> }> {
    const ports = await freePorts(size);
    const endpoints = ports.map((port, index) => ({ id: index + 1, host: '127.0.0.1', port }));
    const start = async (id: number) => {
      const received: Array<[number, string]> = [];
      const network = new PeerNetwork(
        {
          myId: id,
          listen: { host: '127.0.0.1', port: endpoints[id - 1].port },
          peers: endpoints,
          frameMaxBytes: 1024,
          queuedFramesMax: 100,
          reconnectDelayMinMs: 10,
          reconnectDelayMaxMs,
          onMessage: (from, frame) => received.push([from, text(frame)]),
        },
        silent,
      );
      await network.start();
      running.push(network);
      return { network, received };
    };
    return { endpoints, start };
  }

  it('delivers frames between every pair, in the order they were sent', async () => {
    const { start } = await ensemble(3);
    const [a, b, c] = [await start(1), await start(2), await start(3)];
    for (let i = 0; i < 50; i++) {
      a.network.send(2, bytes(`a${i}`));
      a.network.send(3, bytes(`a${i}`));
      c.network.send(2, bytes(`c${i}`));
    }
    await waitFor(() => b.received.length === 100 && c.received.length === 50);
    expect(b.received.filter(([from]) => from === 1).map(([, m]) => m)).toEqual(Array.from({ length: 50 }, (_, i) => `a${i}`));
    expect(b.received.filter(([from]) => from === 3).map(([, m]) => m)).toEqual(Array.from({ length: 50 }, (_, i) => `c${i}`));
    expect(a.received).toEqual([]);
  });

  it('queues frames for a peer that is down and delivers them once it is up', async () => {
    const { start } = await ensemble(2);
    const a = await start(1);
    a.network.send(2, bytes('early'));
    expect(a.network.isConnectedTo(2)).toBe(false);
    const b = await start(2);
    await waitFor(() => b.received.length === 1);
    expect(b.received).toEqual([[1, 'early']]);
  });

  it('reconnects after the peer restarts', async () => {
    const { start } = await ensemble(2);
    const a = await start(1);
    const first = await start(2);
    await waitFor(() => a.network.isConnectedTo(2));
    await first.network.stop();
    await waitFor(() => !a.network.isConnectedTo(2));
    const second = await start(2);
    a.network.send(2, bytes('after restart'));
    await waitFor(() => second.received.length === 1);
    expect(second.received).toEqual([[1, 'after restart']]);
  });

  it('dials a peer back as soon as it dials us, instead of waiting out a long reconnect backoff', async () => {
    const { start } = await ensemble(2, 5_000);
    const a = await start(1);
    // Down for 1.3 s: a's attempts back off 10, 20, … 640 ms, and the next waits 1.28 s.
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    const startedMs = Date.now();
    const b = await start(2);
    await waitFor(() => a.network.isConnectedTo(2), 5_000);
    expect(Date.now() - startedMs).toBeLessThan(500);
    a.network.send(2, bytes('vote'));
    await waitFor(() => b.received.length === 1);
  });

  it('refuses a connection that does not introduce itself as a member', async () => {
    const { endpoints, start } = await ensemble(2);
    const a = await start(1);
    const stranger = connect(endpoints[0].port, '127.0.0.1');
    const hello = new Uint8Array(12);
    const view = new DataView(hello.buffer);
    view.setInt32(0, 8);
    view.setInt32(4, 0x5a4b5051);
    view.setInt32(8, 99); // not in the ensemble
    stranger.on('connect', () => stranger.write(hello));
    stranger.on('error', () => undefined);
    await new Promise<void>((resolve) => stranger.on('close', () => resolve()));
    expect(a.received).toEqual([]);
  });

  it('drops the oldest queued frames beyond the bound, and refuses oversized frames', async () => {
    const { start } = await ensemble(2);
    const a = await start(1);
    for (let i = 0; i < 150; i++) a.network.send(2, bytes(`m${i}`));
    expect(a.network.droppedFrames).toBe(50);
    expect(() => a.network.send(2, new Uint8Array(2000))).toThrow(/over 1024/);
    const b = await start(2);
    await waitFor(() => b.received.length === 100);
    expect(b.received[0]).toEqual([1, 'm50']);
  });
});
