// The fault proxy and network with plain sockets: bytes pass, a cut black-holes or resets, a heal lets new
// connections through, a delay adds latency and keeps order, resets come at a seeded rate, cuts are per direction.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultNetwork } from './fault-network';
import { FaultProxy, seededRandom } from './fault-proxy';
import { pollUntil, sleep } from './wait';

/** A server that keeps what each connection sent and answers every chunk with "ack:<chunk>". */
interface Target {
  port: number;
  received: string[];
  server: Server;
}

const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function startTarget(): Promise<Target> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    const index = received.push('') - 1;
    socket.on('data', (chunk: Buffer) => {
      received[index] += chunk.toString();
      socket.write(`ack:${chunk.toString()}`);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as { port: number }).port, received, server };
}

async function startProxy(targetPort: number): Promise<FaultProxy> {
  const proxy = await FaultProxy.start({ label: 'a→b', targetPort });
  closers.push(() => proxy.close());
  return proxy;
}

/** A client socket that records what it reads and whether/how it closed. */
interface Client {
  socket: Socket;
  read: () => string;
  closed: () => string | undefined;
}

async function dial(port: number): Promise<Client> {
  const socket = connect({ host: '127.0.0.1', port });
  let read = '';
  let closed: string | undefined;
  socket.on('data', (chunk: Buffer) => (read += chunk.toString()));
  socket.on('error', (error: NodeJS.ErrnoException) => (closed = error.code ?? error.message));
  socket.on('close', () => (closed ??= 'closed'));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  closers.push(async () => {
    socket.destroy();
  });
  return { socket, read: () => read, closed: () => closed };
}

const until = <T>(probe: () => T | undefined, what: string, timeoutMs = 2_000): Promise<T> => pollUntil(async () => probe(), { timeoutMs, intervalMs: 10, what });

describe('FaultProxy', () => {
  it('forwards bytes both ways', async () => {
    const target = await startTarget();
    const proxy = await startProxy(target.port);
    const client = await dial(proxy.port);
    client.socket.write('hello');
    await until(() => (client.read() === 'ack:hello' ? true : undefined), 'the answer through the proxy');
    expect(target.received).toEqual(['hello']);
  });

  it('black-holes a cut link: live and new connections stay open and silent', async () => {
    const target = await startTarget();
    const proxy = await startProxy(target.port);
    const live = await dial(proxy.port);
    live.socket.write('before');
    await until(() => (live.read() === 'ack:before' ? true : undefined), 'the first answer');

    proxy.cut();
    live.socket.write('during');
    const fresh = await dial(proxy.port); // accepted: the sender sees no refusal
    fresh.socket.write('fresh');
    await sleep(300);
    expect(target.received).toEqual(['before']); // the fresh connection never reached the target
    expect(live.read()).toBe('ack:before');
    expect(live.closed()).toBeUndefined();
    expect(fresh.closed()).toBeUndefined();
    expect(proxy.stats.discardedBytes).toBe('during'.length + 'fresh'.length);
  });

  it('resets black-holed connections on heal and lets new ones through', async () => {
    const target = await startTarget();
    const proxy = await startProxy(target.port);
    proxy.cut();
    const during = await dial(proxy.port);
    proxy.heal();
    await until(() => during.closed(), 'the black-holed connection to be reset');

    const after = await dial(proxy.port);
    after.socket.write('again');
    await until(() => (after.read() === 'ack:again' ? true : undefined), 'an answer after the heal');
    expect(target.received).toEqual(['again']);
  });

  it('in reset mode, drops live connections at once and resets new ones', async () => {
    const target = await startTarget();
    const proxy = await startProxy(target.port);
    const live = await dial(proxy.port);
    live.socket.write('x');
    await until(() => (live.read() === 'ack:x' ? true : undefined), 'the first answer');
    proxy.cut('reset');
    await until(() => live.closed(), 'the live connection to be reset', 1_000);
    const fresh = await dial(proxy.port).catch(() => undefined);
    if (fresh) await until(() => fresh.closed(), 'the new connection to be reset', 1_000);
    expect(target.received).toEqual(['x']);
  });

  it('adds latency and keeps the order of chunks', async () => {
    const target = await startTarget();
    const proxy = await startProxy(target.port);
    const client = await dial(proxy.port);
    client.socket.write('warm');
    await until(() => (client.read() === 'ack:warm' ? true : undefined), 'the warm-up answer');

    proxy.setDelay(150);
    const sentAtMs = Date.now();
    for (const part of ['a', 'b', 'c', 'd']) {
      client.socket.write(part);
      await sleep(20);
    }
    await until(() => (target.received[0].length === 'warmabcd'.length ? true : undefined), 'the delayed chunks');
    const arrivedAfterMs = Date.now() - sentAtMs;
    expect(target.received[0]).toBe('warmabcd');
    expect(arrivedAfterMs).toBeGreaterThanOrEqual(150);

    // The answers come back delayed too: the round trip is at least two delays.
    const before = client.read().length;
    const pingAtMs = Date.now();
    client.socket.write('z');
    await until(() => (client.read().slice(before).endsWith('ack:z') ? true : undefined), 'the delayed answer');
    expect(Date.now() - pingAtMs).toBeGreaterThanOrEqual(290);
  });

  it('resets connections at the drop rate, decided by a seeded random source', async () => {
    const sequence = (seed: number): number[] => Array.from({ length: 5 }, seededRandom(seed));
    expect(sequence(7)).toEqual(sequence(7));
    expect(sequence(7)).not.toEqual(sequence(8));

    const target = await startTarget();
    const proxy = await startProxy(target.port);
    proxy.setDropRate(1, seededRandom(7));
    const client = await dial(proxy.port);
    client.socket.write('doomed');
    await until(() => client.closed(), 'the connection to be reset');
    expect(proxy.stats.dropResets).toBe(1);

    proxy.setDropRate(0);
    const next = await dial(proxy.port);
    next.socket.write('fine');
    await until(() => (next.read() === 'ack:fine' ? true : undefined), 'an answer once the rate is 0');
  });
});

