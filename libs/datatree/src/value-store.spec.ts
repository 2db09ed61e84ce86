// The value store: values read back byte for byte whatever happens to the caller's buffer or to other
// values, small ones share slabs, null stays null, and compaction keeps the slabs' dead space bounded.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NULL_DATA } from '@zk/wire';
import { SLAB_BYTES, SLAB_VALUE_MAX_BYTES, ValueStore, valueLength, valueBytes, type ValueHolder } from './value-store';

const holder = (): ValueHolder => ({ value: NULL_DATA, valueAt: 0 });

function kept(store: ValueStore, bytes: Uint8Array): ValueHolder {
  const h = holder();
  store.keep(h, bytes);
  return h;
}

/** Replaces a holder's value the way the node store does: keep the new one, then release the old. */
function replace(store: ValueStore, h: ValueHolder, bytes: Uint8Array): void {
  const { value, valueAt } = h;
  store.keep(h, bytes);
  store.release(value, valueAt);
}

/** Hex, for comparing bytes: fast, and a failure shows where they differ. */
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function filled(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (seed * 31 + i * 7) & 0xff;
  return bytes;
}

describe('ValueStore.keep', () => {
  it('copies small values into one shared slab', () => {
    const store = new ValueStore();
    const a = kept(store, filled(100, 1));
    const b = kept(store, filled(SLAB_VALUE_MAX_BYTES, 2));
    expect(valueBytes(a)).toEqual(filled(100, 1));
    expect(valueBytes(b)).toEqual(filled(SLAB_VALUE_MAX_BYTES, 2));
    expect(valueBytes(a).buffer).toBe(valueBytes(b).buffer);
    expect(valueBytes(a).buffer.byteLength).toBe(SLAB_BYTES);
    expect([valueLength(a), valueLength(b)]).toEqual([100, SLAB_VALUE_MAX_BYTES]);
    expect(store.stats).toEqual({ slabs: 1, liveBytes: 100 + SLAB_VALUE_MAX_BYTES, wasteBytes: 0 });
  });

  it('is not affected when the caller changes its buffer afterwards', () => {
    const store = new ValueStore();
    for (const length of [5, SLAB_VALUE_MAX_BYTES + 1, 20_000]) {
      const input = new Uint8Array(length + 8).subarray(4, 4 + length).fill(7);
      const h = kept(store, input);
      input.fill(0);
      expect(valueBytes(h)).toEqual(new Uint8Array(length).fill(7));
    }
  });

  it('keeps null as NULL_DATA and empty as empty: ZooKeeper tells them apart', () => {
    const store = new ValueStore();
    expect(valueBytes(kept(store, NULL_DATA))).toBe(NULL_DATA);
    const empty = valueBytes(kept(store, new Uint8Array(0)));
    expect(empty).not.toBe(NULL_DATA);
    expect(empty.length).toBe(0);
    expect(store.stats.slabs).toBe(0);
  });

  it('gives a value above the slab size a buffer of its own, exactly sized', () => {
    const store = new ValueStore();
    const input = new Uint8Array(4096).subarray(0, SLAB_VALUE_MAX_BYTES + 1).fill(9);
    const bytes = valueBytes(kept(store, input));
    expect(bytes).not.toBe(input);
    expect(bytes.buffer.byteLength).toBe(SLAB_VALUE_MAX_BYTES + 1);
    expect(store.stats.slabs).toBe(0);
  });

  it('adopts a large value that owns its buffer', () => {
    const store = new ValueStore();
    const large = new Uint8Array(64 * 1024).fill(3);
    expect(valueBytes(kept(store, large))).toBe(large);
  });
});

describe('ValueStore.release and compaction', () => {
  it('counts freed slab space as waste until the slab holds nothing', () => {
    const store = new ValueStore();
    const perSlab = SLAB_BYTES / SLAB_VALUE_MAX_BYTES;
    const holders = Array.from({ length: perSlab + 1 }, (_, i) => kept(store, filled(SLAB_VALUE_MAX_BYTES, i)));
    expect(store.stats).toEqual({ slabs: 2, liveBytes: (perSlab + 1) * SLAB_VALUE_MAX_BYTES, wasteBytes: 0 });
    for (const h of holders.slice(1, perSlab)) store.release(h.value, h.valueAt);
    expect(store.stats).toEqual({ slabs: 2, liveBytes: 2 * SLAB_VALUE_MAX_BYTES, wasteBytes: (perSlab - 1) * SLAB_VALUE_MAX_BYTES });
    store.release(holders[0].value, holders[0].valueAt);
    expect(store.stats).toEqual({ slabs: 1, liveBytes: SLAB_VALUE_MAX_BYTES, wasteBytes: 0 });
    expect(valueBytes(holders[perSlab])).toEqual(filled(SLAB_VALUE_MAX_BYTES, perSlab));
  });

  it('moves the values of sparse slabs, bounding dead space by the live bytes; views read before stay intact', () => {
    const store = new ValueStore();
    // One long-lived value among every 64 short-lived ones pins a slab each: 10 MiB of slabs for 160 KiB.
    const live: { h: ValueHolder; expected: Uint8Array }[] = [];
    for (let i = 0; i < 10 * 1024; i++) {
      const h = kept(store, filled(SLAB_VALUE_MAX_BYTES, i));
      if (i % 64 === 0) live.push({ h, expected: filled(SLAB_VALUE_MAX_BYTES, i) });
      else store.release(h.value, h.valueAt);
    }
    expect(store.needsCompaction).toBe(true);
    const readBefore = live.map(({ h }) => valueBytes(h));
    store.compact((relocate) => live.forEach(({ h }) => relocate(h)));
    const { slabs, liveBytes, wasteBytes } = store.stats;
    expect(liveBytes).toBe(live.length * SLAB_VALUE_MAX_BYTES);
    expect(wasteBytes).toBeLessThanOrEqual(liveBytes);
    expect(slabs).toBe(Math.ceil(liveBytes / SLAB_BYTES));
    expect(store.needsCompaction).toBe(false);
    for (const { h, expected } of live) expect(hex(valueBytes(h))).toBe(hex(expected));
    readBefore.forEach((bytes, i) => expect(hex(bytes)).toBe(hex(live[i].expected)));
  });

  it('reads every value back byte for byte through random keeps, replacements and releases', () => {
    const op = fc.record({ slot: fc.integer({ min: 0, max: 63 }), length: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 2 * SLAB_VALUE_MAX_BYTES })), release: fc.boolean() });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const store = new ValueStore();
        const slots = new Map<number, { h: ValueHolder; expected: Uint8Array }>();
        ops.forEach(({ slot, length, release }, seed) => {
          const current = slots.get(slot);
          if (release && current !== undefined) {
            store.release(current.h.value, current.h.valueAt);
            slots.delete(slot);
            return;
          }
          const input = filled(length, seed);
          if (current === undefined) slots.set(slot, { h: kept(store, input), expected: input.slice() });
          else {
            replace(store, current.h, input);
            current.expected = input.slice();
          }
          input.fill(0xee);
          if (seed % 97 === 96) store.compact((relocate) => slots.forEach(({ h }) => relocate(h)));
        });
        for (const { h, expected } of slots.values()) expect(hex(valueBytes(h))).toBe(hex(expected));
        const inSlabs = [...slots.values()].filter(({ expected }) => expected.length > 0 && expected.length <= SLAB_VALUE_MAX_BYTES);
        expect(store.stats.liveBytes).toBe(inSlabs.reduce((sum, { expected }) => sum + expected.length, 0));
      }),
      { numRuns: 200 },
    );
  });
});
