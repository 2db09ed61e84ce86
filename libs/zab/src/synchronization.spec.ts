// Discovery and synchronization as conversations: FOLLOWERINFO → NEWEPOCH → ACKEPOCH, then DIFF,
// TRUNC or SNAP chosen per learner from its last zxid, NEWLEADER, ACK and UPTODATE.
import { describe, expect, it } from 'vitest';
import { Ensemble, durable, entry } from './test-harness';
import type { ServerId } from './types';

const between = (a: ServerId, b: ServerId) => (lines: string[]): string[] =>
  lines.filter((l) => !l.includes('NOTIFICATION') && !l.includes('PING') && (l.startsWith(`${a} `) || l.startsWith(`${b} `)));

function elect(e: Ensemble, ...ids: ServerId[]): string[] {
  return [...e.start(...ids), ...e.deliverAll(10_000, (m) => m.message.type === 'notification')];
}

describe('discovery and synchronization', () => {
  it('a follower one entry behind gets a DIFF, acks NEWLEADER, and serves from UPTODATE', () => {
    const e = new Ensemble([1, 2, 3], [], {
      1: durable(1, 1, [entry(1, 1)]),
      2: durable(1, 1, [entry(1, 1), entry(1, 2)]),
      3: durable(1, 1, [entry(1, 1)]),
    });
    elect(e, 1, 2, 3);
    expect(between(2, 1)(e.deliverAll())).toMatchInlineSnapshot(`
      [
        "2 persists acceptedEpoch 2 currentEpoch 1",
        "2 → 3: NEWEPOCH(2)",
        "2 → 1: NEWEPOCH(2)",
        "1 persists acceptedEpoch 2 currentEpoch 1",
        "1 → 2: ACKEPOCH(epoch 2, currentEpoch 1, lastZxid 0x100000001)",
        "2 → 3: DIFF(from 0x100000001)",
        "2 → 3: PROPOSAL(0x100000002 "e1c2")",
        "2 → 3: NEWLEADER(epoch 2, 0x100000002)",
        "2 → 1: DIFF(from 0x100000001)",
        "2 → 1: PROPOSAL(0x100000002 "e1c2")",
        "2 → 1: NEWLEADER(epoch 2, 0x100000002)",
        "1 persists 0x100000002",
        "1 persists acceptedEpoch 2 currentEpoch 2",
        "1 → 2: ACK(0x100000002)",
        "2 persists acceptedEpoch 2 currentEpoch 2",
        "2 is leading (serving) leader 2 epoch 2",
        "2 → 3: COMMIT(0x100000002)",
        "2 → 1: COMMIT(0x100000002)",
        "2 delivers 0x100000001 "e1c1"",
        "2 delivers 0x100000002 "e1c2"",
        "2 → 3: UPTODATE(commit 0x100000002)",
        "2 → 1: UPTODATE(commit 0x100000002)",
        "1 is following (serving) leader 2 epoch 2",
        "1 delivers 0x100000001 "e1c1"",
        "1 delivers 0x100000002 "e1c2"",
      ]
    `);
  });

  it('a FOLLOWERINFO that reached the leader while it was still looking counts once it leads (no tick needed)', () => {
    const e = new Ensemble([1, 2, 3]);
    e.start(1, 2, 3);
    // 1 and 2 settle on 3 and say FOLLOWERINFO before 3 has heard their votes.
    e.deliverAll(10_000, (m) => m.message.type === 'notification' && m.to !== 3);
    expect(e.peer(1).status().role).toBe('following');
    expect(e.deliverAll(10_000, (m) => m.message.type === 'followerInfo' && m.to === 3)).toEqual([]);
    expect(e.peer(3).status().role).toBe('looking');
    // 3 decides on the votes: discovery goes on at once with the two FOLLOWERINFOs it already had.
    const deciding = e.deliverAll(10_000, (m) => m.message.type === 'notification' && m.to === 3);
    expect(deciding.filter((line) => line.includes('NEWEPOCH')).sort()).toEqual(['3 → 1: NEWEPOCH(1)', '3 → 2: NEWEPOCH(1)']);
    e.deliverAll();
    for (const id of [1, 2, 3]) expect(e.peer(id).status().serving).toBe(true);
  });

  it('TRUNC for a learner with entries the leader lacks, SNAP for one behind the leader\'s snapshot', () => {
    const e = new Ensemble([1, 2, 3], [], {
      // 1 leads: its epoch 2 beats 3's longer epoch-1 log. Its log starts after a snapshot at e1c2.
      1: durable(2, 2, [entry(2, 1)], entry(1, 2).zxid),
      2: durable(0, 0, []),
      3: durable(1, 1, [entry(1, 1), entry(1, 2), entry(1, 3)]),
    });
    e.snapshotOf = () => ({ zxid: entry(1, 2).zxid, bytes: new TextEncoder().encode('state@e1c2') });
    elect(e, 1, 2, 3);
    const lines = e.deliverAll();
    expect(between(1, 3)(lines).filter((l) => l.includes('→ 3') || l.startsWith('3 '))).toMatchInlineSnapshot(`
      [
        "1 → 3: NEWEPOCH(3)",
        "3 persists acceptedEpoch 3 currentEpoch 1",
        "3 → 1: ACKEPOCH(epoch 3, currentEpoch 1, lastZxid 0x100000003)",
        "1 → 3: TRUNC(to 0x100000002)",
        "1 → 3: PROPOSAL(0x200000001 "e2c1")",
        "1 → 3: NEWLEADER(epoch 3, 0x200000001)",
        "3 truncates after 0x100000002",
        "3 persists 0x200000001",
        "3 persists acceptedEpoch 3 currentEpoch 3",
        "3 → 1: ACK(0x200000001)",
        "1 → 3: COMMIT(0x200000001)",
        "1 → 3: UPTODATE(commit 0x200000001)",
        "3 is following (serving) leader 1 epoch 3",
        "3 delivers 0x100000001 "e1c1"",
        "3 delivers 0x100000002 "e1c2"",
        "3 delivers 0x200000001 "e2c1"",
      ]
    `);
    expect(between(1, 2)(lines).filter((l) => l.includes('→ 2') || l.startsWith('2 ') || l.includes('snapshot'))).toMatchInlineSnapshot(`
      [
        "1 → 2: NEWEPOCH(3)",
        "2 persists acceptedEpoch 3 currentEpoch 0",
        "2 → 1: ACKEPOCH(epoch 3, currentEpoch 0, lastZxid 0x0)",
        "1 asks for a snapshot",
        "1 → 2: SNAP(at 0x100000002, "state@e1c2")",
        "1 → 2: PROPOSAL(0x200000001 "e2c1")",
        "1 → 2: NEWLEADER(epoch 3, 0x200000001)",
        "2 installs snapshot at 0x100000002 "state@e1c2"",
        "2 persists 0x200000001",
        "2 persists acceptedEpoch 3 currentEpoch 3",
        "2 → 1: ACK(0x200000001)",
        "1 → 2: COMMIT(0x200000001)",
        "1 → 2: UPTODATE(commit 0x200000001)",
        "2 is following (serving) leader 1 epoch 3",
        "2 delivers 0x200000001 "e2c1"",
      ]
    `);
    expect(e.delivered.get(3)).toEqual(['e1c1', 'e1c2', 'e2c1']);
    expect(e.delivered.get(2)).toEqual(['e2c1']);
  });

  it('NEWLEADER is acked only once the synced history is durable, and the epoch adopted after it', () => {
    const e = new Ensemble([1, 2, 3], [], { 3: durable(1, 1, [entry(1, 1), entry(1, 2)]) });
    e.manualPersist = true;
    elect(e, 1, 2, 3);
    const lines = e.deliverAll();
    expect(lines.filter((l) => l.startsWith('2 '))).toMatchInlineSnapshot(`
      [
        "2 persists acceptedEpoch 2 currentEpoch 0",
        "2 → 3: ACKEPOCH(epoch 2, currentEpoch 0, lastZxid 0x0)",
        "2 persists 0x100000001",
        "2 persists 0x100000002",
      ]
    `);
    expect(e.persist(2)).toEqual([]);
    expect(e.persist(2)).toMatchInlineSnapshot(`
      [
        "2 persists acceptedEpoch 2 currentEpoch 2",
        "2 → 3: ACK(0x100000002)",
      ]
    `);
  });

  it('a learner applies nothing before UPTODATE, even what COMMIT already covers', () => {
    const e = new Ensemble([1, 2, 3], [], { 3: durable(1, 1, [entry(1, 1)]) });
    elect(e, 1, 2, 3);
    // 2 syncs, but UPTODATE to 2 is held back while a COMMIT reaches it.
    e.deliverAll(10_000, (m) => !(m.to === 2 && m.message.type === 'upToDate'));
    e.propose(3, 'x');
    e.deliverAll(10_000, (m) => !(m.to === 2 && m.message.type === 'upToDate'));
    expect(e.delivered.get(2)).toEqual([]);
    expect(e.peer(2).status().commitZxid).toBe(entry(2, 1).zxid);
    expect(e.deliverAll()).toMatchInlineSnapshot(`
      [
        "2 is following (serving) leader 3 epoch 2",
        "2 delivers 0x100000001 "e1c1"",
        "2 delivers 0x200000001 "x"",
      ]
    `);
  });

  it('a leader whose learner has a more recent history gives up its leadership', () => {
    const e = new Ensemble([1, 2, 3]);
    e.start(1);
    e.drop(() => true);
    // 2 and 3 vote for 1; 2 then reports a history 1 does not have.
    e.step(1, { kind: 'message', from: 2, message: { type: 'notification', vote: { leader: 1, zxid: 0n, epoch: 0 }, round: 1, state: 'looking' } });
    e.step(1, { kind: 'message', from: 3, message: { type: 'notification', vote: { leader: 1, zxid: 0n, epoch: 0 }, round: 1, state: 'looking' } });
    e.drop(() => true);
    expect(e.step(1, { kind: 'message', from: 2, message: { type: 'followerInfo', acceptedEpoch: 3, observer: false } })).toMatchInlineSnapshot(`
      [
        "1 persists acceptedEpoch 4 currentEpoch 0",
        "1 → 2: NEWEPOCH(4)",
      ]
    `);
    expect(e.step(1, { kind: 'message', from: 2, message: { type: 'ackEpoch', epoch: 4, currentEpoch: 3, lastZxid: entry(3, 7).zxid, fresh: true } })).toMatchInlineSnapshot(`
      [
        "1 is looking epoch 0",
        "1 → 2: NOTIFICATION(vote 1 0x0 e0, round 2, looking)",
        "1 → 3: NOTIFICATION(vote 1 0x0 e0, round 2, looking)",
      ]
    `);
  });

  it('an ACKEPOCH for an epoch the learner had already accepted does not count toward discovery', () => {
    const e = new Ensemble([1, 2, 3]);
    e.start(1);
    e.drop(() => true);
    e.step(1, { kind: 'message', from: 2, message: { type: 'notification', vote: { leader: 1, zxid: 0n, epoch: 0 }, round: 1, state: 'looking' } });
    e.step(1, { kind: 'message', from: 3, message: { type: 'notification', vote: { leader: 1, zxid: 0n, epoch: 0 }, round: 1, state: 'looking' } });
    e.drop(() => true);
    e.step(1, { kind: 'message', from: 2, message: { type: 'followerInfo', acceptedEpoch: 0, observer: false } });
    expect(e.step(1, { kind: 'message', from: 2, message: { type: 'ackEpoch', epoch: 1, currentEpoch: 0, lastZxid: 0n, fresh: false } })).toEqual([]);
    expect(e.peer(1).status().leader?.phase).toBe('discovery');
    e.step(1, { kind: 'message', from: 3, message: { type: 'followerInfo', acceptedEpoch: 0, observer: false } });
    expect(e.step(1, { kind: 'message', from: 3, message: { type: 'ackEpoch', epoch: 1, currentEpoch: 0, lastZxid: 0n, fresh: true } })).toMatchInlineSnapshot(`
      [
        "1 → 2: DIFF(from 0x0)",
        "1 → 2: NEWLEADER(epoch 1, 0x0)",
        "1 → 3: DIFF(from 0x0)",
        "1 → 3: NEWLEADER(epoch 1, 0x0)",
      ]
    `);
  });
});

describe('a FOLLOWERINFO that reaches a leader still looking', () => {
  // Found by the three-process e2e test: a follower decided a moment before its leader did, so its one
  // FOLLOWERINFO arrived while the leader was still looking and was dropped; both then waited out initLimit,
  // round after round. The learner now repeats FOLLOWERINFO every tick until NEWEPOCH comes.
  it('is said again on the next tick, and the epoch is established', () => {
    const e = new Ensemble([1, 2, 3], [], { 1: durable(1, 1), 2: durable(1, 1), 3: durable(1, 1) });
    elect(e, 1, 2, 3);
    // Lose every FOLLOWERINFO sent so far, as the looking leader would have.
    e.drop((m) => m.message.type === 'followerInfo');
    e.deliverAll();
    expect(e.peer(3).status().serving).toBe(false);
    const afterTick = [...e.tick(1, 2, 3), ...e.deliverAll()];
    expect(afterTick.some((line) => line.includes('FOLLOWERINFO'))).toBe(true);
    for (let i = 0; i < 3; i++) {
      e.tick(1, 2, 3);
      e.deliverAll();
    }
    expect([1, 2, 3].map((id) => e.peer(id).status().serving)).toEqual([true, true, true]);
  });
});
