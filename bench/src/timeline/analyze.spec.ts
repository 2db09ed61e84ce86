import { describe, expect, it } from 'vitest';
import { formatProfile, parseTimeline, profileWritePath } from './analyze';

/** One write through follower 1 to leader 3 (follower 2 beside), times in µs; `shift` moves the whole write. */
function oneWrite(cxid: number, zxid: number, shift: number): { leader: string; client: string; other: string } {
  const at = (us: number): string => String((shift + us) * 1000);
  return {
    client: [
      `${at(0)} client-data 142`,
      `${at(10)} submit 77 ${cxid}`,
      `${at(200)} recv-proposal 3 ${zxid}`,
      `${at(220)} flush-start ${zxid} 1`,
      `${at(520)} flush-end ${zxid}`,
      `${at(525)} persisted ${zxid}`,
      `${at(530)} send-ack 3 ${zxid}`,
      `${at(700)} recv-commit 3 ${zxid}`,
      `${at(710)} deliver ${zxid}`,
      `${at(730)} reply ${zxid}`,
    ].join('\n'),
    leader: [
      `${at(70)} recv-forward 77 ${cxid} 1`,
      `${at(80)} propose 77 ${cxid} ${zxid}`,
      `${at(90)} send-proposal 2 ${zxid}`,
      `${at(95)} send-proposal 1 ${zxid}`,
      `${at(150)} flush-start ${zxid} 1`,
      `${at(500)} flush-end ${zxid}`,
      `${at(560)} recv-ack 1 ${zxid}`,
      `${at(570)} send-commit 1 ${zxid}`,
      `${at(575)} send-commit 2 ${zxid}`,
      `${at(580)} deliver ${zxid}`,
      `${at(600)} recv-ack 2 ${zxid}`,
    ].join('\n'),
    other: [`${at(250)} recv-proposal 3 ${zxid}`, `${at(600)} send-ack 3 ${zxid}`].join('\n'),
  };
}

describe('profileWritePath', () => {
  it('follows each write from the bytes read to the reply, across the three servers', () => {
    const writes = [oneWrite(1, 4294967297, 0), oneWrite(2, 4294967298, 1_000), oneWrite(3, 4294967299, 2_000)];
    const join = (part: 'leader' | 'client' | 'other'): string => writes.map((w) => w[part]).join('\n');
    const servers = new Map([
      ['timeline-30.log', parseTimeline(join('leader'))],
      ['timeline-10.log', parseTimeline(join('client'))],
      ['timeline-20.log', parseTimeline(join('other'))],
    ]);
    const profile = profileWritePath(servers);
    expect(profile.writes).toBe(3);
    const p50 = Object.fromEntries(profile.steps.map((s) => [`${s.server}: ${s.event}`, s.p50Us]));
    expect(p50).toMatchObject({
      "client's follower: client bytes read": 0,
      "client's follower: forwarded to the leader": 10,
      'leader: forward received': 70,
      'leader: proposed': 80,
      // To the client's follower (peer 1), not the first PROPOSAL the leader wrote.
      "leader: PROPOSAL sent to the client's follower": 95,
      'leader: log flush done': 500,
      "client's follower: log flush done": 520,
      'other follower: ACK sent': 600,
      'leader: first ACK received': 560,
      "leader: COMMIT sent to the client's follower": 570,
      "client's follower: COMMIT received": 700,
      "client's follower: reply written": 730,
    });
    expect(profile.steps.map((s) => s.p50Us)).toEqual([...profile.steps.map((s) => s.p50Us)].sort((a, b) => a - b));
    const table = formatProfile('setData', profile);
    expect(table).toContain("| client's follower | reply written | 730 | 730 | 730 | 20 |");
  });

  it('says so when no write went through a follower', () => {
    expect(() => profileWritePath(new Map([['timeline-1.log', parseTimeline('1000 client-data 10\n2000 deliver 5')]]))).toThrow(/no write went through a follower/);
  });
});
