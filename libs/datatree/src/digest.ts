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

/** CRC-32 (IEEE) of the chunks one after another: this table-driven one, or a faster one a host provides. */
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

/** DigestCalculator.calculateDigest: 0 for nodes under /zookeeper/; "/" hashed as "". */
export function nodeDigest(path: string, data: Uint8Array, stat: PersistedStat): bigint {
  if (isInZookeeperSubtree(path)) return 0n;
  const statBytes = new Uint8Array(STAT_BYTES);
  const view = new DataView(statBytes.buffer);
  view.setBigInt64(0, stat.czxid);
  view.setBigInt64(8, stat.mzxid);
  view.setBigInt64(16, stat.pzxid);
  view.setBigInt64(24, stat.ctime);
  view.setBigInt64(32, stat.mtime);
  view.setInt32(40, stat.version);
  view.setInt32(44, stat.cversion);
  view.setInt32(48, stat.aversion);
  view.setBigInt64(52, stat.ephemeralOwner);
  return BigInt(crc32(utf8.encode(path === '/' ? '' : path), data, statBytes));
}

/** AdHash: a Java long sum. */
export function addDigest(sum: bigint, digest: bigint): bigint {
  return BigInt.asIntN(64, sum + digest);
}

export function removeDigest(sum: bigint, digest: bigint): bigint {
  return BigInt.asIntN(64, sum - digest);
}