describe('FaultNetwork', () => {
  async function network(ids: number[]): Promise<{ net: FaultNetwork; targets: Map<number, Target> }> {
    const targets = new Map<number, Target>();
    for (const id of ids) targets.set(id, await startTarget());
    const net = await FaultNetwork.start(ids.map((id) => ({ id, ports: { quorum: (targets.get(id) as Target).port } })));
    closers.push(() => net.close());
    return { net, targets };
  }

  /** Sends `text` from `from` to `to` and says whether it arrived within `waitMs`. */
  async function delivered(net: FaultNetwork, targets: Map<number, Target>, from: number, to: number, text: string, waitMs = 250): Promise<boolean> {
    const client = await dial(net.portFor(from, to, 'quorum'));
    client.socket.write(text);
    const target = targets.get(to) as Target;
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      if (target.received.includes(text)) return true;
      await sleep(10);
    }
    return false;
  }

  it('cuts one direction only', async () => {
    const { net, targets } = await network([1, 2]);
    net.cutOneWay(1, 2);
    expect(await delivered(net, targets, 1, 2, 'one-to-two')).toBe(false);
    expect(await delivered(net, targets, 2, 1, 'two-to-one')).toBe(true);
    expect(net.describe()).toContain('1→2 quorum: cut (blackhole)');
    expect(net.describe()).not.toContain('2→1 quorum: cut');
  });

  it('isolates a member both ways, leaves the others connected, and heals', async () => {
    const { net, targets } = await network([1, 2, 3]);
    net.isolate(1);
    const [oneToTwo, twoToOne, threeToOne, twoToThree, threeToTwo] = await Promise.all([
      delivered(net, targets, 1, 2, '1>2'),
      delivered(net, targets, 2, 1, '2>1'),
      delivered(net, targets, 3, 1, '3>1'),
      delivered(net, targets, 2, 3, '2>3'),
      delivered(net, targets, 3, 2, '3>2'),
    ]);
    expect({ oneToTwo, twoToOne, threeToOne, twoToThree, threeToTwo }).toEqual({ oneToTwo: false, twoToOne: false, threeToOne: false, twoToThree: true, threeToTwo: true });

    net.healAll();
    expect(await delivered(net, targets, 1, 2, '1>2 healed')).toBe(true);
    expect(await delivered(net, targets, 2, 1, '2>1 healed')).toBe(true);
    expect(net.describe()).toContain('every link ok');
    expect(net.history.map((line) => line.replace(/^\+[\d.]+ s /, ''))).toEqual(['partition [1] | [2,3]', 'heal all']);
  });

  it('cuts pairs both ways and delays one direction', async () => {
    const { net, targets } = await network([1, 2, 3]);
    net.cutPairs([[1, 3]]);
    net.delay(1, 2, 100);
    expect(await delivered(net, targets, 1, 3, 'a')).toBe(false);
    expect(await delivered(net, targets, 3, 1, 'b')).toBe(false);
    const startedAtMs = Date.now();
    expect(await delivered(net, targets, 1, 2, 'c', 1_000)).toBe(true);
    expect(Date.now() - startedAtMs).toBeGreaterThanOrEqual(100);
    expect(await delivered(net, targets, 2, 1, 'd')).toBe(true);
  });
});
