// Fast leader election as conversations between servers: who proposes whom, who adopts which vote,
// and when each server settles.
import { describe, expect, it } from 'vitest';
import { Ensemble, durable, entry } from './test-harness';

const electionOnly = (lines: string[]): string[] => lines.filter((l) => l.includes('NOTIFICATION') || / is /.test(l));

describe('fast leader election', () => {
  it('elects the highest id when every history is equal, as soon as all voters agree', () => {
    const e = new Ensemble([1, 2, 3]);
    e.start(1, 2, 3);
    expect(electionOnly(e.deliverAll())).toMatchInlineSnapshot(`
      [
        "2 → 1: NOTIFICATION(vote 2 0x0 e0, round 1, looking)",
        "3 → 1: NOTIFICATION(vote 3 0x0 e0, round 1, looking)",
        "1 → 2: NOTIFICATION(vote 2 0x0 e0, round 1, looking)",
        "1 → 3: NOTIFICATION(vote 2 0x0 e0, round 1, looking)",
        "3 → 2: NOTIFICATION(vote 3 0x0 e0, round 1, looking)",
        "1 → 2: NOTIFICATION(vote 3 0x0 e0, round 1, looking)",
        "1 → 3: NOTIFICATION(vote 3 0x0 e0, round 1, looking)",
        "2 → 1: NOTIFICATION(vote 3 0x0 e0, round 1, looking)",
        "2 → 3: NOTIFICATION(vote 3 0x0 e0, round 1, looking)",
        "2 is following leader 3 epoch 0",
        "1 is following leader 3 epoch 0",
        "3 is leading leader 3 epoch 0",
        "3 is leading (serving) leader 3 epoch 1",
        "2 is following (serving) leader 3 epoch 1",
        "1 is following (serving) leader 3 epoch 1",
      ]
    `);
  });

  it('prefers the most recent history (epoch, then zxid) over a higher id', () => {
    const e = new Ensemble([1, 2, 3], [], {
      1: durable(2, 2, [entry(1, 1), entry(2, 1)]),
      2: durable(1, 1, [entry(1, 1), entry(1, 2), entry(1, 3)]),
      3: durable(1, 1, [entry(1, 1)]),
    });
    e.start(1, 2, 3);
    e.deliverAll(10_000, (m) => m.message.type === 'notification');
    expect([1, 2, 3].map((id) => [id, e.peer(id).status().role])).toEqual([
      [1, 'leading'],
      [2, 'following'],
      [3, 'following'],
    ]);
  });

  it('with a voter down, a quorum decides one finalize-wait tick after it agrees', () => {
    const e = new Ensemble([1, 2, 3]);
    e.start(1, 2);
    e.drop((m) => m.to === 3);
    expect(electionOnly(e.deliverAll(10_000, (m) => m.to !== 3))).toMatchInlineSnapshot(`
      [
        "2 → 1: NOTIFICATION(vote 2 0x0 e0, round 1, looking)",
        "1 → 2: NOTIFICATION(vote 2 0x0 e0, round 1, looking)",
        "1 → 3: NOTIFICATION(vote 2 0x0 e0, round 1, looking)",
      ]
    `);
    e.drop((m) => m.to === 3);
    expect(electionOnly(e.tick(1, 2))).toMatchInlineSnapshot(`
      [
        "1 is following leader 2 epoch 0",
        "2 is leading leader 2 epoch 0",
      ]
    `);
  });

  it('answers the first worse vote of a sender in its round: a server that missed our vote needs no resend', () => {
    const e = new Ensemble([1, 2, 3]);
    e.start(2);
    // 2's vote never reaches 1 (1 still followed the leader that is gone when it came); 3 is down.
    e.drop(() => true);
    e.start(1);
    e.drop((m) => m.to === 3);
    expect(electionOnly(e.deliverAll(10_000, (m) => m.to !== 3))).toEqual([
      '2 → 1: NOTIFICATION(vote 2 0x0 e0, round 1, looking)',
      '1 → 2: NOTIFICATION(vote 2 0x0 e0, round 1, looking)',
      '1 → 3: NOTIFICATION(vote 2 0x0 e0, round 1, looking)',
    ]);
    expect(electionOnly(e.tick(1, 2))).toEqual(['1 is following leader 2 epoch 0', '2 is leading leader 2 epoch 0']);
  });

  it('a server that starts late joins the settled leader from the answers of a quorum', () => {
    const e = new Ensemble([1, 2, 3]);
    e.start(1, 2);
    e.drop((m) => m.to === 3);
    e.deliverAll(10_000, (m) => m.to !== 3);
    e.tick(1, 2);
    e.drop((m) => m.to === 3);
    e.deliverAll(10_000, (m) => m.to !== 3);
    expect(e.peer(2).status().serving).toBe(true);
    expect(electionOnly([...e.start(3), ...e.deliverAll(10_000, (m) => m.message.type === 'notification')])).toMatchInlineSnapshot(`
      [
        "3 is looking epoch 0",
        "3 → 1: NOTIFICATION(vote 3 0x0 e0, round 1, looking)",
        "3 → 2: NOTIFICATION(vote 3 0x0 e0, round 1, looking)",
        "1 → 3: NOTIFICATION(vote 2 0x0 e0, round 1, following)",
        "2 → 3: NOTIFICATION(vote 2 0x0 e0, round 1, leading)",
        "3 is following leader 2 epoch 0",
      ]
    `);
  });

  it('observers never vote but learn the leader from the voters', () => {
    const e = new Ensemble([1, 2, 3], [4]);
    e.start(1, 2, 3);
    e.deliverAll(10_000, (m) => m.to !== 4);
    expect(electionOnly([...e.start(4), ...e.deliverAll(10_000, (m) => m.message.type === 'notification')])).toMatchInlineSnapshot(`
      [
        "4 is looking epoch 0",
        "4 → 1: NOTIFICATION(vote 4 0x0 e0, round 1, looking)",
        "4 → 2: NOTIFICATION(vote 4 0x0 e0, round 1, looking)",
        "4 → 3: NOTIFICATION(vote 4 0x0 e0, round 1, looking)",
        "1 → 4: NOTIFICATION(vote 3 0x0 e0, round 1, following)",
        "2 → 4: NOTIFICATION(vote 3 0x0 e0, round 1, following)",
        "3 → 4: NOTIFICATION(vote 3 0x0 e0, round 1, leading)",
        "4 is observing leader 3 epoch 0",
      ]
    `);
    expect(e.peer(4).status().role).toBe('observing');
  });

  it('a server behind by a round is answered with the current round and catches up', () => {
    const e = new Ensemble([1, 2, 3]);
    e.start(1, 2, 3);
    // Round 1 fails: every notification is lost; 3 restarts its election (round 2) after a timeout.
    e.drop(() => true);
    e.peer(3).step({ kind: 'message', from: 1, message: { type: 'notification', vote: { leader: 1, zxid: 0n, epoch: 0 }, round: 2, state: 'looking' } });
    e.drop(() => true);
    expect(electionOnly(e.step(2, { kind: 'message', from: 3, message: { type: 'notification', vote: { leader: 3, zxid: 0n, epoch: 0 }, round: 2, state: 'looking' } }))).toMatchInlineSnapshot(`
      [
        "2 → 1: NOTIFICATION(vote 3 0x0 e0, round 2, looking)",
        "2 → 3: NOTIFICATION(vote 3 0x0 e0, round 2, looking)",
      ]
    `);
    expect(electionOnly(e.step(3, { kind: 'message', from: 1, message: { type: 'notification', vote: { leader: 1, zxid: 0n, epoch: 0 }, round: 1, state: 'looking' } }))).toMatchInlineSnapshot(`
      [
        "3 → 1: NOTIFICATION(vote 3 0x0 e0, round 2, looking)",
      ]
    `);
  });
});
