// The WebSocket gateway of a real coordinator process (admin port, /zk): raw WebSockets get the TCP port's
// handshake and count as client connections; bad input closes that WebSocket alone, with a log line.
import { WebSocket, type RawData } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeConnectResponse, encodeConnectRequest, encodeRequest, OpCode, Xid, type ConnectResponse } from '@zk/wire';
import { WebSocketTransport, ZooKeeperClient } from '@zk/sdk';
import { fourLetterWord, useServer, waitFor } from '@zk/sdk/testing';

interface RawWebSocket {
  ws: WebSocket;
  closed: Promise<{ code: number; reason: string }>;
  messages: Uint8Array[];
}

function openRaw(url: string): Promise<RawWebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: Uint8Array[] = [];
    const closed = new Promise<{ code: number; reason: string }>((resolveClosed) => ws.once('close', (code, reason) => resolveClosed({ code, reason: reason.toString() })));
    ws.on('message', (data: RawData) => messages.push(new Uint8Array(data as Buffer)));
    ws.on('error', () => undefined);
    ws.once('open', () => resolve({ ws, closed, messages }));
    ws.once('unexpected-response', () => reject(new Error('upgrade refused')));
    closed.then(() => reject(new Error('closed before open')), () => undefined);
  });
}

const connectRequest = (): Uint8Array =>
  encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0n, timeOut: 6_000, sessionId: 0n, passwd: new Uint8Array(16), readOnly: false });

async function handshake(raw: RawWebSocket): Promise<ConnectResponse> {
  raw.ws.send(connectRequest());
  await waitFor(() => raw.messages.length > 0, 'the ConnectResponse');
  const message = raw.messages[0];
  expect(new DataView(message.buffer, message.byteOffset).getInt32(0)).toBe(message.length - 4);
  return decodeConnectResponse(message.subarray(4));
}

