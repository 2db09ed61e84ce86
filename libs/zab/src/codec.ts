// Byte encoding of peer messages (the body of one frame; framing is the quorum module's job).
// Big-endian: a one-byte type tag, then fixed fields; zxids as signed int64, epochs and ids as
// uint32, byte strings as uint32 length + bytes. Decoding rejects anything malformed or trailing.

import type { Message, PeerState } from './messages';

export class CodecError extends Error {
  override readonly name = 'CodecError';
}

const TAGS = {
  notification: 1,
  followerInfo: 2,
  newEpoch: 3,
  ackEpoch: 4,
  diff: 5,
  trunc: 6,
  snap: 7,
  newLeader: 8,
  upToDate: 9,
  proposal: 10,
  ack: 11,
  commit: 12,
  inform: 13,
  ping: 14,
} as const satisfies Record<Message['type'], number>;

const STATES: readonly PeerState[] = ['looking', 'following', 'leading', 'observing'];

class Writer {
  private buf: Uint8Array;
  private view: DataView;
  private pos: number;

  /** `front` bytes are left free at the start, for the caller's framing; `capacity` avoids regrowing. */
  constructor(front: number, capacity: number) {
    this.buf = new Uint8Array(Math.max(capacity, front + 16));
    this.view = new DataView(this.buf.buffer);
    this.pos = front;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf);
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): void {
    this.ensure(1);
    this.view.setUint8(this.pos, v);
    this.pos += 1;
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v);
    this.pos += 4;
  }
  i64(v: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.pos, v);
    this.pos += 8;
  }
  bool(v: boolean): void {
    this.u8(v ? 1 : 0);
  }
  bytes(v: Uint8Array): void {
    this.u32(v.length);
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }
  done(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

class Reader {
  private readonly view: DataView;
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new CodecError(`message truncated at byte ${this.pos}`);
  }
  u8(): number {
    this.need(1);
    return this.view.getUint8(this.pos++);
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }
  i64(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.pos);
    this.pos += 8;
    return v;
  }
  bool(): boolean {
    const v = this.u8();
    if (v > 1) throw new CodecError(`bad boolean ${v}`);
    return v === 1;
  }
  bytes(): Uint8Array {
    const n = this.u32();
    this.need(n);
    const v = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  end(): void {
    if (this.pos !== this.buf.length) throw new CodecError(`${this.buf.length - this.pos} trailing bytes`);
  }
}

/** Bytes a message's fixed fields take at most; payloads and snapshots come on top. */
const FIXED_FIELDS_MAX = 40;

/**
 * The message's bytes, after `reserveFront` free bytes (a transport writes its own header there, so a
 * 512 KiB proposal is copied once, not once per layer).
 */
export function encodeMessage(m: Message, reserveFront = 0): Uint8Array {
  const bulk = m.type === 'proposal' || m.type === 'inform' ? m.entry.payload.length : m.type === 'snap' ? m.snapshot.length : 0;
  const w = new Writer(reserveFront, reserveFront + FIXED_FIELDS_MAX + bulk);
  w.u8(TAGS[m.type]);
  switch (m.type) {
    case 'notification':
      w.u8(STATES.indexOf(m.state));
      w.u32(m.vote.leader);
      w.i64(m.vote.zxid);
      w.u32(m.vote.epoch);
      w.u32(m.round);
      break;
    case 'followerInfo':
      w.u32(m.acceptedEpoch);
      w.bool(m.observer);
      break;
    case 'newEpoch':
      w.u32(m.epoch);
      break;
    case 'ackEpoch':
      w.u32(m.epoch);
      w.u32(m.currentEpoch);
      w.i64(m.lastZxid);
      w.bool(m.fresh);
      break;
    case 'diff':
      w.u32(m.epoch);
      w.i64(m.fromZxid);
      break;
    case 'trunc':
      w.u32(m.epoch);
      w.i64(m.truncZxid);
      break;
    case 'snap':
      w.u32(m.epoch);
      w.i64(m.snapshotZxid);
      w.bytes(m.snapshot);
      break;
    case 'newLeader':
    case 'upToDate':
      w.u32(m.epoch);
      w.i64(m.type === 'newLeader' ? m.zxid : m.commitZxid);
      break;
    case 'proposal':
    case 'inform':
      w.i64(m.prevZxid);
      w.i64(m.entry.zxid);
      w.bytes(m.entry.payload);
      break;
    case 'ack':
    case 'commit':
    case 'ping':
      w.i64(m.zxid);
      break;
  }
  return w.done();
}

export function decodeMessage(bytes: Uint8Array): Message {
  const r = new Reader(bytes);
  const tag = r.u8();
  let m: Message;
  switch (tag) {
    case TAGS.notification: {
      const state = STATES[r.u8()];
      if (state === undefined) throw new CodecError('bad peer state');
      const leader = r.u32();
      const zxid = r.i64();
      const epoch = r.u32();
      m = { type: 'notification', state, vote: { leader, zxid, epoch }, round: r.u32() };
      break;
    }
    case TAGS.followerInfo:
      m = { type: 'followerInfo', acceptedEpoch: r.u32(), observer: r.bool() };
      break;
    case TAGS.newEpoch:
      m = { type: 'newEpoch', epoch: r.u32() };
      break;
    case TAGS.ackEpoch:
      m = { type: 'ackEpoch', epoch: r.u32(), currentEpoch: r.u32(), lastZxid: r.i64(), fresh: r.bool() };
      break;
    case TAGS.diff:
      m = { type: 'diff', epoch: r.u32(), fromZxid: r.i64() };
      break;
    case TAGS.trunc:
      m = { type: 'trunc', epoch: r.u32(), truncZxid: r.i64() };
      break;
    case TAGS.snap:
      m = { type: 'snap', epoch: r.u32(), snapshotZxid: r.i64(), snapshot: r.bytes() };
      break;
    case TAGS.newLeader:
      m = { type: 'newLeader', epoch: r.u32(), zxid: r.i64() };
      break;
    case TAGS.upToDate:
      m = { type: 'upToDate', epoch: r.u32(), commitZxid: r.i64() };
      break;
    case TAGS.proposal:
    case TAGS.inform: {
      const prevZxid = r.i64();
      const zxid = r.i64();
      const entry = { zxid, payload: r.bytes() };
      m = tag === TAGS.proposal ? { type: 'proposal', prevZxid, entry } : { type: 'inform', prevZxid, entry };
      break;
    }
    case TAGS.ack:
      m = { type: 'ack', zxid: r.i64() };
      break;
    case TAGS.commit:
      m = { type: 'commit', zxid: r.i64() };
      break;
    case TAGS.ping:
      m = { type: 'ping', zxid: r.i64() };
      break;
    default:
      throw new CodecError(`unknown message tag ${tag}`);
  }
  r.end();
  return m;
}
