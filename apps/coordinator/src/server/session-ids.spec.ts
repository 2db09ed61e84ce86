import { describe, expect, it } from 'vitest';
import { negotiateTimeoutMs, passwordMatches, sessionPassword, SessionIdGenerator } from './session-ids';

describe('session ids', () => {
  it('are unique, carry the server id in the top byte and grow', () => {
    const ids = new SessionIdGenerator(3, 1_700_000_000_000);
    const a = ids.nextId();
    const b = ids.nextId();
    expect(b).toBe(a + 1n);
    expect(BigInt.asUintN(64, a) >> 56n).toBe(3n);
  });

  it('differ between restarts a millisecond apart', () => {
    expect(new SessionIdGenerator(1, 1000).nextId()).not.toBe(new SessionIdGenerator(1, 1001).nextId());
  });

  it('have a 16-byte password that only matches its own id', () => {
    const password = sessionPassword(42n);
    expect(password.length).toBe(16);
    expect(passwordMatches(42n, password)).toBe(true);
    expect(passwordMatches(43n, password)).toBe(false);
    expect(passwordMatches(42n, new Uint8Array(16))).toBe(false);
    expect(passwordMatches(42n, new Uint8Array(3))).toBe(false);
  });

  it.each([
    [1000, 4000, 40000, 4000],
    [10000, 4000, 40000, 10000],
    [90000, 4000, 40000, 40000],
  ])('negotiates %i within [%i, %i] to %i', (asked, min, max, expected) => {
    expect(negotiateTimeoutMs(asked, min, max)).toBe(expected);
  });
});
