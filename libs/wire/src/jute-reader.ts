// JuteReader: reads jute primitives and the shared data records (Stat, Id, ACL) from a byte array.
// Every length is checked against what remains, so hostile input fails with WireError, never with a huge allocation.
import type { Acl, Id, Stat } from './records';
import { marshallingError } from './wire-error';

/** Below this many bytes a plain loop beats TextDecoder for the (usual) all-ASCII string. */
const ASCII_FAST_PATH_MAX_BYTES = 32;
/** The smallest encodings of vector elements, used to reject absurd counts before allocating. */
const STRING_MIN_BYTES = 4;
const ACL_MIN_BYTES = 4 + STRING_MIN_BYTES * 2;

// Java's `new String(bytes, UTF_8)` keeps a leading U+FEFF and replaces malformed input; so do we.
const utf8Decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

export class JuteReader {
  private readonly view: DataView;
  private offset: number;

  constructor(
    private readonly bytes: Uint8Array,
    offset = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
  }

  /** Bytes not yet read. */
  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  get atEnd(): boolean {
    return this.offset >= this.bytes.length;
  }

  /** Offset of the next byte to read. */
  get position(): number {
    return this.offset;
  }

  int(): number {
    this.need(4, 'int');
    const n = this.view.getInt32(this.offset);
    this.offset += 4;
    return n;
  }

  long(): bigint {
    this.need(8, 'long');
    const v = this.view.getBigInt64(this.offset);
    this.offset += 8;
    return v;
  }

  /** Like Java's DataInput.readBoolean: any non-zero byte is true. */
  bool(): boolean {
    this.need(1, 'boolean');
    return this.bytes[this.offset++] !== 0;
  }

  /** jute `buffer`; null for length -1. The result is a copy, so it does not pin the (larger) frame in memory. */
  buffer(): Uint8Array | null {
    const view = this.bufferView();
    // Uint8Array's slice, which copies: on a Node Buffer (a socket chunk) Buffer's own slice() is a view.
    return view === null ? null : Uint8Array.prototype.slice.call(view);
  }

  /**
   * As buffer(), but a view into the bytes being read, not a copy: for a caller that copies whatever it keeps
   * (loading a snapshot, the tree copies each value into its own store; a copy here was a second one).
   */
  bufferView(): Uint8Array | null {
    const length = this.length('buffer', 1);
    if (length < 0) return null;
    const start = this.offset;
    this.offset += length;
    return this.bytes.subarray(start, this.offset);
  }

  /** jute `ustring` (UTF-8); null for length -1. */
  string(): string | null {
    const length = this.length('string', 1);
    if (length < 0) return null;
    const start = this.offset;
    this.offset += length;
    return readAscii(this.bytes, start, length) ?? utf8Decoder.decode(this.bytes.subarray(start, this.offset));
  }

  /** A `ustring` that the record's type does not allow to be null. */
  requiredString(field: string): string {
    const s = this.string();
    if (s === null) throw marshallingError(`${field} is null`);
    return s;
  }

  stat(): Stat {
    return {
      czxid: this.long(),
      mzxid: this.long(),
      ctime: this.long(),
      mtime: this.long(),
      version: this.int(),
      cversion: this.int(),
      aversion: this.int(),
      ephemeralOwner: this.long(),
      dataLength: this.int(),
      numChildren: this.int(),
      pzxid: this.long(),
    };
  }

  id(): Id {
    return { scheme: this.requiredString('id.scheme'), id: this.requiredString('id.id') };
  }

  acl(): Acl {
    return { perms: this.int(), id: this.id() };
  }

  /** jute `vector<ACL>`; null for count -1. */
  aclList(): Acl[] | null {
    const count = this.length('vector<ACL>', ACL_MIN_BYTES);
    if (count < 0) return null;
    const list: Acl[] = new Array(count);
    for (let i = 0; i < count; i++) list[i] = this.acl();
    return list;
  }

  /** jute `vector<ustring>`; null for count -1. Null elements are rejected: no record of ours allows them. */
  stringList(): string[] | null {
    const count = this.length('vector<ustring>', STRING_MIN_BYTES);
    if (count < 0) return null;
    const list: string[] = new Array(count);
    for (let i = 0; i < count; i++) list[i] = this.requiredString('vector<ustring> element');
    return list;
  }

  /**
   * Reads a length or element count: -1 (null) is returned as is, any other negative value is an error,
   * and so is a count whose elements (each at least `elementMinBytes`) cannot fit in what remains.
   */
  private length(what: string, elementMinBytes: number): number {
    const n = this.int();
    if (n === -1) return -1;
    if (n < 0) throw marshallingError(`${what} has negative length ${n} at offset ${this.offset - 4}`);
    if (n * elementMinBytes > this.remaining) {
      throw marshallingError(`${what} of length ${n} at offset ${this.offset - 4} exceeds the ${this.remaining} bytes remaining`);
    }
    return n;
  }

  private need(byteCount: number, what: string): void {
    if (this.offset + byteCount > this.bytes.length) {
      throw marshallingError(`${what} at offset ${this.offset} needs ${byteCount} bytes, ${this.remaining} remain`);
    }
  }
}

/** Decodes a short all-ASCII run directly; returns undefined when the run is long or not ASCII. */
function readAscii(bytes: Uint8Array, start: number, length: number): string | undefined {
  if (length > ASCII_FAST_PATH_MAX_BYTES) return undefined;
  let s = '';
  for (let i = start; i < start + length; i++) {
    const b = bytes[i];
    if (b >= 0x80) return undefined;
    s += String.fromCharCode(b);
  }
  return s;
}