describe('the WebSocket gateway', () => {
  const server = useServer('coordinator', { admin: true });
  let url: string;
  let survivor: ZooKeeperClient;

  beforeAll(async () => {
    url = server.get().webSocketUrl as string;
    // A WebSocket session open through every bad-input test: it must keep working.
    survivor = await ZooKeeperClient.connect(url, { transport: new WebSocketTransport({ WebSocket }) });
  });
  afterAll(async () => {
    await survivor?.close();
  });

  it('gives a raw WebSocket the same handshake as the TCP port, one frame per message', async () => {
    const raw = await openRaw(url);
    const response = await handshake(raw);
    expect(response.sessionId).not.toBe(0n);
    expect(response.timeOut).toBe(6_000);
    expect(response.passwd.length).toBe(16);
    // Two pipelined pings: two replies, each its own message.
    raw.ws.send(encodeRequest({ xid: Xid.ping, type: OpCode.ping }, { op: OpCode.ping }));
    raw.ws.send(encodeRequest({ xid: Xid.ping, type: OpCode.ping }, { op: OpCode.ping }));
    await waitFor(() => raw.messages.length === 3, 'two ping replies');
    for (const message of raw.messages.slice(1)) expect(new DataView(message.buffer, message.byteOffset).getInt32(0)).toBe(16);
    raw.ws.close();
    await raw.closed;
  });

  it('answers a getData of a large value (sent by reference on TCP) whole on both transports', async () => {
    const value = new Uint8Array(300 * 1024).map((_, i) => (i * 7) % 256);
    await survivor.create('/gateway-large', value);
    const tcp = await ZooKeeperClient.connect(`127.0.0.1:${server.get().port}`);
    try {
      for (const client of [survivor, tcp]) {
        const [first, second] = await Promise.all([client.getData('/gateway-large'), client.getData('/gateway-large')]);
        expect(Buffer.from(first.data).equals(Buffer.from(value))).toBe(true);
        expect(Buffer.from(second.data).equals(Buffer.from(value))).toBe(true);
        expect(first.stat.dataLength).toBe(value.length);
      }
    } finally {
      await tcp.close();
      await survivor.delete('/gateway-large');
    }
  });

  it('counts WebSocket connections in cons and the admin status like TCP ones', async () => {
    const status = async (): Promise<number> => ((await (await fetch(`http://127.0.0.1:${server.get().adminPort}/api/v1/status`)).json()) as { connections: number }).connections;
    const consLines = async (): Promise<string[]> => (await fourLetterWord(server.get().port, 'cons')).split('\n').filter((line) => line.trim() !== '');
    // Other sessions (the member's own platform session, the survivor) may reconnect at any moment on a loaded
    // machine, so no count is compared across time: each check reads cons and the status until the two agree,
    // which they do only if the status counts every connection cons lists, WebSocket ones included.
    const agreeing = async (what: string, holds: (lines: string[]) => boolean): Promise<string[]> => {
      let seen: string[] = [];
      await waitFor(async () => {
        const lines = await consLines();
        const count = await status();
        seen = lines;
        return count === lines.length && count === (await consLines()).length && holds(lines);
      }, what);
      return seen;
    };
    const raw = await openRaw(url);
    const { sessionId } = await handshake(raw);
    const sid = `sid=0x${sessionId.toString(16)}`;
    const open = await agreeing('the status to count the open WebSocket', (lines) => lines.some((line) => line.includes(sid)));
    expect(open.filter((line) => line.includes(sid))).toHaveLength(1);
    raw.ws.close();
    await raw.closed;
    await agreeing('the closed WebSocket to leave cons and the status', (lines) => !lines.some((line) => line.includes(sid)));
  });

  const connectFrame = connectRequest();
  const twoFrames = new Uint8Array([...connectFrame, ...connectFrame]);
  const oversized = new Uint8Array(1024 * 1024 + 64);
  new DataView(oversized.buffer).setInt32(0, oversized.length - 4);
  it.each([
    ['a text message', (ws: WebSocket) => ws.send('{"hello":"zk"}'), 1003, /text message/],
    ['a four-letter word (TCP only)', (ws: WebSocket) => ws.send(new TextEncoder().encode('ruok')), 1002, /exactly one length-prefixed frame/],
    ['two frames in one message', (ws: WebSocket) => ws.send(twoFrames), 1002, /exactly one length-prefixed frame/],
    ['half a frame', (ws: WebSocket) => ws.send(connectFrame.subarray(0, 10)), 1002, /exactly one length-prefixed frame/],
    ['a message longer than jute.maxbuffer', (ws: WebSocket) => ws.send(oversized), 1009, /Max payload size exceeded/],
    ['a malformed ConnectRequest', (ws: WebSocket) => ws.send(new Uint8Array([0, 0, 0, 3, 1, 2, 3])), 1006, /malformed ConnectRequest/],
  ])('closes the WebSocket alone on %s, with a log line', async (_what, send, code, logged) => {
    const raw = await openRaw(url);
    send(raw.ws);
    expect((await raw.closed).code).toBe(code);
    await waitFor(() => logged.test(server.get().logTail(20)), 'the log line');
    expect(survivor.state).toBe('connected');
    expect(await survivor.exists('/')).not.toBeNull();
  });

  it('closes a WebSocket with a session on bad input, and the session can resume elsewhere', async () => {
    const raw = await openRaw(url);
    const response = await handshake(raw);
    raw.ws.send('not a frame');
    expect((await raw.closed).code).toBe(1003);
    const again = await openRaw(url);
    again.ws.send(encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0n, timeOut: 6_000, sessionId: response.sessionId, passwd: response.passwd, readOnly: false }));
    await waitFor(() => again.messages.length > 0, 'the ConnectResponse');
    expect(decodeConnectResponse(again.messages[0].subarray(4)).sessionId).toBe(response.sessionId);
    again.ws.close();
    await again.closed;
  });

  it('refuses WebSocket upgrades on other paths', async () => {
    await expect(openRaw(url.replace(/\/zk$/, '/other'))).rejects.toThrow();
  });
});
