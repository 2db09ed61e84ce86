// The peer message codec: one of every message round-trips, the byte layout is pinned by golden
// hex, random messages round-trip (fast-check), and malformed bytes are refused, never guessed.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CodecError, decodeMessage, encodeMessage } from './codec';
import type { Message } from './messages';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const Z = 0x1_0000_0002n;

const ONE_OF_EACH: Message[] = [
  { type: 'notification', vote: { leader: 3, zxid: Z, epoch: 1 }, round: 7, state: 'leading' },
  { type: 'followerInfo', acceptedEpoch: 4, observer: true },
  { type: 'newEpoch', epoch: 5 },
  { type: 'ackEpoch', epoch: 5, currentEpoch: 4, lastZxid: Z, fresh: false },
  { type: 'diff', epoch: 5, fromZxid: Z },
  { type: 'trunc', epoch: 5, truncZxid: Z },
  { type: 'snap', epoch: 5, snapshotZxid: Z, snapshot: bytes('tree') },
  { type: 'newLeader', epoch: 5, zxid: Z },
  { type: 'upToDate', epoch: 5, commitZxid: Z },
  { type: 'proposal', prevZxid: 0n, entry: { zxid: Z, payload: bytes('txn') } },
  { type: 'ack', zxid: Z },
  { type: 'commit', zxid: Z },
  { type: 'inform', prevZxid: Z - 1n, entry: { zxid: Z, payload: new Uint8Array() } },
  { type: 'ping', zxid: -1n },
];

describe('message codec', () => {
  it.each(ONE_OF_EACH.map((m) => [m.type, m] as const))('%s round-trips', (_type, m) => {
    expect(decodeMessage(encodeMessage(m))).toEqual(m);
  });

  it('pins the byte layout (golden)', () => {
    expect(hex(encodeMessage(ONE_OF_EACH[0]))).toBe('01' + '02' + '00000003' + '0000000100000002' + '00000001' + '00000007');
    expect(hex(encodeMessage(ONE_OF_EACH[9]))).toBe('0a' + '0000000000000000' + '0000000100000002' + '00000003' + '74786e');
    expect(hex(encodeMessage(ONE_OF_EACH[13]))).toBe('0e' + 'ffffffffffffffff');
  });

  it('round-trips random proposals and notifications', () => {
    const zxid = fc.bigInt({ min: -1n, max: (1n << 63n) - 1n });
    const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
    const message: fc.Arbitrary<Message> = fc.oneof(
      fc.record({ type: fc.constant('proposal' as const), prevZxid: zxid, entry: fc.record({ zxid, payload: fc.uint8Array({ maxLength: 64 }) }) }),
      fc.record({
        type: fc.constant('notification' as const),
        vote: fc.record({ leader: u32, zxid, epoch: u32 }),
        round: u32,
        state: fc.constantFrom('looking' as const, 'following' as const, 'leading' as const, 'observing' as const),
      }),
      fc.record({ type: fc.constant('ackEpoch' as const), epoch: u32, currentEpoch: u32, lastZxid: zxid, fresh: fc.boolean() }),
    );
    fc.assert(
      fc.property(message, (m) => {
        expect(decodeMessage(encodeMessage(m))).toEqual(m);
      }),
    );
  });

  it.each([
    ['empty input', new Uint8Array()],
    ['an unknown tag', Uint8Array.of(99)],
    ['a truncated zxid', Uint8Array.of(11, 0, 0, 0)],
    ['trailing bytes', Uint8Array.of(14, 0, 0, 0, 0, 0, 0, 0, 1, 9)],
    ['a bad boolean', Uint8Array.of(2, 0, 0, 0, 1, 7)],
    ['a payload longer than the frame', Uint8Array.of(10, ...new Array(16).fill(0), 0, 0, 0, 9, 1)],
  ])('refuses %s', (_what, input) => {
    expect(() => decodeMessage(input)).toThrow(CodecError);
  });
});
