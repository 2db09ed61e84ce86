// The session engine against a scripted server (a fake transport): handshake, pings at a third of the
// timeout, read timeout, resumption with the same session, replay order, expiry, and reply-order checks.
import {
  decodeConnectRequest,
  decodeRequest,
  encodeConnectResponse,
  encodeReply,
  encodeWatcherEvent,
  EventType,
  OpCode,
  Xid,
  type ConnectRequest,
  type DecodedRequest,
} from '@zk/wire';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionLossError } from './errors';
import { Chroot } from './paths';
import { Session } from './session';
import type { HostAddress } from './connect-string';
import type { Transport, TransportConnection, TransportHandlers } from './transport';

/** One scripted server connection: what the client sent, and a way to answer. */
class FakeConnection implements TransportConnection {
  readonly sent: Uint8Array[] = [];
  closed = false;
  constructor(readonly handlers: TransportHandlers) {}
  send(frame: Uint8Array): void {
    this.sent.push(frame.subarray(4));
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.onClose();
  }
  connectRequest(): ConnectRequest {
    return decodeConnectRequest(this.sent[0]);
  }
  requests(): DecodedRequest[] {
    return this.sent.slice(1).map((body) => decodeRequest(body));
  }
  answerConnect(timeOut: number, sessionId = 0x1234n, readOnly = false): void {
    this.handlers.onFrame(encodeConnectResponse({ protocolVersion: 0, timeOut, sessionId, passwd: new Uint8Array(16).fill(7), readOnly }).subarray(4));
  }
  reply(xid: number, zxid: bigint, err = 0, response?: Parameters<typeof encodeReply>[1]): void {
    this.handlers.onFrame(encodeReply({ xid, zxid, err }, response).subarray(4));
  }
}

class FakeTransport implements Transport {
  readonly connections: FakeConnection[] = [];
  readonly hostsConnected: string[] = [];
  /** Hosts asked whether they are read-write, and the hosts that say yes. */
  readonly probed: string[] = [];
  readonly readWriteHosts = new Set<string>();
  async connect(address: HostAddress, handlers: TransportHandlers): Promise<TransportConnection> {
    const connection = new FakeConnection(handlers);
    this.connections.push(connection);
    this.hostsConnected.push(address.host);
    return connection;
  }
  async probeReadWrite(address: HostAddress): Promise<boolean> {
    this.probed.push(address.host);
    return this.readWriteHosts.has(address.host);
  }
  get last(): FakeConnection {
    return this.connections[this.connections.length - 1];
  }
}

