// Password hashing and token signing: round trips, and every way a token can be wrong.
import { describe, expect, it } from 'vitest';
import { generateSecret, hashPassword, issueToken, passwordMatches, roleAtLeast, verifyToken } from './credentials';

describe('credentials', () => {
  it('accepts the right password and refuses a wrong one', () => {
    const stored = hashPassword('s3cret');
    expect(passwordMatches('s3cret', stored)).toBe(true);
    expect(passwordMatches('s3cret!', stored)).toBe(false);
  });

  it('verifies a token signed with the same secret until it expires', () => {
    const secret = generateSecret();
    const { token, expiresAt } = issueToken('alice', 'editor', secret, 1_000, 60_000);
    expect(expiresAt).toBe(61_000);
    expect(verifyToken(token, secret, 2_000)?.sub).toBe('alice');
    expect(verifyToken(token, secret, 61_000)).toBeUndefined();
    expect(verifyToken(token, generateSecret(), 2_000)).toBeUndefined();
    expect(verifyToken(`${token}x`, secret, 2_000)).toBeUndefined();
    expect(verifyToken('garbage', secret, 2_000)).toBeUndefined();
  });

  it('orders roles viewer < editor < admin', () => {
    expect(roleAtLeast('admin', 'editor')).toBe(true);
    expect(roleAtLeast('viewer', 'editor')).toBe(false);
  });
});
