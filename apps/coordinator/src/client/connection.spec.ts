// The client port end to end over real TCP: sessions, ordering, errors, four-letter words, limits.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateFlag, ErrorCode, EventType, OpCode, Perm, type Request } from '@zk/wire';
import { startInProcessServer, type InProcessServer } from '../testing/in-process-server';
import { RawSession } from '../testing/raw-session';

const OPEN_ACL = [{ perms: Perm.all, id: { scheme: 'world', id: 'anyone' } }];
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const createRequest = (path: string, flags: number = CreateFlag.persistent, data = ''): Request => ({ op: OpCode.create, path, data: bytes(data), acl: OPEN_ACL, flags });

function fourLetterWord(port: number, word: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(word));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('client connections', () => {
  let server: InProcessServer;
  beforeAll(async () => {
    // tickTime 200 ms: sessions time out within a second or two.
    server = await startInProcessServer('minSessionTimeout=400\nmaxSessionTimeout=4000\n');
  });
  afterAll(async () => {
    await server.stop();
  });

  it('negotiates the session timeout within the configured bounds', async () => {
    const { session, connect: low } = await RawSession.open(server.port, { timeoutMs: 10 });
    expect(low.timeOut).toBe(400);
    session.drop();
    const { session: other, connect: high } = await RawSession.open(server.port, { timeoutMs: 60_000 });
    expect(high.timeOut).toBe(4000);
    expect(high.sessionId).not.toBe(low.sessionId);
    expect(high.passwd.length).toBe(16);
    other.drop();
  });

  it('answers pipelined requests in the order they were sent, reads seeing earlier writes', async () => {
    const { session } = await RawSession.open(server.port);
    const replies = [
      session.send(createRequest('/order')),
      session.send({ op: OpCode.getData, path: '/order', watch: false }),
      session.send({ op: OpCode.setData, path: '/order', data: bytes('v1'), version: 0 }),
      session.send({ op: OpCode.getData, path: '/order', watch: false }),
      session.send({ op: OpCode.exists, path: '/order/none', watch: false }),
      session.send({ op: OpCode.delete, path: '/order', version: 1 }),
      session.send({ op: OpCode.exists, path: '/order', watch: false }),
    ];
    const results = await Promise.all(replies);
    expect(session.replyOrder).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(results.map((r) => r.header.err)).toEqual([0, 0, 0, 0, ErrorCode.noNode, 0, ErrorCode.noNode]);
    const second = results[3].response;
    expect(second && 'data' in second ? new TextDecoder().decode(second.data) : undefined).toBe('v1');
    // zxids in replies never go backwards for one session.
    const zxids = results.map((r) => r.header.zxid);
    expect([...zxids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(zxids);
    session.drop();
  });

  it('answers an unknown opcode with UNIMPLEMENTED, then closes that connection only', async () => {
    const { session } = await RawSession.open(server.port);
    const frame = new Uint8Array(12);
    const view = new DataView(frame.buffer);
    view.setInt32(0, 8);
    view.setInt32(4, 77); // xid
    view.setInt32(8, 999); // no such opcode
    const replied = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (session.replyOrder.includes(77)) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    session.writeRaw(frame);
    await replied;
    expect(session.replyHeaders.find((h) => h.xid === 77)?.err).toBe(ErrorCode.unimplemented);
    await session.closedPromise;
    const { session: other } = await RawSession.open(server.port);
    expect((await other.send({ op: OpCode.exists, path: '/', watch: false })).header.err).toBe(ErrorCode.ok);
    other.drop();
  });

  it('answers a request with a malformed body with MARSHALLINGERROR and keeps the session', async () => {
    const { session } = await RawSession.open(server.port);
    const frame = new Uint8Array(16);
    const view = new DataView(frame.buffer);
    view.setInt32(0, 12);
    view.setInt32(4, 5); // xid
    view.setInt32(8, OpCode.getData);
    view.setInt32(12, 1_000_000); // a path length far beyond the frame
    const replied = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (session.replyOrder.includes(5)) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    session.writeRaw(frame);
    await replied;
    expect(session.replyHeaders.find((h) => h.xid === 5)?.err).toBe(ErrorCode.marshallingError);
    expect((await session.send({ op: OpCode.exists, path: '/', watch: false }, 6)).header.err).toBe(ErrorCode.ok);
    session.drop();
  });

  // ZooKeeper checks the parent before the last name, so these all sit under a parent that exists.
  it.each(['', 'a', '/bad/', '/bad/.', '/bad/..', '/bad/a\u0000b'])('rejects the bad path %j with BADARGUMENTS', async (path) => {
    const { session } = await RawSession.open(server.port);
    await session.send(createRequest('/bad'));
    const reply = await session.send(createRequest(path));
    expect(reply.header.err).toBe(ErrorCode.badArguments);
    session.drop();
  });

  it('keeps a session whose client reconnects within the timeout, with its ephemerals', async () => {
    const { session, connect: first } = await RawSession.open(server.port, { timeoutMs: 1000 });
    expect((await session.send(createRequest('/keep', CreateFlag.ephemeral))).header.err).toBe(0);
    session.drop();
    const { session: again, connect: second } = await RawSession.open(server.port, { sessionId: first.sessionId, passwd: first.passwd, timeoutMs: 1000 });
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.timeOut).toBe(1000);
    expect((await again.send({ op: OpCode.exists, path: '/keep', watch: false })).header.err).toBe(0);
    await again.send({ op: OpCode.closeSession });
    await again.closedPromise;
  });

  it('refuses a wrong password and an expired session with a zero session id', async () => {
    const { session, connect: first } = await RawSession.open(server.port, { timeoutMs: 400 });
    session.drop();
    const wrong = await RawSession.open(server.port, { sessionId: first.sessionId, passwd: new Uint8Array(16) });
    expect(wrong.connect.sessionId).toBe(0n);
    expect(wrong.connect.timeOut).toBe(0);
    await wrong.session.closedPromise;
    await waitFor(() => !server.core.isSessionAlive(first.sessionId), 3000);
    const late = await RawSession.open(server.port, { sessionId: first.sessionId, passwd: first.passwd });
    expect(late.connect.sessionId).toBe(0n);
    await late.session.closedPromise;
  });

  it('removes an ephemeral node when its session expires and tells the watcher', async () => {
    const { session: owner } = await RawSession.open(server.port, { timeoutMs: 400 });
    expect((await owner.send(createRequest('/expiring', CreateFlag.ephemeral))).header.err).toBe(0);
    const { session: watcher } = await RawSession.open(server.port);
    expect((await watcher.send({ op: OpCode.exists, path: '/expiring', watch: true })).header.err).toBe(0);
    owner.drop(); // no closeSession: the server must notice by the timeout alone
    await waitFor(() => watcher.events.length > 0, 3000);
    expect(watcher.events[0]).toEqual({ type: EventType.nodeDeleted, state: 3, path: '/expiring' });
    expect((await watcher.send({ op: OpCode.exists, path: '/expiring', watch: false })).header.err).toBe(ErrorCode.noNode);
    watcher.drop();
  });

  it('closes only the connection that sends an oversized frame, with one log line', async () => {
    const { session: bystander } = await RawSession.open(server.port);
    const { session: offender } = await RawSession.open(server.port);
    const logLinesBefore = server.logLines.length;
    const frame = new Uint8Array(4);
    new DataView(frame.buffer).setInt32(0, 64 * 1024 * 1024);
    offender.writeRaw(frame);
    await offender.closedPromise;
    const newLines = server.logLines.slice(logLinesBefore).filter((line) => line.includes('bad frame'));
    expect(newLines).toHaveLength(1);
    expect((await bystander.send({ op: OpCode.exists, path: '/', watch: false })).header.err).toBe(0);
    bystander.drop();
  });

  it('answers four-letter words', async () => {
    expect(await fourLetterWord(server.port, 'ruok')).toBe('imok');
    expect(await fourLetterWord(server.port, 'isro')).toBe('rw');
    const srvr = await fourLetterWord(server.port, 'srvr');
    expect(srvr).toMatch(/^Zookeeper version: /);
    expect(srvr).toMatch(/Mode: standalone/);
    expect(srvr).toMatch(/Node count: \d+/);
    const mntr = await fourLetterWord(server.port, 'mntr');
    expect(mntr).toMatch(/^zk_version\t/m);
    expect(mntr).toMatch(/^zk_znode_count\t\d+$/m);
    expect(await fourLetterWord(server.port, 'conf')).toMatch(/^tickTime=200$/m);
    expect(await fourLetterWord(server.port, 'envi')).toMatch(/^Environment:/);
    expect(await fourLetterWord(server.port, 'wchs')).toMatch(/connections watching \d+ paths/);
  });
});

describe('server limits from zoo.cfg', () => {
  let server: InProcessServer;
  beforeAll(async () => {
    server = await startInProcessServer('4lw.commands.whitelist=srvr, ruok\nmaxClientCnxns=2\n');
  });
  afterAll(async () => {
    await server.stop();
  });

  it('runs only whitelisted four-letter words', async () => {
    expect(await fourLetterWord(server.port, 'ruok')).toBe('imok');
    expect(await fourLetterWord(server.port, 'mntr')).toBe('mntr is not executed because it is not in the whitelist.\n');
  });

  it('refuses connections beyond maxClientCnxns from one address', async () => {
    const a = await RawSession.open(server.port);
    const b = await RawSession.open(server.port);
    await expect(RawSession.open(server.port)).rejects.toThrow();
    a.session.drop();
    b.session.drop();
  });
});
