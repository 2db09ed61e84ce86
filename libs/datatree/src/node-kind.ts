// Node kinds and how ZooKeeper's EphemeralType packs them into the stored ephemeralOwner:
// a session id for ephemerals, Long.MIN_VALUE for containers, 0xff.. | ttl for TTL nodes.
import { assert } from './assert';

export type NodeKind = 'persistent' | 'ephemeral' | 'container' | 'ttl';

/** EphemeralType.CONTAINER_EPHEMERAL_OWNER (Long.MIN_VALUE). */
export const CONTAINER_EPHEMERAL_OWNER = -(2n ** 63n);
/** EphemeralType.TTL.maxValue(): the 40 low bits (about 34 years). */
export const TTL_MAX_MS = 2 ** 40 - 1;
const EXTENDED_MASK = 0xff00000000000000n;
const EXTENDED_FEATURE_VALUE_MASK = 0x000000ffffffffffn;

/** EphemeralType.TTL.toEphemeralOwner's range check: 0 < ttl <= TTL_MAX_MS. */
export function isValidTtl(ttlMs: bigint | number): boolean {
  const ttl = BigInt(ttlMs);
  return ttl > 0n && ttl <= BigInt(TTL_MAX_MS);
}

export function ttlEphemeralOwner(ttlMs: number): bigint {
  assert(Number.isSafeInteger(ttlMs) && isValidTtl(ttlMs), `ttl ${ttlMs} out of range`);
  return BigInt.asIntN(64, EXTENDED_MASK | BigInt(ttlMs));
}

export function ttlFromEphemeralOwner(ephemeralOwner: bigint): number {
  return Number(BigInt.asUintN(64, ephemeralOwner) & EXTENDED_FEATURE_VALUE_MASK);
}

/** The stored ephemeralOwner of a node of this kind (what ZooKeeper keeps in StatPersisted). */
export function storedEphemeralOwner(kind: NodeKind, sessionId: bigint, ttlMs: number | undefined): bigint {
  switch (kind) {
    case 'persistent':
      return 0n;
    case 'ephemeral':
      return sessionId;
    case 'container':
      return CONTAINER_EPHEMERAL_OWNER;
    case 'ttl':
      assert(ttlMs !== undefined, 'a ttl node needs ttlMs');
      return ttlEphemeralOwner(ttlMs);
  }
}

/** DataNode.getClientEphemeralOwner: clients see 0 for containers and TTL nodes. */
export function clientEphemeralOwner(kind: NodeKind, storedOwner: bigint): bigint {
  return kind === 'ephemeral' ? storedOwner : 0n;
}
