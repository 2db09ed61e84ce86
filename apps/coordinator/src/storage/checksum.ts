// Record and snapshot checksums: CRC32 (zlib's, native) over the zxid and the bytes, so a record moved
// to another zxid fails its check as surely as a flipped bit in its payload.
import { crc32 } from 'node:zlib';

export function recordChecksum(zxid: bigint, payload: Uint8Array): number {
  const zxidBytes = new Uint8Array(8);
  new DataView(zxidBytes.buffer).setBigUint64(0, zxid);
  return crc32(payload, crc32(zxidBytes)) >>> 0;
}

/** A snapshot's checksum covers what it claims to be (last zxid, digest) as well as its bytes. */
export function snapshotChecksum(lastZxid: bigint, digest: bigint, chunks: readonly Uint8Array[]): number {
  const header = new Uint8Array(16);
  const view = new DataView(header.buffer);
  view.setBigUint64(0, lastZxid);
  view.setBigInt64(8, digest);
  let crc = crc32(header);
  for (const chunk of chunks) crc = crc32(chunk, crc);
  return crc >>> 0;
}
