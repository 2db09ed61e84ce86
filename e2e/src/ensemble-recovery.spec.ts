// Five real participants and an observer, every peer link behind a fault proxy: the leader brings a
// restarted follower up to date by DIFF, one that missed more than the leader's log keeps by SNAP, and a
// leader cut off with proposals nobody acknowledged by TRUNC; a 2-of-5 minority refuses writes; an observer
// follows and serves; a session moves between members with its ephemeral. Every check ends with every
// member on the same zxid and tree digest.
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CreateFlag, ErrorCode, OpCode, Perm, type Request } from '@zk/wire';
import type { EnsembleMember } from './support/ensemble';
import { waitForMode } from './support/ensemble';
import { fourLetterWord } from './support/four-letter';
import { RawClient } from './support/raw-client';
import { useEnsemble } from './support/use-ensemble';
import { pollUntil, sleep, withTimeout } from './support/wait';
import { connectClient, createNode } from './support/zk-client';

const TICK_MS = 200;
/** Small, so that a follower stopped for a few hundred writes falls behind the leader's log. */
const SNAP_COUNT = 100;
const OPEN_ACL = [{ perms: Perm.all, id: { scheme: 'world', id: 'anyone' } }];
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const create = (path: string, flags: number = CreateFlag.persistent): Request => ({ op: OpCode.create, path, data: bytes(path), acl: OPEN_ACL, flags });

function logSince(member: EnsembleMember, offset: number): string {
  return readFileSync(member.logPath, 'utf8').slice(offset);
}

function logSize(member: EnsembleMember): number {
  return statSync(member.logPath).size;
}

async function mntrOf(member: EnsembleMember): Promise<Map<string, string>> {
  const text = await fourLetterWord(member.clientPort, 'mntr').catch(() => '');
  return new Map(text.trim().split('\n').map((line) => line.split('\t') as [string, string]));
}

async function createAll(port: number, paths: string[]): Promise<void> {
  const client = await RawClient.connect(port);
  try {
    const replies = await Promise.all(paths.map((path) => client.send(create(path))));
    for (const [index, reply] of replies.entries()) expect(reply.err, paths[index]).toBe(ErrorCode.ok);
  } finally {
    await client.close();
  }
}

async function exists(port: number, path: string): Promise<boolean> {
  const client = await RawClient.connect(port);
  try {
    await client.send({ op: OpCode.sync, path: '/' });
    return (await client.send({ op: OpCode.exists, path, watch: false })).err === ErrorCode.ok;
  } finally {
    await client.close();
  }
}

