// JuteWriter: serializes jute primitives and the shared data records (Stat, Id, ACL) big-endian
// into a growable buffer that keeps 4 bytes in front, so framing needs no copy.
import { NULL_DATA } from './null-data';
import type { Acl, Id, Stat } from './records';
import { marshallingError } from './wire-error';

const FRAME_PREFIX_BYTES = 4;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** Below this many UTF-16 units a plain loop beats TextEncoder for the (usual) all-ASCII string. */
const ASCII_FAST_PATH_MAX_CHARS = 64;

const utf8Encoder = new TextEncoder();

/**
 * A writer's first buffer, when small, is a piece of a shared slab, as Node's Buffer pool does: a typed array
 * of its own costs an off-heap allocation and a GC-tracked backing store each (4.4 % of a server's CPU at
 * 8 × 64 setData in flight, one writer per txn and per reply). A piece keeps its slab alive while it is
 * referenced; nothing here transfers or detaches an ArrayBuffer, which would take the whole slab with it.
 */
const SLAB_BYTES = 64 * 1024;
const SLAB_PIECE_MAX_BYTES = 4 * 1024;
let slab = new Uint8Array(SLAB_BYTES);
let slabUsed = 0;

function newBuffer(bytes: number): Uint8Array {
  if (bytes > SLAB_PIECE_MAX_BYTES) return new Uint8Array(bytes);
  if (slabUsed + bytes > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    slabUsed = 0;
  }
  const piece = slab.subarray(slabUsed, slabUsed + bytes);
  slabUsed += (bytes + 7) & ~7; // pieces start 8-byte aligned
  return piece;
}

export class JuteWriter {
  private bytes: Uint8Array;
  private view: DataView;
  /** Next byte to write; bytes [0, FRAME_PREFIX_BYTES) are reserved for the frame length. */
  private offset = FRAME_PREFIX_BYTES;

  constructor(initialCapacityBytes = 256) {
    this.bytes = newBuffer(Math.max(initialCapacityBytes, 16) + FRAME_PREFIX_BYTES);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  /** Bytes written so far, without the frame prefix. */
  get length(): number {
    return this.offset - FRAME_PREFIX_BYTES;
  }

  int(n: number): this {
    if ((n | 0) !== n) throw marshallingError(`int ${n} is not a 32-bit integer`);
    this.reserve(4);
    this.view.setInt32(this.offset, n);
    this.offset += 4;
    return this;
  }

  long(v: bigint): this {
    if (v < INT64_MIN || v > INT64_MAX) throw marshallingError(`long ${v} is outside the 64-bit range`);
    this.reserve(8);
    this.view.setBigInt64(this.offset, v);
    this.offset += 8;
    return this;
  }

  bool(b: boolean): this {
    this.reserve(1);
    this.bytes[this.offset++] = b ? 1 : 0;
    return this;
  }

  /** jute `buffer`: int length then the bytes; null is written as length -1. */
  buffer(b: Uint8Array | null): this {
    if (b === null || b === NULL_DATA) return this.int(-1);
    this.int(b.length);
    this.reserve(b.length);
    this.bytes.set(b, this.offset);
    this.offset += b.length;
    return this;
  }

  /** Bytes another writer produced (a record written earlier), as they are: no length in front. */
  raw(b: Uint8Array): this {
    this.reserve(b.length);
    this.bytes.set(b, this.offset);
    this.offset += b.length;
    return this;
  }

  /** jute `ustring`: int length then UTF-8; null is written as length -1. */
  string(s: string | null): this {
    if (s === null) return this.int(-1);
    // Worst case 3 bytes per UTF-16 unit; the length is patched in once the bytes are known.
    this.reserve(4 + s.length * 3);
    const start = this.offset + 4;
    const written = writeAscii(s, this.bytes, start) ?? utf8Encoder.encodeInto(s, this.bytes.subarray(start)).written;
    this.view.setInt32(this.offset, written);
    this.offset = start + written;
    return this;
  }

  stat(s: Stat): this {
    return this.long(s.czxid)
      .long(s.mzxid)
      .long(s.ctime)
      .long(s.mtime)
      .int(s.version)
      .int(s.cversion)
      .int(s.aversion)
      .long(s.ephemeralOwner)
      .int(s.dataLength)
      .int(s.numChildren)
      .long(s.pzxid);
  }

  id(i: Id): this {
    return this.string(i.scheme).string(i.id);
  }

  acl(a: Acl): this {
    return this.int(a.perms).id(a.id);
  }

  /** jute `vector<ACL>`: int count then the elements; null is written as count -1. */
  aclList(list: readonly Acl[] | null): this {
    if (list === null) return this.int(-1);
    this.int(list.length);
    for (const a of list) this.acl(a);
    return this;
  }

  /** jute `vector<ustring>`: int count then the strings; null is written as count -1. */
  stringList(list: readonly string[] | null): this {
    if (list === null) return this.int(-1);
    this.int(list.length);
    for (const s of list) this.string(s);
    return this;
  }

  /** The record bytes written so far (a view, not a copy). */
  toBytes(): Uint8Array {
    return this.bytes.subarray(FRAME_PREFIX_BYTES, this.offset);
  }

  /** The record bytes preceded by their 4-byte big-endian length, ready for the socket (a view, not a copy). */
  framed(): Uint8Array {
    this.view.setInt32(0, this.length);
    return this.bytes.subarray(0, this.offset);
  }

  private reserve(additionalBytes: number): void {
    const needed = this.offset + additionalBytes;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.offset));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }
}

/** Writes a short all-ASCII string byte by byte; returns undefined (having written garbage) otherwise. */
function writeAscii(s: string, target: Uint8Array, start: number): number | undefined {
  if (s.length > ASCII_FAST_PATH_MAX_CHARS) return undefined;
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i);
    if (unit >= 0x80) return undefined;
    target[start + i] = unit;
  }
  return s.length;
}
