// Three coordinators over real loopback TCP: one leader, writes through any member seen by all,
// sessions that live ensemble-wide, and a new leader after the old one crashes.
import { afterEach, describe, expect, it } from 'vitest';
import { CreateFlag, ErrorCode, OpCode, Perm, type Request } from '@zk/wire';
import { InProcessEnsemble } from '../testing/in-process-ensemble';
import { RawSession } from '../testing/raw-session';

const OPEN_ACL = [{ perms: Perm.all, id: { scheme: 'world', id: 'anyone' } }];
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const create = (path: string, data = '', flags: number = CreateFlag.persistent): Request => ({ op: OpCode.create, path, data: bytes(data), acl: OPEN_ACL, flags });

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function dataAt(port: number, path: string): Promise<string | number> {
  const { session } = await RawSession.open(port);
  await session.send({ op: OpCode.sync, path });
  const reply = await session.send({ op: OpCode.getData, path, watch: false });
  session.drop();
  if (reply.header.err !== 0) return reply.header.err;
  return reply.response && 'data' in reply.response ? new TextDecoder().decode(reply.response.data) : '';
}

describe('an ensemble of three over TCP', () => {
  let ensemble: InProcessEnsemble | undefined;
  afterEach(async () => {
    await ensemble?.stopAll();
    ensemble = undefined;
  });

  it('elects one leader, and a write through any member is read on every member', async () => {
    ensemble = await InProcessEnsemble.create(3);
    await ensemble.startAll();
    const e = ensemble;
    await waitFor(() => e.leaderId() !== undefined && e.allServing(), 10_000, 'a serving leader');
    const roles = e.members.map((m) => m.running?.core.replicationStatus.role).sort();
    expect(roles).toEqual(['following', 'following', 'leading']);

    for (const writer of e.members) {
      const { session } = await RawSession.open(writer.config.clientPort);
      const reply = await session.send(create(`/from-${writer.id}`, `written at ${writer.id}`));
      expect(reply.header.err).toBe(ErrorCode.ok);
      session.drop();
    }
    for (const reader of e.members) {
      for (const writer of e.members) expect(await dataAt(reader.config.clientPort, `/from-${writer.id}`)).toBe(`written at ${writer.id}`);
    }
    const digests = e.members.map((m) => m.running?.core.db.tree.digest());
    expect(new Set(digests).size).toBe(1);
  }, 30_000);

  it('keeps a session and its ephemeral ensemble-wide, and elects a new leader when the leader crashes', async () => {
    ensemble = await InProcessEnsemble.create(3);
    await ensemble.startAll();
    const e = ensemble;
    await waitFor(() => e.leaderId() !== undefined && e.allServing(), 10_000, 'a serving leader');
    const oldLeader = e.leaderId() as number;
    const follower = e.members.find((m) => m.id !== oldLeader) as (typeof e.members)[number];
    const survivor = e.members.find((m) => m.id !== oldLeader && m.id !== follower.id) as (typeof e.members)[number];

    const { session } = await RawSession.open(follower.config.clientPort, { timeoutMs: 10_000 });
    expect((await session.send(create('/eph', 'mine', CreateFlag.ephemeral))).header.err).toBe(ErrorCode.ok);
    expect((await session.send(create('/acked', 'before crash'))).header.err).toBe(ErrorCode.ok);
    expect(await dataAt(survivor.config.clientPort, '/eph')).toBe('mine');
    session.drop();

    await e.stop(oldLeader);
    await waitFor(() => e.leaderId() !== undefined && e.leaderId() !== oldLeader && e.allServing(), 15_000, 'a new leader');
    expect(await dataAt(survivor.config.clientPort, '/acked')).toBe('before crash');
    const { session: again } = await RawSession.open(survivor.config.clientPort);
    expect((await again.send(create('/after', 'new leader'))).header.err).toBe(ErrorCode.ok);
    again.drop();

    // The old leader comes back, catches up, and serves what was written without it.
    await e.start(oldLeader);
    await waitFor(() => e.allServing() && e.members.every((m) => m.running?.core.serving), 15_000, 'the old leader back in sync');
    expect(await dataAt(e.member(oldLeader).config.clientPort, '/after')).toBe('new leader');
  }, 60_000);

  it('moves a session between members, and expires it ensemble-wide when its client goes silent', async () => {
    ensemble = await InProcessEnsemble.create(3);
    await ensemble.startAll();
    const e = ensemble;
    await waitFor(() => e.leaderId() !== undefined && e.allServing(), 10_000, 'a serving leader');
    const [a, b, c] = e.members;

    // 1 s timeout: the ticks are 100 ms, so expiry comes within a second or two.
    const first = await RawSession.open(a.config.clientPort, { timeoutMs: 1000 });
    expect((await first.session.send(create('/moving', 'x', CreateFlag.ephemeral))).header.err).toBe(ErrorCode.ok);
    first.session.drop();
    const moved = await RawSession.open(b.config.clientPort, { sessionId: first.connect.sessionId, passwd: first.connect.passwd, timeoutMs: 1000 });
    expect(moved.connect.sessionId).toBe(first.connect.sessionId);
    expect(moved.connect.timeOut).toBe(1000);
    // Pings through member b keep the session alive past its timeout.
    for (let i = 0; i < 8; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect((await moved.session.send({ op: OpCode.exists, path: '/moving', watch: false })).header.err).toBe(ErrorCode.ok);
    }
    const watcher = await RawSession.open(c.config.clientPort);
    expect((await watcher.session.send({ op: OpCode.exists, path: '/moving', watch: true })).header.err).toBe(ErrorCode.ok);
    moved.session.drop();
    await waitFor(() => watcher.session.events.length > 0, 5000, 'the ephemeral to go with its expired session');
    expect(watcher.session.events[0]).toMatchObject({ type: 2, path: '/moving' });
    for (const member of e.members) expect(await dataAt(member.config.clientPort, '/moving')).toBe(ErrorCode.noNode);
    watcher.session.drop();
  }, 60_000);

  it('expires a session opened on a follower whose client never sent a request', async () => {
    ensemble = await InProcessEnsemble.create(3);
    await ensemble.startAll();
    const e = ensemble;
    await waitFor(() => e.leaderId() !== undefined && e.allServing(), 10_000, 'a serving leader');
    const follower = e.members.find((m) => m.id !== e.leaderId()) as (typeof e.members)[number];
    // Regression: the leader only started a session's clock on a touch, and a silent client sends none.
    const silent = await RawSession.open(follower.config.clientPort, { timeoutMs: 1000 });
    const sessionId = silent.connect.sessionId;
    silent.session.drop();
    await waitFor(() => e.members.every((m) => !m.running?.core.db.tree.sessions().has(sessionId)), 5000, 'the silent session to expire on every member');
  }, 30_000);

  it('makes a burst of writes wait for commits when the leader has its fill of proposals in flight, failing none', async () => {
    // Regression: past ZabPeer's in-flight limit the leader answered CONNECTIONLOSS to writes on live connections.
    ensemble = await InProcessEnsemble.create(3, 100, 0, '', 3);
    await ensemble.startAll();
    const e = ensemble;
    await waitFor(() => e.leaderId() !== undefined && e.allServing(), 10_000, 'a serving leader');
    const sessions = await Promise.all(e.members.map((m) => RawSession.open(m.config.clientPort)));
    const replies = await Promise.all(
      sessions.flatMap(({ session }, s) => Array.from({ length: 150 }, () => session.send(create(`/burst-${s}-`, '', CreateFlag.persistentSequential)))),
    );
    expect(replies.filter((reply) => reply.header.err !== ErrorCode.ok)).toEqual([]);
    const names = replies.map((reply) => (reply.response as { path: string }).path);
    expect(new Set(names).size).toBe(450);
    for (const { session } of sessions) session.drop();
  }, 30_000);

  it('refuses clients on a member cut off from the quorum', async () => {
    ensemble = await InProcessEnsemble.create(3);
    await ensemble.startAll();
    const e = ensemble;
    await waitFor(() => e.leaderId() !== undefined && e.allServing(), 10_000, 'a serving leader');
    const lone = e.members.find((m) => m.id !== e.leaderId()) as (typeof e.members)[number];
    for (const other of e.members) if (other.id !== lone.id) await e.stop(other.id);
    await waitFor(() => lone.running?.core.serving === false, 10_000, 'the lone member to stop serving');
    await expect(RawSession.open(lone.config.clientPort)).rejects.toThrow(/closed the connection/);
  }, 30_000);

  it('has an observer follow the leader, serve reads, and pass writes on', async () => {
    ensemble = await InProcessEnsemble.create(3, 100, 1);
    await ensemble.startAll();
    const e = ensemble;
    await waitFor(() => e.leaderId() !== undefined && e.allServing(), 10_000, 'a serving leader');
    const observer = e.member(4);
    expect(observer.running?.core.replicationStatus.role).toBe('observing');
    const { session } = await RawSession.open(observer.config.clientPort);
    expect((await session.send(create('/via-observer', 'o'))).header.err).toBe(ErrorCode.ok);
    session.drop();
    for (const member of e.members) expect(await dataAt(member.config.clientPort, '/via-observer')).toBe('o');
  }, 30_000);
});
