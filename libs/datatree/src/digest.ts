// ZooKeeper's tree digest (DigestCalculator v2 + AdHash): CRC32 over path, data and the persisted
// stat of every node outside /zookeeper/, summed mod 2^64, so it is independent of history order.
import type { PersistedStat } from './stat';
import { isInZookeeperSubtree } from './path';

export const DIGEST_VERSION = 2;
const STAT_BYTES = 60;
const utf8 = new TextEncoder();

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32Update(crc: number, bytes: Uint8Array): number {
  let c = crc;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return c;
}

/**
 * CRC-32 (IEEE) of the chunks one after another: this table-driven one, or a faster one a host provides.
 * Synchronous, and it must not keep the chunks: nodeDigest reuses its buffers.
 */
export type Crc32OfChunks = (chunks: readonly Uint8Array[]) => number;

const crc32InJavaScript: Crc32OfChunks = (chunks) => {
  let c = 0xffffffff;
  for (const chunk of chunks) c = crc32Update(c, chunk);
  return (c ^ 0xffffffff) >>> 0;
};

let crc32OfChunks: Crc32OfChunks = crc32InJavaScript;

/**
 * Lets the host plug in a native CRC-32 (Node's zlib.crc32 is ~13× faster on large values). It must compute
 * the same function: digests are compared across servers and stored with snapshots.
 */
export function useCrc32(implementation: Crc32OfChunks): void {
  crc32OfChunks = implementation;
}

export function crc32(...chunks: Uint8Array[]): number {
  return crc32OfChunks(chunks);
}

export { crc32InJavaScript };

/**
 * A node's digest: its CRC-32 held as a signed 32-bit integer, which V8 keeps inline in the node (a small
 * integer) where a bigint would be a 24-byte heap object per node. Only addDigest/removeDigest read it.
 */
export type NodeDigest = number;

/**
 * The stat's bytes, written anew for each node: one buffer rather than a fresh ArrayBuffer (and its malloc'd
 * backing store) per change. Safe because a Crc32OfChunks is synchronous and keeps nothing.
 */
const statBytes = new Uint8Array(STAT_BYTES);
const statView = new DataView(statBytes.buffer);

/** DigestCalculator.calculateDigest: 0 for nodes under /zookeeper/; "/" hashed as "". */
export function nodeDigest(path: string, data: Uint8Array, stat: PersistedStat): NodeDigest {
  if (isInZookeeperSubtree(path)) return 0;
  const view = statView;
  view.setBigInt64(0, stat.czxid);
  view.setBigInt64(8, stat.mzxid);
  view.setBigInt64(16, stat.pzxid);
  view.setBigInt64(24, stat.ctime);
  view.setBigInt64(32, stat.mtime);
  view.setInt32(40, stat.version);
  view.setInt32(44, stat.cversion);
  view.setInt32(48, stat.aversion);
  view.setBigInt64(52, stat.ephemeralOwner);
  return crc32(utf8.encode(path === '/' ? '' : path), data, statBytes) | 0;
}

/** AdHash: a Java long sum of the (unsigned) CRCs. */
export function addDigest(sum: bigint, digest: NodeDigest): bigint {
  return BigInt.asIntN(64, sum + BigInt(digest >>> 0));
}

export function removeDigest(sum: bigint, digest: NodeDigest): bigint {
  return BigInt.asIntN(64, sum - BigInt(digest >>> 0));
}
