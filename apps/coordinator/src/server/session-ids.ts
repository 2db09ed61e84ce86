// Session ids and passwords. Ids embed the server id in the top byte and a clock-derived base below,
// as ZooKeeper's do, so ids stay unique across restarts; passwords are derived from the id so that any
// server can check a password when the client moves to it.
import { createHash } from 'node:crypto';

const PASSWORD_SECRET = 'zk-coordinator/session-password/v1';

export class SessionIdGenerator {
  private next: bigint;

  constructor(serverId: number, nowMs: number) {
    const base = BigInt.asUintN(56, (BigInt(nowMs) << 24n) >> 8n);
    this.next = (BigInt(serverId & 0xff) << 56n) | base;
  }

  nextId(): bigint {
    const id = BigInt.asIntN(64, this.next);
    this.next += 1n;
    return id;
  }
}

export function sessionPassword(sessionId: bigint): Uint8Array {
  return createHash('sha256').update(`${PASSWORD_SECRET}:${sessionId}`).digest().subarray(0, 16);
}

export function passwordMatches(sessionId: bigint, password: Uint8Array): boolean {
  const expected = sessionPassword(sessionId);
  if (password.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected[i] ^ password[i];
  return diff === 0;
}

/** The timeout a client gets: what it asked for, within the server's bounds. */
export function negotiateTimeoutMs(requestedMs: number, minMs: number, maxMs: number): number {
  return Math.min(maxMs, Math.max(minMs, requestedMs));
}
