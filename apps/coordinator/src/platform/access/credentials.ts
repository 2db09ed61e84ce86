// Password hashes (scrypt, node:crypto) and signed API tokens (HMAC-SHA256 with the secret kept in the tree,
// so a token from one member is valid on every member). Pure functions: no tree, no clock of their own.
import { createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

export type Role = 'viewer' | 'editor' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'editor', 'admin'];

export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 } as const;

export interface PasswordHash {
  algorithm: 'scrypt';
  salt: string;
  hash: string;
  N: number;
  r: number;
  p: number;
}

export function hashPassword(password: string): PasswordHash {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return { algorithm: 'scrypt', salt: salt.toString('base64'), hash: hash.toString('base64'), N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p };
}

export function passwordMatches(password: string, stored: PasswordHash): boolean {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = scryptSync(password, Buffer.from(stored.salt, 'base64'), expected.length, { N: stored.N, r: stored.r, p: stored.p });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

export function generateSecret(): string {
  return randomBytes(32).toString('base64');
}

export interface TokenClaims {
  /** username */
  sub: string;
  /** The role when issued: used only while the member cannot read the tree (no quorum). */
  role: Role;
  /** Expiry, epoch ms. */
  exp: number;
  /** Issued at, epoch ms. */
  iat: number;
}

export const TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;

function sign(payload: string, secret: string): string {
  return createHmac('sha256', Buffer.from(secret, 'base64')).update(payload).digest('base64url');
}

export function issueToken(username: string, role: Role, secret: string, nowMs: number, lifetimeMs = TOKEN_LIFETIME_MS): { token: string; expiresAt: number } {
  const claims: TokenClaims = { sub: username, role, iat: nowMs, exp: nowMs + lifetimeMs };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return { token: `${payload}.${sign(payload, secret)}`, expiresAt: claims.exp };
}

/** The claims of a well-signed, unexpired token; undefined otherwise (the caller says 401). */
export function verifyToken(token: string, secret: string, nowMs: number): TokenClaims | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 4096) return undefined;
  const payload = token.slice(0, dot);
  const expected = Buffer.from(sign(payload, secret));
  const actual = Buffer.from(token.slice(dot + 1));
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
    if (typeof claims.sub !== 'string' || !ROLES.includes(claims.role) || typeof claims.exp !== 'number' || claims.exp <= nowMs) return undefined;
    return claims;
  } catch {
    return undefined;
  }
}
