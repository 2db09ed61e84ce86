// The in-memory log view and zxid arithmetic.
import { describe, expect, it } from 'vitest';
import { ZabLog } from './log';
import { entry } from './test-harness';
import { counterOf, epochOf, formatZxid, makeZxid } from './zxid';

describe('zxid', () => {
  it('is the epoch in the high 32 bits and the counter in the low 32', () => {
    const z = makeZxid(3, 5);
    expect(z).toBe(0x3_0000_0005n);
    expect(epochOf(z)).toBe(3);
    expect(counterOf(z)).toBe(5n);
    expect(formatZxid(z)).toBe('0x300000005');
  });

  it('refuses a counter past 32 bits', () => {
    expect(() => makeZxid(1, 0x1_0000_0000n)).toThrow(/counter out of range/);
  });
});

describe('ZabLog', () => {
  const log = () => new ZabLog(entry(1, 1).zxid, [entry(1, 2), entry(1, 3), entry(2, 1)]);

  it('finds entries, floors, and slices by zxid', () => {
    const l = log();
    expect(l.contains(entry(1, 1).zxid)).toBe(true);
    expect(l.contains(entry(1, 4).zxid)).toBe(false);
    expect(l.floor(entry(1, 7).zxid)).toBe(entry(1, 3).zxid);
    expect(l.floor(0n)).toBeUndefined();
    expect(l.slice(entry(1, 2).zxid).map((e) => e.zxid)).toEqual([entry(1, 3).zxid, entry(2, 1).zxid]);
    expect(l.prevOf(entry(1, 2).zxid)).toBe(entry(1, 1).zxid);
  });

  it('counts the entries above a zxid, as slice would', () => {
    const l = log();
    for (const z of [0n, entry(1, 1).zxid, entry(1, 2).zxid, entry(1, 5).zxid, entry(2, 1).zxid, entry(3, 1).zxid]) {
      expect(l.countAfter(z), String(z)).toBe(z < l.base ? 3 : l.slice(z).length);
    }
  });

  it('truncates, compacts and resets', () => {
    const l = log();
    l.truncateAfter(entry(1, 2).zxid);
    expect(l.lastZxid).toBe(entry(1, 2).zxid);
    l.append(entry(3, 1));
    l.compact(entry(1, 2).zxid);
    expect(l.base).toBe(entry(1, 2).zxid);
    expect(l.size).toBe(1);
    l.reset(entry(4, 4).zxid);
    expect(l.lastZxid).toBe(entry(4, 4).zxid);
  });

  it('counts the payload bytes it holds through append, truncate, compact and reset', () => {
    const sized = (epoch: number, counter: number, bytes: number) => entry(epoch, counter, 'x'.repeat(bytes));
    const l = new ZabLog(0n, [sized(1, 1, 10), sized(1, 2, 20)]);
    expect(l.bytes).toBe(30);
    l.append(sized(1, 3, 300));
    l.append(sized(1, 4, 4000));
    expect(l.bytes).toBe(4330);
    l.truncateAfter(entry(1, 3).zxid);
    expect(l.bytes).toBe(330);
    l.compact(entry(1, 2).zxid);
    expect(l.bytes).toBe(300);
    l.compact(entry(1, 3).zxid);
    expect(l.bytes).toBe(0);
    l.append(sized(2, 1, 7));
    l.reset(entry(3, 1).zxid);
    expect(l.bytes).toBe(0);
  });

  it('refuses entries out of zxid order', () => {
    expect(() => log().append(entry(1, 9))).toThrow(/not above last/);
    expect(() => new ZabLog(0n, [entry(1, 2), entry(1, 1)])).toThrow(/zxid order/);
  });
});