describe('five participants and an observer', () => {
  const ensemble = useEnsemble({ participants: 5, observers: 1, withProxies: true, tickTimeMs: TICK_MS, initLimit: 10, syncLimit: 5, snapCount: SNAP_COUNT, name: 'ensemble-recovery' });

  /**
   * Every running member on one zxid with one digest, and serving: the ensemble agrees, and each member can be
   * read. (A restarted member reaches the leader's zxid when the SNAP or DIFF is in, a moment before UPTODATE
   * lets it serve; a session opened in between is refused.)
   */
  async function converged(members: readonly EnsembleMember[] = ensemble().members): Promise<void> {
    await pollUntil(
      async () => {
        const rows = await Promise.all(members.map(mntrOf));
        const zxids = new Set(rows.map((row) => row.get('zk_last_zxid')));
        const digests = new Set(rows.map((row) => row.get('zk_digest')));
        if (zxids.size !== 1 || digests.size !== 1 || zxids.has(undefined)) return undefined;
        const serving = await Promise.all(members.map((member) => member.serving()));
        return serving.every((answer) => answer === true) ? true : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 100, what: 'every member on the same zxid and digest, serving' },
    );
  }

  const follower = (leader: EnsembleMember, index = 0): EnsembleMember => ensemble().members.filter((m) => m.type === 'participant' && m.id !== leader.id)[index] as EnsembleMember;

  it('elects one leader; writes through every member, the observer too, are read on every member', async () => {
    const leader = await ensemble().waitForLeader();
    expect(await leader.mode()).toBe('leader');
    const observer = ensemble().members.find((m) => m.type === 'observer') as EnsembleMember;
    expect(await observer.mode()).toBe('observer');
    for (const member of ensemble().members) await createAll(member.clientPort, [`/via-${member.id}`]);
    for (const reader of ensemble().members) {
      for (const writer of ensemble().members) expect(await exists(reader.clientPort, `/via-${writer.id}`), `/via-${writer.id} on ${reader.id}`).toBe(true);
    }
    const rows = await mntrOf(leader);
    expect(rows.get('zk_synced_followers')).toBe('4');
    expect(rows.get('zk_synced_observers')).toBe('1');
    await converged();
  }, 60_000);

  it('survives a leader SIGKILL under a write load with every acknowledged write on every survivor, and the old leader catches up', async () => {
    const leader = await ensemble().waitForLeader();
    const survivors = ensemble().members.filter((m) => m.id !== leader.id);
    const writer = await connectClient(ensemble().connectString(survivors.map((m) => m.id)));
    const acknowledged: string[] = [];
    let writing = true;
    const load = (async () => {
      for (let i = 0; writing; i++) {
        // A write lost with the connection has an unknown outcome: it is simply not counted as acknowledged.
        await withTimeout(createNode(writer, `/load5-${i}`, `v${i}`), 5_000, `/load5-${i}`).then((path) => acknowledged.push(path), () => sleep(50));
      }
    })();
    await pollUntil(async () => (acknowledged.length >= 20 ? true : undefined), { timeoutMs: 10_000, what: 'writes before the kill' });
    await leader.kill();
    const newLeader = await ensemble().waitForLeader({ among: survivors.map((m) => m.id), timeoutMs: 20_000 });
    expect(newLeader.id).not.toBe(leader.id);
    const atNewLeader = acknowledged.length;
    await pollUntil(async () => (acknowledged.length >= atNewLeader + 20 ? true : undefined), { timeoutMs: 15_000, what: 'writes through the new leader' });
    writing = false;
    await load;
    writer.close();
    // A member may not have applied the last commits yet (a read elsewhere is not a sync): agree first.
    await converged(survivors);
    for (const member of survivors) {
      for (const path of acknowledged) expect(await exists(member.clientPort, path), `${path} on ${member.id}`).toBe(true);
    }
    leader.start();
    await waitForMode(leader, (mode) => mode === 'follower', { timeoutMs: 20_000, what: 'the old leader to follow' });
    await converged();
    expect(await exists(leader.clientPort, acknowledged[acknowledged.length - 1] as string)).toBe(true);
  }, 90_000);

  it('brings a follower that missed a few writes up to date by DIFF', async () => {
    const leader = await ensemble().waitForLeader();
    const behind = follower(leader);
    await behind.stop();
    await createAll(leader.clientPort, Array.from({ length: 10 }, (_, i) => `/diff-${i}`));
    const offset = logSize(leader);
    behind.start();
    await waitForMode(behind, (mode) => mode === 'follower', { timeoutMs: 20_000, what: 'the restarted follower to follow' });
    await converged();
    expect(logSince(leader, offset)).toMatch(new RegExp(`synchronizing a learner.* learner=${behind.id} method=DIFF`));
    expect(await exists(behind.clientPort, '/diff-9')).toBe(true);
  }, 60_000);

  it('sends a snapshot to a follower that missed more than the leader keeps in its log (SNAP)', async () => {
    const leader = await ensemble().waitForLeader();
    const behind = follower(leader, 1);
    const behindZxid = BigInt((await mntrOf(behind)).get('zk_last_zxid') ?? '0');
    await behind.stop();
    // More than the 500 txns the leader keeps below its newest snapshot: only a snapshot can catch up. The
    // snapshot is built off the serving thread (a trigger while one is under way is skipped) and the log is
    // compacted once it is durable: write on until the leader took one that far past the stopped follower.
    const leaderLogOffset = logSize(leader);
    let batch = 0;
    const snapshotPastBehind = (): boolean =>
      [...logSince(leader, leaderLogOffset).matchAll(/snapshot taken.* snapshotZxid=(0x[0-9a-f]+)/g)].some((match) => BigInt(match[1] as string) > behindZxid + 600n);
    while (batch < 7 || !snapshotPastBehind()) {
      expect(batch, 'batches written before the leader snapshotted past the stopped follower').toBeLessThan(40);
      await createAll(leader.clientPort, Array.from({ length: SNAP_COUNT }, (_, i) => `/snap-${batch}-${i}`));
      batch++;
      if (batch >= 7) await sleep(300);
    }
    const lastPath = `/snap-${batch - 1}-${SNAP_COUNT - 1}`;
    const offset = logSize(leader);
    behind.start();
    await waitForMode(behind, (mode) => mode === 'follower', { timeoutMs: 20_000, what: 'the restarted follower to follow' });
    await converged();
    expect(logSince(leader, offset)).toMatch(new RegExp(`synchronizing a learner.* learner=${behind.id} method=SNAP`));
    expect(await exists(behind.clientPort, lastPath)).toBe(true);
  }, 90_000);

  it('truncates what a cut-off leader logged but nobody acknowledged (TRUNC), once it rejoins', async () => {
    const oldLeader = await ensemble().waitForLeader();
    const client = await RawClient.connect(oldLeader.clientPort);
    ensemble().network?.isolate(oldLeader.id);
    // Proposed and logged by the old leader alone: never acknowledged, so never committed.
    const orphans = Array.from({ length: 5 }, (_, i) => `/orphan-${i}`);
    const outcomes = await Promise.all(orphans.map((path) => client.send(create(path)).then((reply) => reply.err, (error: Error) => error.message)));
    for (const outcome of outcomes) expect(outcome, 'a write on an isolated leader').not.toBe(ErrorCode.ok);
    client.destroy();

    const majority = ensemble().members.filter((m) => m.id !== oldLeader.id).map((m) => m.id);
    const newLeader = await ensemble().waitForLeader({ among: majority, timeoutMs: 20_000 });
    await createAll(newLeader.clientPort, ['/after-orphans']);
    const offset = logSize(newLeader);
    ensemble().network?.healAll();
    await waitForMode(oldLeader, (mode) => mode === 'follower', { timeoutMs: 20_000, what: 'the old leader to follow after the heal' });
    await converged();
    expect(logSince(newLeader, offset)).toMatch(new RegExp(`synchronizing a learner.* learner=${oldLeader.id} method=TRUNC`));
    for (const path of orphans) expect(await exists(oldLeader.clientPort, path), path).toBe(false);
    expect(await exists(oldLeader.clientPort, '/after-orphans')).toBe(true);
  }, 90_000);

  it('moves a session between members with its ephemeral, and removes the ephemeral everywhere when it closes', async () => {
    const leader = await ensemble().waitForLeader();
    const [first, second] = [follower(leader, 0), follower(leader, 2)];
    // A member the previous test resynchronized may say "follower" before it serves (isro says rw then).
    for (const member of [first, second]) await pollUntil(async () => ((await member.serving()) === true ? true : undefined), { timeoutMs: 20_000, what: `member ${member.id} to serve` });
    const owner = await RawClient.connect(first.clientPort, { sessionTimeoutMs: 6_000 });
    expect((await owner.send(create('/moving', CreateFlag.ephemeral))).err).toBe(ErrorCode.ok);
    const { sessionId, passwd } = owner.session;
    owner.destroy(); // the connection goes, the session stays
    // As ZooKeeper does, a member that has not yet applied the last zxid this client saw refuses it (the
    // client tries again, here or elsewhere): retry on the same member until it has caught up.
    const moved = await pollUntil(
      () => RawClient.connect(second.clientPort, { sessionTimeoutMs: 6_000, sessionId, passwd, lastZxidSeen: owner.lastZxid }).catch(() => undefined),
      { timeoutMs: 5_000, intervalMs: 20, what: `the session to move to member ${second.id}` },
    );
    expect(moved.sessionId).toBe(sessionId);
    await sleep(7_000); // past the session timeout: only the moved connection keeps it alive
    for (const member of ensemble().members) expect(await exists(member.clientPort, '/moving'), `/moving on ${member.id}`).toBe(true);
    await moved.close();
    for (const member of ensemble().members) await pollUntil(async () => ((await exists(member.clientPort, '/moving')) ? undefined : true), { timeoutMs: 5_000, what: `/moving gone on ${member.id}` });
  }, 60_000);

  it('refuses writes on a 2-of-5 minority, and recovers every acknowledged write when the others return', async () => {
    const leader = await ensemble().waitForLeader();
    await createAll(leader.clientPort, ['/before-minority']);
    const participants = ensemble().members.filter((m) => m.type === 'participant');
    const minority = participants.filter((m) => m.id !== leader.id).slice(0, 2);
    const stopped = participants.filter((m) => !minority.includes(m));
    await Promise.all(stopped.map((m) => m.kill()));

    for (const member of minority) {
      await pollUntil(async () => ((await member.serving()) === false ? true : undefined), { timeoutMs: 10_000, what: `member ${member.id} to stop serving` });
      // No quorum: no session (so no write) on either survivor.
      const attempt = await RawClient.connect(member.clientPort).then(
        async (client) => {
          const reply = await client.send(create('/minority-write')).then((r) => r.err, (error: Error) => error.message);
          await client.close();
          return reply;
        },
        (error: Error) => error.message,
      );
      expect(attempt, `a write on minority member ${member.id}`).not.toBe(ErrorCode.ok);
      expect(await fourLetterWord(member.clientPort, 'isro')).toBe('null');
    }

    for (const member of stopped) member.start();
    await ensemble().waitForLeader({ timeoutMs: 30_000 });
    await converged();
    for (const member of ensemble().members) {
      expect(await exists(member.clientPort, '/before-minority'), `on ${member.id}`).toBe(true);
      expect(await exists(member.clientPort, '/minority-write'), `on ${member.id}`).toBe(false);
    }
  }, 90_000);
});
