// Broadcast as conversations: PROPOSAL, durable ACKs, COMMIT on a quorum, INFORM to observers,
// PING both ways, and the timeouts that end a leadership.
import { describe, expect, it } from 'vitest';
import { Ensemble } from './test-harness';

/** Three voters and an observer, 3 leading and everyone serving. */
function serving(extra: ConstructorParameters<typeof Ensemble>[3] = {}): Ensemble {
  const e = new Ensemble([1, 2, 3], [4], {}, extra);
  e.start(1, 2, 3, 4);
  e.deliverAll();
  // The observer asked before anyone had settled; it asks again after electionTimeoutTicks.
  e.tick(4, 4);
  e.deliverAll();
  for (const id of [1, 2, 3, 4]) expect(e.peer(id).status().serving).toBe(true);
  return e;
}

describe('broadcast', () => {
  it('a write is proposed, made durable, acked by a quorum, committed, and informed to observers', () => {
    const e = serving();
    e.manualPersist = true;
    expect(e.propose(3, 'x')).toMatchInlineSnapshot(`
      [
        "3 → 2: PROPOSAL(0x100000001 "x")",
        "3 → 1: PROPOSAL(0x100000001 "x")",
        "3 proposed 0x100000001",
        "3 persists 0x100000001",
      ]
    `);
    expect(e.deliverAll()).toMatchInlineSnapshot(`
      [
        "2 persists 0x100000001",
        "1 persists 0x100000001",
      ]
    `);
    // The leader's own durable copy is one vote of the two needed.
    expect(e.persist(3)).toMatchInlineSnapshot(`[]`);
    expect(e.persist(1)).toMatchInlineSnapshot(`
      [
        "1 → 3: ACK(0x100000001)",
      ]
    `);
    expect(e.deliverAll()).toMatchInlineSnapshot(`
      [
        "3 → 2: COMMIT(0x100000001)",
        "3 → 1: COMMIT(0x100000001)",
        "3 → 4: INFORM(0x100000001 "x")",
        "3 delivers 0x100000001 "x"",
        "2 delivers 0x100000001 "x"",
        "1 delivers 0x100000001 "x"",
        "4 delivers 0x100000001 "x"",
        "4 persists 0x100000001",
      ]
    `);
    expect([...e.delivered.values()].map((d) => d.at(-1))).toEqual(['x', 'x', 'x', 'x']);
  });

  it('a COMMIT goes first to the learner that forwarded the write, then to the others as before', () => {
    const e = serving();
    e.manualPersist = true;
    // Learner 2 is first in the leader's order (see above): a write forwarded by 1 is committed to 1 first.
    e.propose(3, 'from 1', 1);
    e.deliverAll();
    e.persist(3);
    e.persist(2);
    const commits = (): string[] => e.deliverAll().filter((line) => line.startsWith('3 →'));
    expect(commits()).toEqual(['3 → 1: COMMIT(0x100000001)', '3 → 2: COMMIT(0x100000001)', '3 → 4: INFORM(0x100000001 "from 1")']);
    e.persist(1);
    // A write of the leader's own client (no origin) keeps the learners' order; so does one from a server that is no learner.
    e.propose(3, 'own');
    e.deliverAll();
    e.persist(3);
    e.persist(2);
    e.persist(1);
    expect(commits()).toEqual(['3 → 2: COMMIT(0x100000002)', '3 → 1: COMMIT(0x100000002)', '3 → 4: INFORM(0x100000002 "own")']);
    e.propose(3, 'unknown origin', 9);
    e.deliverAll();
    e.persist(3);
    e.persist(2);
    e.persist(1);
    expect(commits()).toEqual(['3 → 2: COMMIT(0x100000003)', '3 → 1: COMMIT(0x100000003)', '3 → 4: INFORM(0x100000003 "unknown origin")']);
  });

  it('refuses writes at a follower, and at a leader whose epoch is not yet established', () => {
    const e = serving();
    expect(e.propose(1, 'x')).toEqual(['1 refuses the write: not-leader']);
    expect(e.peer(1).step({ kind: 'propose', payload: new Uint8Array() })).toEqual([{ kind: 'proposeRefused', reason: 'not-leader', leaderId: 3 }]);
    const f = new Ensemble([1, 2, 3]);
    f.start(1, 2, 3);
    f.deliverAll(10_000, (m) => m.message.type === 'notification');
    expect(f.propose(3, 'x')).toEqual(['3 refuses the write: not-established']);
  });

  it('limits proposals in flight', () => {
    const e = serving({ limits: { proposalsInFlightMax: 2 } });
    e.manualPersist = true;
    e.propose(3, 'a');
    e.propose(3, 'b');
    expect(e.propose(3, 'c')).toEqual(['3 refuses the write: too-many-in-flight']);
  });

  it('PING goes both ways; a synced follower\'s answer repeats its durable zxid as an ACK', () => {
    const e = serving();
    expect(e.tick(3)).toMatchInlineSnapshot(`
      [
        "3 → 2: PING(0x0)",
        "3 → 1: PING(0x0)",
        "3 → 4: PING(0x0)",
      ]
    `);
    expect(e.deliverAll()).toMatchInlineSnapshot(`
      [
        "2 → 3: PING(0x0)",
        "1 → 3: PING(0x0)",
        "4 → 3: PING(0x0)",
      ]
    `);
  });

  it('a follower drops a leader silent for syncLimit ticks and looks for another', () => {
    const e = serving();
    const lines = [1, 2, 3, 4].flatMap(() => e.tick(1));
    expect(lines).toMatchInlineSnapshot(`
      [
        "1 is looking epoch 1",
        "1 → 2: NOTIFICATION(vote 1 0x0 e1, round 2, looking)",
        "1 → 3: NOTIFICATION(vote 1 0x0 e1, round 2, looking)",
      ]
    `);
  });

  it('a dropped connection ends following at once, and the leader forgets that learner', () => {
    const e = serving();
    expect(e.step(1, { kind: 'disconnected', peer: 3 }).filter((l) => !l.includes('NOTIFICATION'))).toEqual(['1 is looking epoch 1']);
    e.step(3, { kind: 'disconnected', peer: 2 });
    expect(e.peer(3).status().leader?.learners.map((l) => l.id)).toEqual([1, 4]);
  });

  it('the leader steps down when it has not heard a quorum for syncLimit ticks', () => {
    const e = serving();
    const lines: string[] = [];
    for (let i = 0; i < 4; i++) {
      lines.push(...e.tick(3));
      e.deliverAll(10_000, (m) => m.from === 3 && m.to === 4);
      e.drop(() => true);
    }
    expect(lines.filter((l) => !l.includes('PING'))).toMatchInlineSnapshot(`
      [
        "3 is looking epoch 1",
        "3 → 1: NOTIFICATION(vote 3 0x0 e1, round 2, looking)",
        "3 → 2: NOTIFICATION(vote 3 0x0 e1, round 2, looking)",
      ]
    `);
  });

  it('a lost PROPOSAL is a gap: the follower leaves, rejoins and is synced again', () => {
    const e = serving();
    e.propose(3, 'a');
    e.drop((m) => m.to === 1 && m.message.type === 'proposal');
    e.propose(3, 'b');
    const lines = e.deliverAll();
    expect(lines.filter((l) => l.startsWith('1 ') || l.includes('→ 1:')).filter((l) => !l.includes('NOTIFICATION'))).toMatchInlineSnapshot(`
      [
        "1 is looking epoch 1",
        "3 → 1: COMMIT(0x100000001)",
        "3 → 1: COMMIT(0x100000002)",
        "1 is following leader 3 epoch 1",
        "1 → 3: FOLLOWERINFO(acceptedEpoch 1)",
        "3 → 1: NEWEPOCH(1)",
        "1 → 3: ACKEPOCH(epoch 1, currentEpoch 1, lastZxid 0x0, not fresh)",
        "3 → 1: DIFF(from 0x0)",
        "3 → 1: PROPOSAL(0x100000001 "a")",
        "3 → 1: PROPOSAL(0x100000002 "b")",
        "3 → 1: NEWLEADER(epoch 1, 0x100000002)",
        "1 persists 0x100000001",
        "1 persists 0x100000002",
        "1 persists acceptedEpoch 1 currentEpoch 1",
        "1 → 3: ACK(0x100000002)",
        "3 → 1: UPTODATE(commit 0x100000002)",
        "1 is following (serving) leader 3 epoch 1",
        "1 delivers 0x100000001 "a"",
        "1 delivers 0x100000002 "b"",
      ]
    `);
    expect(e.delivered.get(1)).toEqual(['a', 'b']);
  });

  it('a zxid counter at its limit forces a new epoch', () => {
    const e = serving({ limits: { zxidCounterMax: 2n } });
    e.propose(3, 'a');
    e.propose(3, 'b');
    e.deliverAll();
    expect(e.propose(3, 'c')).toMatchInlineSnapshot(`
      [
        "3 is looking epoch 1",
        "3 → 1: NOTIFICATION(vote 3 0x100000002 e1, round 2, looking)",
        "3 → 2: NOTIFICATION(vote 3 0x100000002 e1, round 2, looking)",
        "3 refuses the write: zxid-overflow",
      ]
    `);
    e.deliverAll();
    for (let i = 0; i < 8 && !e.peer(3).status().serving; i++) {
      e.tick(1, 2, 3, 4);
      e.deliverAll();
    }
    expect(e.peer(3).status()).toMatchObject({ role: 'leading', serving: true, currentEpoch: 2 });
    expect(e.propose(3, 'c')).toContain('3 proposed 0x200000001');
  });
});
