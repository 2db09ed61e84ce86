// Random and mutated frames at a live server: it must answer or close the offending connection,
// never crash or stall, and still serve a good client afterwards.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeConnectRequest, encodeRequest, OpCode, type Request } from '@zk/wire';
import { SeededRandom } from '../testing/seeded-random';
import { startInProcessServer, type InProcessServer } from '../testing/in-process-server';
import { close, connectClient, create, getData } from '../testing/zk-client';

const FRAMES_TOTAL = 12_000;
const FRAMES_PER_CONNECTION = 40;

const SAMPLE_REQUESTS: Request[] = [
  { op: OpCode.create, path: '/fuzz/a', data: new Uint8Array([1, 2, 3]), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: 0 },
  { op: OpCode.createTTL, path: '/fuzz/t', data: new Uint8Array(0), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: 5, ttl: 1000n },
  { op: OpCode.getData, path: '/fuzz', watch: true },
  { op: OpCode.setData, path: '/fuzz', data: new Uint8Array([9]), version: -1 },
  { op: OpCode.getChildren2, path: '/', watch: false },
  { op: OpCode.delete, path: '/fuzz/a', version: 0 },
  { op: OpCode.setACL, path: '/fuzz', acl: [{ perms: 1, id: { scheme: 'digest', id: 'u:x' } }], version: -1 },
  { op: OpCode.multi, ops: [{ op: OpCode.create, path: '/fuzz/m', data: new Uint8Array(0), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: 2 }, { op: OpCode.check, path: '/fuzz', version: 3 }] },
  { op: OpCode.multiRead, ops: [{ op: OpCode.getData, path: '/fuzz', watch: false }, { op: OpCode.getChildren, path: '/', watch: false }] },
  { op: OpCode.setWatches2, relativeZxid: 0n, dataWatches: ['/fuzz'], existWatches: ['/nope'], childWatches: ['/'], persistentWatches: [], persistentRecursiveWatches: ['/fuzz'] },
  { op: OpCode.addWatch, path: '/fuzz', mode: 1 },
  { op: OpCode.removeWatches, path: '/fuzz', type: 3 },
  { op: OpCode.auth, type: 0, scheme: 'digest', auth: new TextEncoder().encode('u:p') },
  { op: OpCode.getEphemerals, prefixPath: '/' },
  { op: OpCode.getAllChildrenNumber, path: '/' },
  { op: OpCode.sync, path: '/fuzz' },
  { op: OpCode.exists, path: '/fuzz/none', watch: true },
  { op: OpCode.whoAmI },
];

function framedRandom(random: SeededRandom): Uint8Array {
  const body = random.bytes(random.int(64));
  return withLength(body, body.length);
}

function withLength(body: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setInt32(0, length);
  out.set(body, 4);
  return out;
}

/** A valid request frame with a few bytes flipped, cut, or extended; sometimes a lying length prefix. */
function mutatedRequest(random: SeededRandom, xid: number): Uint8Array {
  const request = random.pick(SAMPLE_REQUESTS);
  const frame = encodeRequest({ xid, type: request.op }, request);
  let body = frame.slice(4);
  switch (random.int(6)) {
    case 0:
      for (let flips = 1 + random.int(4); flips > 0; flips--) body[random.int(body.length)] = random.int(256);
      break;
    case 1:
      body = body.slice(0, random.int(body.length));
      break;
    case 2:
      body = new Uint8Array([...body, ...random.bytes(1 + random.int(16))]);
      break;
    case 3:
      new DataView(body.buffer, body.byteOffset).setInt32(4, random.int(0x7fffffff) - 0x3fffffff); // unknown opcode
      break;
    case 4:
      return withLength(body, random.pick([-1, -100, 0x7fffffff, 2 * 1024 * 1024]));
    default:
      break; // left valid: the fuzz also exercises ordinary paths
  }
  return withLength(body, body.length);
}

function runConnection(port: number, frames: Uint8Array[], openWithSession: boolean): Promise<void> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, 300);
    socket.on('error', done);
    socket.on('close', done);
    socket.on('data', () => undefined);
    socket.on('connect', () => {
      if (openWithSession) socket.write(encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0n, timeOut: 4000, sessionId: 0n, passwd: new Uint8Array(16), readOnly: false }));
      for (const frame of frames) socket.write(frame);
    });
  });
}

describe('fuzzing the client port', () => {
  let server: InProcessServer;
  beforeAll(async () => {
    server = await startInProcessServer('extendedTypesEnabled=true\nmaxClientCnxns=0\n');
  });
  afterAll(async () => {
    await server.stop();
  });

  it(`survives ${FRAMES_TOTAL} random and mutated frames and still serves a good client`, async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20261125);
    const random = new SeededRandom(seed);
    const good = await connectClient(server.connectString);
    await create(good, '/fuzz', 'before');

    let sent = 0;
    while (sent < FRAMES_TOTAL) {
      const batch: Array<Promise<void>> = [];
      for (let c = 0; c < 20 && sent < FRAMES_TOTAL; c++) {
        const frames: Uint8Array[] = [];
        const kind = random.int(3);
        for (let i = 0; i < FRAMES_PER_CONNECTION; i++) frames.push(kind === 0 ? framedRandom(random) : mutatedRequest(random, i + 1));
        sent += frames.length;
        batch.push(runConnection(server.port, frames, kind !== 0));
      }
      await Promise.all(batch);
    }

    expect(sent).toBeGreaterThanOrEqual(10_000);
    // The good client's session survived the storm and the server still answers correctly.
    await create(good, '/fuzz/after', 'still here');
    expect((await getData(good, '/fuzz/after')).data).toBe('still here');
    close(good);
    const fresh = await connectClient(server.connectString);
    expect((await getData(fresh, '/fuzz/after')).data).toBe('still here');
    close(fresh);
    // Bad input was logged, one line per closed connection, never as a crash.
    expect(server.logLines.some((line) => line.includes('closing connection'))).toBe(true);
    expect(server.logLines.some((line) => line.includes('level=error'))).toBe(false);
  }, 120_000);
});
