// The bytes the tree keeps for node values. Small values are copied into shared slabs: in V8 an
// ArrayBuffer of its own costs ~300 B of bookkeeping (backing store, extension, malloc), 3× a 100 B value.
import { NULL_DATA } from '@zk/wire';
import { assert } from './assert';

/** Values up to this size go into slabs; above it a buffer's own overhead is a small part of the value. */
export const SLAB_VALUE_MAX_BYTES = 1024;
/** Small enough that the slabs a few long-lived values pin are little; large enough that a slab's own cost is nothing. */
export const SLAB_BYTES = 64 * 1024;
/** Values this large are adopted, not copied, when they own their whole buffer. */
const ADOPTED_VALUE_MIN_BYTES = 16 * 1024;
/** Below this much dead slab space compaction is not worth a walk over the nodes, whatever the ratio. */
export const SLAB_WASTE_TOLERATED_BYTES = 4 * 1024 * 1024;

/** A slab value's place is packed in one small integer (so no heap object): offset above, length below. */
const LENGTH_BITS = 11;
const LENGTH_MASK = (1 << LENGTH_BITS) - 1;
assert(SLAB_VALUE_MAX_BYTES <= LENGTH_MASK && SLAB_BYTES * (LENGTH_MASK + 1) <= 2 ** 30, 'slab places must fit a small integer');

const EMPTY_VALUE: Uint8Array = Object.freeze(new Uint8Array(0)) as Uint8Array;

export class Slab {
  /** Bytes handed out so far (the next value goes here); final once the slab is closed. */
  usedBytes = 0;
  /** Bytes of values still kept. Freed space is never reused: a value's bytes never change while anyone holds it. */
  liveBytes = 0;

  constructor(readonly buffer: ArrayBuffer) {}
}

/**
 * Where a node's value is: its own bytes, or a place in a slab. A slab value gets a view only when read:
 * a Uint8Array per node would cost 96 B of heap, as much as the value; making one takes ~15 ns.
 */
export interface ValueHolder {
  value: Uint8Array | Slab;
  /** For a slab value: offset << LENGTH_BITS | length. Else 0. */
  valueAt: number;
}

/** The value's bytes: the tree's own (a view, for a slab value), never to be mutated. */
export function valueBytes(holder: ValueHolder): Uint8Array {
  const { value, valueAt } = holder;
  return value instanceof Slab ? new Uint8Array(value.buffer, valueAt >>> LENGTH_BITS, valueAt & LENGTH_MASK) : value;
}

export function valueLength(holder: ValueHolder): number {
  return holder.value instanceof Slab ? holder.valueAt & LENGTH_MASK : holder.value.length;
}

export class ValueStore {
  /** Slabs holding at least one kept value, and the open one. The others are the garbage collector's. */
  private readonly slabs = new Set<Slab>();
  private open: Slab | undefined;
  private liveBytes = 0;
  /** Space in slabs that holds no kept value: freed values, closed slabs' tails, the open slab's freed values. */
  private wasteBytes = 0;

  /** For tests and measurements. */
  get stats(): { slabs: number; liveBytes: number; wasteBytes: number } {
    return { slabs: this.slabs.size, liveBytes: this.liveBytes, wasteBytes: this.wasteBytes };
  }

  /**
   * Makes `holder` keep `bytes`, which the caller may reuse afterwards: a small value is copied into a
   * slab; a large one that owns its whole buffer is adopted (the decoders hand over fresh buffers, and
   * copying 512 KiB on every apply fed the garbage collector); any other is copied to a buffer of its own
   * (a view into a larger buffer, such as a socket chunk, would keep all of it alive). Null data stays the
   * shared NULL_DATA marker so it reads back as null. Whatever `holder` kept before is not released.
   */
  keep(holder: ValueHolder, bytes: Uint8Array): void {
    if (bytes.length > 0 && bytes.length <= SLAB_VALUE_MAX_BYTES) {
      this.copyIntoSlab(holder, bytes);
      return;
    }
    holder.valueAt = 0;
    if (bytes === NULL_DATA) holder.value = NULL_DATA;
    else if (bytes.length === 0) holder.value = EMPTY_VALUE;
    else if (bytes.length >= ADOPTED_VALUE_MIN_BYTES && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) holder.value = bytes;
    else holder.value = new Uint8Array(bytes); // a copy even of a Node Buffer, whose slice() is a view
  }

  /** A holder no longer keeps this value (its node is deleted, or its data replaced). */
  release(value: Uint8Array | Slab, valueAt: number): void {
    if (!(value instanceof Slab)) return;
    const length = valueAt & LENGTH_MASK;
    value.liveBytes -= length;
    this.liveBytes -= length;
    this.wasteBytes += length;
    assert(value.liveBytes >= 0, 'slab released more than it kept');
    if (value.liveBytes === 0 && value !== this.open) this.forget(value);
  }

  /** Whether the dead space in slabs exceeds the live values (and is worth a walk over the nodes). */
  get needsCompaction(): boolean {
    return this.wasteBytes > Math.max(this.liveBytes, SLAB_WASTE_TOLERATED_BYTES);
  }

  /**
   * Moves the values of slabs less than half full into new ones, so that the dead space stays below the
   * live bytes. `forEachHolder` must call its argument with every holder of a kept value. Views handed
   * out earlier stay valid: the old slab is left as it is, for the garbage collector.
   */
  compact(forEachHolder: (relocate: (holder: ValueHolder) => void) => void): void {
    this.closeOpen();
    const sparse = new Set<Slab>();
    for (const slab of this.slabs) if (slab.liveBytes * 2 < slab.buffer.byteLength) sparse.add(slab);
    forEachHolder((holder) => {
      const { value, valueAt } = holder;
      if (!(value instanceof Slab) || !sparse.has(value)) return;
      this.copyIntoSlab(holder, valueBytes(holder));
      this.release(value, valueAt);
    });
    for (const slab of sparse) assert(!this.slabs.has(slab), 'compaction left a value behind in a sparse slab');
  }

  private copyIntoSlab(holder: ValueHolder, bytes: Uint8Array): void {
    let slab = this.open;
    if (slab === undefined || slab.usedBytes + bytes.length > slab.buffer.byteLength) {
      this.closeOpen();
      slab = new Slab(new ArrayBuffer(SLAB_BYTES));
      this.slabs.add(slab);
      this.open = slab;
    }
    new Uint8Array(slab.buffer, slab.usedBytes, bytes.length).set(bytes);
    holder.value = slab;
    holder.valueAt = (slab.usedBytes << LENGTH_BITS) | bytes.length;
    slab.usedBytes += bytes.length;
    slab.liveBytes += bytes.length;
    this.liveBytes += bytes.length;
  }

  /** No more values go into the open slab: its unused tail is waste from now on. */
  private closeOpen(): void {
    const slab = this.open;
    if (slab === undefined) return;
    this.open = undefined;
    this.wasteBytes += slab.buffer.byteLength - slab.usedBytes;
    if (slab.liveBytes === 0) this.forget(slab);
  }

  /** A closed slab with no kept value: all of it was waste, and now none of it is ours. */
  private forget(slab: Slab): void {
    this.slabs.delete(slab);
    this.wasteBytes -= slab.buffer.byteLength;
  }
}
