// A member cut off from its quorum: without readonlymode it refuses every client; with it, it serves reads
// to clients that ask for read-only (writes and sync get NOTREADONLY), and drops them once a leader is back.
// And what mntr tells an operator about the ensemble, on the leader and on a follower.
import { afterEach, describe, expect, it } from 'vitest';
import { CreateFlag, ErrorCode, OpCode, Perm } from '@zk/wire';
import { fourLetterWord, waitFor } from '@zk/sdk/testing';
import { InProcessEnsemble } from '../testing/in-process-ensemble';
import { RawSession } from '../testing/raw-session';

const OPEN_ACL = [{ perms: Perm.all, id: { scheme: 'world', id: 'anyone' } }];
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function mntr(text: string): Map<string, string> {
  return new Map(text.trim().split('\n').map((line) => line.split('\t') as [string, string]));
}

async function startedEnsemble(extraCfg = ''): Promise<InProcessEnsemble> {
  const e = await InProcessEnsemble.create(3, 100, 0, extraCfg);
  await e.startAll();
  await waitFor(() => e.leaderId() !== undefined && e.allServing(), 'a serving leader', 10_000);
  return e;
}

describe('a member without a quorum', () => {
  let ensemble: InProcessEnsemble | undefined;
  afterEach(async () => {
    await ensemble?.stopAll();
    ensemble = undefined;
  });

  it('serves reads only to clients that allow it when readonlymode is enabled, and ends that when a leader is back', async () => {
    const e = (ensemble = await startedEnsemble('readonlymode.enabled=true'));
    const port = e.member(1).config.clientPort;
    const { session: writer } = await RawSession.open(port);
    expect((await writer.send({ op: OpCode.create, path: '/kept', data: bytes('before'), acl: OPEN_ACL, flags: CreateFlag.persistent })).header.err).toBe(ErrorCode.ok);
    writer.drop();

    await e.stop(2);
    await e.stop(3);
    const core = () => e.member(1).running?.core;
    await waitFor(() => core()?.readOnly === true, 'member 1 to turn read-only', 10_000);
    expect(await fourLetterWord(port, 'isro')).toBe('ro');
    expect(await fourLetterWord(port, 'srvr')).toContain('Mode: read-only');

    // A client that did not ask for read-only is refused; one that did gets a read-only session.
    await expect(RawSession.open(port)).rejects.toThrow(/closed the connection/);
    const { session: reader, connect } = await RawSession.open(port, { readOnly: true });
    expect(connect.readOnly).toBe(true);
    const read = await reader.send({ op: OpCode.getData, path: '/kept', watch: false });
    expect(read.header.err).toBe(ErrorCode.ok);
    expect(new TextDecoder().decode((read.response as { data: Uint8Array }).data)).toBe('before');
    expect((await reader.send({ op: OpCode.setData, path: '/kept', data: bytes('after'), version: -1 })).header.err).toBe(ErrorCode.notReadOnly);
    expect((await reader.send({ op: OpCode.create, path: '/new', data: bytes(''), acl: OPEN_ACL, flags: CreateFlag.persistent })).header.err).toBe(ErrorCode.notReadOnly);
    expect((await reader.send({ op: OpCode.sync, path: '/' })).header.err).toBe(ErrorCode.notReadOnly);
    expect((await reader.send({ op: OpCode.exists, path: '/kept', watch: false })).header.err).toBe(ErrorCode.ok);

    // A quorum again: the read-only client is dropped and a normal session works for writes.
    await e.start(2);
    await reader.closedPromise;
    await waitFor(() => core()?.serving === true, 'member 1 to serve again', 10_000);
    expect(await fourLetterWord(port, 'isro')).toBe('rw');
    const { session: again, connect: rw } = await RawSession.open(port, { readOnly: true });
    expect(rw.readOnly).toBe(false);
    expect((await again.send({ op: OpCode.setData, path: '/kept', data: bytes('after'), version: -1 })).header.err).toBe(ErrorCode.ok);
    again.drop();
  }, 40_000);

  it('refuses every client, read-only or not, when readonlymode is off', async () => {
    const e = (ensemble = await startedEnsemble());
    const port = e.member(1).config.clientPort;
    await e.stop(2);
    await e.stop(3);
    await waitFor(() => e.member(1).running?.core.serving === false, 'member 1 to stop serving', 10_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // past the read-only delay, which must not apply
    expect(await fourLetterWord(port, 'isro')).toBe('null');
    await expect(RawSession.open(port, { readOnly: true })).rejects.toThrow(/closed the connection/);
  }, 30_000);
});

describe('mntr in an ensemble', () => {
  let ensemble: InProcessEnsemble | undefined;
  afterEach(async () => {
    await ensemble?.stopAll();
    ensemble = undefined;
  });

  it('shows the leader its synced followers and how far each acknowledged, and every member its leader', async () => {
    const e = (ensemble = await startedEnsemble());
    const leaderId = e.leaderId() as number;
    const leaderPort = e.member(leaderId).config.clientPort;
    const { session } = await RawSession.open(leaderPort);
    await session.send({ op: OpCode.create, path: '/m', data: bytes(''), acl: OPEN_ACL, flags: CreateFlag.persistent });
    session.drop();

    let onLeader = new Map<string, string>();
    await waitFor(async () => {
      onLeader = mntr(await fourLetterWord(leaderPort, 'mntr'));
      return onLeader.get('zk_synced_followers') === '2';
    }, 'two synced followers in the leader\'s mntr', 5_000);
    expect(onLeader.get('zk_server_state')).toBe('leader');
    expect(onLeader.get('zk_peer_state')).toBe('leading - broadcast');
    expect(onLeader.get('zk_followers')).toBe('2');
    expect(onLeader.get('zk_learners')).toBe('2');
    expect(onLeader.get('zk_pending_syncs')).toBe('0');
    expect(onLeader.get('zk_leader_id')).toBe(String(leaderId));
    const followers = e.members.filter((m) => m.id !== leaderId);
    for (const follower of followers) expect(onLeader.get(`zk_learner_${follower.id}_acked_zxid`)).toMatch(/^0x[0-9a-f]+$/);

    const onFollower = mntr(await fourLetterWord(followers[0].config.clientPort, 'mntr'));
    expect(onFollower.get('zk_server_state')).toBe('follower');
    expect(onFollower.get('zk_peer_state')).toBe('following - broadcast');
    expect(onFollower.get('zk_leader_id')).toBe(String(leaderId));
    expect(onFollower.has('zk_synced_followers')).toBe(false);
  }, 30_000);
});