describe('Session (scripted server)', () => {
  let transport: FakeTransport;
  let session: Session;
  let events: string[];

  beforeEach(() => {
    vi.useFakeTimers();
    transport = new FakeTransport();
    events = [];
    session = new Session({
      hosts: [{ host: 'a', port: 1 }],
      chroot: new Chroot(''),
      transport,
      sessionTimeoutMs: 3_000,
      canBeReadOnly: false,
      renewSessionOnExpiry: true,
      queuedRequestsMax: 10,
      requestsInFlightMax: 3,
      readWriteProbeIntervalMaxMs: 1_000,
      random: () => 0.5,
    });
    session.events.on('state', (event) => events.push(event));
    session.start();
  });
  afterEach(async () => {
    // close() waits (bounded, on the fake clock) for the closeSession reply that this scripted server never sends.
    const closed = session.close();
    await vi.advanceTimersByTimeAsync(5_000);
    await closed;
    vi.useRealTimers();
  });

  const connect = async (timeOut = 3_000): Promise<FakeConnection> => {
    await vi.advanceTimersByTimeAsync(0);
    const connection = transport.last;
    connection.answerConnect(timeOut);
    await vi.advanceTimersByTimeAsync(0);
    return connection;
  };

  it('hands over the requested timeout and a zero session, then reports connected', async () => {
    await vi.advanceTimersByTimeAsync(0);
    expect(transport.last.connectRequest()).toMatchObject({ protocolVersion: 0, timeOut: 3_000, sessionId: 0n, lastZxidSeen: 0n, readOnly: false });
    await connect(2_400);
    expect(events).toEqual(['connected']);
    expect(session.sessionId).toBe(0x1234n);
    expect(session.sessionTimeoutMs).toBe(2_400);
  });

  it('pings after a third of the negotiated timeout without traffic', async () => {
    const connection = await connect(3_000);
    await vi.advanceTimersByTimeAsync(999);
    expect(connection.requests()).toEqual([]);
    connection.reply(Xid.ping, -1n);
    await vi.advanceTimersByTimeAsync(1);
    expect(connection.requests().map((r) => r.header.xid)).toEqual([Xid.ping]);
  });

  it('drops a silent connection after 2/3 of the timeout and resumes the same session elsewhere', async () => {
    const first = await connect(3_000);
    const pending = session.request({ op: OpCode.exists, path: '/a', watch: false });
    first.reply(1, 77n, 0, { op: OpCode.exists, stat: stat() });
    await pending;
    const lost = session.request({ op: OpCode.exists, path: '/b', watch: false });
    lost.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(first.closed).toBe(true);
    await expect(lost).rejects.toBeInstanceOf(ConnectionLossError);
    expect(events).toEqual(['connected', 'suspended']);
    await vi.advanceTimersByTimeAsync(0);
    const second = transport.last;
    expect(second).not.toBe(first);
    expect(second.connectRequest()).toMatchObject({ sessionId: 0x1234n, lastZxidSeen: 77n, passwd: new Uint8Array(16).fill(7) });
    second.answerConnect(3_000);
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual(['connected', 'suspended', 'reconnected']);
  });

  it('after a reconnect sends auth, then SetWatches2 from the last zxid, then the queued requests', async () => {
    const first = await connect();
    session.watches.add('data', '/d', () => undefined);
    session.watches.add('persistentRecursive', '/r', () => undefined);
    const auth = session.addAuth('digest', new TextEncoder().encode('u:p'));
    first.reply(Xid.auth, -1n);
    await auth;
    first.reply(Xid.notification, 5n); // a stray notification-shaped reply is not a request's reply
    first.close();
    const queued = session.request({ op: OpCode.sync, path: '/' });
    await vi.advanceTimersByTimeAsync(0);
    const second = transport.last;
    second.answerConnect(3_000);
    await vi.advanceTimersByTimeAsync(0);
    const sent = second.requests();
    expect(sent.map((r) => r.header.type)).toEqual([OpCode.auth, OpCode.setWatches2, OpCode.sync]);
    expect(sent[1].request).toMatchObject({ dataWatches: ['/d'], persistentRecursiveWatches: ['/r'], existWatches: [] });
    second.reply(Xid.auth, -1n);
    second.reply(Xid.setWatches, -1n);
    second.reply(sent[2].header.xid, 9n, 0, { op: OpCode.sync, path: '/' });
    expect((await queued).err).toBe(0);
  });

  it('treats a ConnectResponse with timeOut 0 as expiry and starts a new session', async () => {
    const first = await connect();
    session.watches.add('child', '/c', () => undefined);
    first.close();
    await vi.advanceTimersByTimeAsync(0);
    transport.last.answerConnect(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual(['connected', 'suspended', 'expired', 'connecting']);
    expect(session.watches.isEmpty).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(transport.last.connectRequest().sessionId).toBe(0n);
  });

  it('drops the connection when a reply does not answer the oldest request', async () => {
    const connection = await connect();
    const a = session.request({ op: OpCode.sync, path: '/' });
    const b = session.request({ op: OpCode.sync, path: '/' });
    a.catch(() => undefined);
    b.catch(() => undefined);
    connection.reply(2, 1n, 0, { op: OpCode.sync, path: '/' });
    await expect(a).rejects.toBeInstanceOf(ConnectionLossError);
    await expect(b).rejects.toBeInstanceOf(ConnectionLossError);
    expect(connection.closed).toBe(true);
  });

  it('fails requests that wait for a connection longer than a session timeout after the loss', async () => {
    const first = await connect(3_000);
    first.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(session.state).toBe('suspended');
    const queued = session.request({ op: OpCode.sync, path: '/' });
    queued.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(transport.connections.length).toBeGreaterThan(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(queued).rejects.toBeInstanceOf(ConnectionLossError);
    await expect(session.request({ op: OpCode.sync, path: '/' })).rejects.toThrow(/longer than the session timeout/);
  });

  it('keeps at most requestsInFlightMax requests in flight and sends the rest as replies come', async () => {
    const connection = await connect();
    const replies = Array.from({ length: 5 }, () => session.request({ op: OpCode.sync, path: '/' }));
    expect(connection.requests().map((r) => r.header.xid)).toEqual([1, 2, 3]);
    connection.reply(1, 1n, 0, { op: OpCode.sync, path: '/' });
    expect(connection.requests().map((r) => r.header.xid)).toEqual([1, 2, 3, 4]);
    for (const xid of [2, 3, 4]) connection.reply(xid, 1n, 0, { op: OpCode.sync, path: '/' });
    expect(connection.requests().map((r) => r.header.xid)).toEqual([1, 2, 3, 4, 5]);
    connection.reply(5, 1n, 0, { op: OpCode.sync, path: '/' });
    expect((await Promise.all(replies)).map((reply) => reply.err)).toEqual([0, 0, 0, 0, 0]);
  });

  it('delivers a notification to watchers before the reply that follows it resolves', async () => {
    const connection = await connect();
    const order: string[] = [];
    session.watches.add('data', '/n', () => order.push('event'));
    const read = session.request({ op: OpCode.sync, path: '/n' }).then(() => order.push('reply'));
    connection.handlers.onFrame(encodeWatcherEvent({ type: EventType.nodeDataChanged, state: 3, path: '/n' }).subarray(4));
    connection.reply(1, 3n, 0, { op: OpCode.sync, path: '/n' });
    await read;
    expect(order).toEqual(['event', 'reply']);
  });
});

function stat() {
  return { czxid: 1n, mzxid: 1n, ctime: 0n, mtime: 0n, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 0, numChildren: 0, pzxid: 1n };
}

describe('Session in read-only mode (scripted servers)', () => {
  it('probes the other hosts with backoff while read-only, then moves to the read-write one with a new session (seenRwServerBefore)', async () => {
    vi.useFakeTimers();
    const transport = new FakeTransport();
    const events: string[] = [];
    const session = new Session({
      hosts: [{ host: 'a', port: 1 }, { host: 'b', port: 1 }, { host: 'c', port: 1 }],
      chroot: new Chroot(''),
      transport,
      sessionTimeoutMs: 3_000,
      canBeReadOnly: true,
      renewSessionOnExpiry: true,
      queuedRequestsMax: 10,
      requestsInFlightMax: 3,
      readWriteProbeIntervalMaxMs: 400,
      // Keeps the order a, b, c.
      random: () => 0.999,
    });
    session.events.on('state', (event) => events.push(event));
    try {
      session.start();
      await vi.advanceTimersByTimeAsync(0);
      const readOnly = transport.last;
      expect(readOnly.connectRequest()).toMatchObject({ sessionId: 0n, readOnly: true });
      readOnly.answerConnect(3_000, 0x77n, true);
      await vi.advanceTimersByTimeAsync(0);
      expect(events).toEqual(['connectedReadOnly']);
      expect(session.state).toBe('connectedReadOnly');
      expect(session.isReadOnly).toBe(true);
      // Probes at 100, 300 (+200), 700 (+400), 1100 (+400, the cap) ms: b, c, b, c — never a, the one we are on.
      await vi.advanceTimersByTimeAsync(1_100);
      expect(transport.probed).toEqual(['b', 'c', 'b', 'c']);
      expect(readOnly.closed).toBe(false);
      transport.readWriteHosts.add('b');
      await vi.advanceTimersByTimeAsync(400);
      expect(readOnly.closed).toBe(true);
      await vi.advanceTimersByTimeAsync(0);
      const readWrite = transport.last;
      expect(transport.hostsConnected).toEqual(['a', 'b']);
      // The read-only session was local to that server: ask for a new one.
      expect(readWrite.connectRequest()).toMatchObject({ sessionId: 0n, readOnly: true });
      readWrite.answerConnect(3_000, 0x1234n, false);
      await vi.advanceTimersByTimeAsync(0);
      expect(events).toEqual(['connectedReadOnly', 'suspended', 'connected']);
      expect(session.sessionId).toBe(0x1234n);
      expect(session.isReadOnly).toBe(false);
      // Once a read-write server gave the session, it is resumed by id everywhere, read-only servers included.
      readWrite.close();
      await vi.advanceTimersByTimeAsync(0);
      expect(transport.last.connectRequest()).toMatchObject({ sessionId: 0x1234n });
      transport.last.answerConnect(3_000, 0x1234n, true);
      await vi.advanceTimersByTimeAsync(0);
      expect(events).toEqual(['connectedReadOnly', 'suspended', 'connected', 'suspended', 'connectedReadOnly']);
    } finally {
      const closed = session.close();
      await vi.advanceTimersByTimeAsync(5_000);
      await closed;
      vi.useRealTimers();
    }
  });
});
