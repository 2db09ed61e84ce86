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
 * Where a node's digest input is laid out: path bytes, then (when small) the value, then the stat, so that
 * one CRC call covers the node (on loading a snapshot of 1,000,000 nodes, three native calls and a new
 * encoded path per node were 12 % of the load). One buffer, reused: safe because a Crc32OfChunks is
 * synchronous and keeps nothing.
 */
let scratch = new Uint8Array(4096);
let scratchView = new DataView(scratch.buffer);
/** Values up to this size are copied into the scratch buffer; larger ones are passed as their own chunk. */
const VALUE_INLINE_MAX_BYTES = 1024;

/** DigestCalculator.calculateDigest: 0 for nodes under /zookeeper/; "/" hashed as "". */
export function nodeDigest(path: string, data: Uint8Array, stat: PersistedStat): NodeDigest {
  if (isInZookeeperSubtree(path)) return 0;
  const hashedPath = path === '/' ? '' : path;
  const inline = data.length <= VALUE_INLINE_MAX_BYTES;
  const needed = hashedPath.length * 3 + (inline ? data.length : 0) + STAT_BYTES;
  if (scratch.length < needed) {
    scratch = new Uint8Array(Math.max(needed, scratch.length * 2));
    scratchView = new DataView(scratch.buffer);
  }
  const pathEnd = utf8.encodeInto(hashedPath, scratch).written;
  let statAt = pathEnd;
  if (inline) {
    scratch.set(data, pathEnd);
    statAt += data.length;
  }
  const view = scratchView;
  view.setBigInt64(statAt, stat.czxid);
  view.setBigInt64(statAt + 8, stat.mzxid);
  view.setBigInt64(statAt + 16, stat.pzxid);
  view.setBigInt64(statAt + 24, stat.ctime);
  view.setBigInt64(statAt + 32, stat.mtime);
  view.setInt32(statAt + 40, stat.version);
  view.setInt32(statAt + 44, stat.cversion);
  view.setInt32(statAt + 48, stat.aversion);
  view.setBigInt64(statAt + 52, stat.ephemeralOwner);
  const end = statAt + STAT_BYTES;
  if (inline) return crc32(scratch.subarray(0, end)) | 0;
  return crc32(scratch.subarray(0, pathEnd), data, scratch.subarray(statAt, end)) | 0;
}

/** AdHash: a Java long sum of the (unsigned) CRCs. */
export function addDigest(sum: bigint, digest: NodeDigest): bigint {
  return BigInt.asIntN(64, sum + BigInt(digest >>> 0));
}

export function removeDigest(sum: bigint, digest: NodeDigest): bigint {
  return BigInt.asIntN(64, sum - BigInt(digest >>> 0));
}
