import { describe, expect, it } from 'vitest';
import { pushSample, sparklinePoints, splitZxid, writesPerSecond } from './rates';

describe('cluster rates', () => {
  it('splits a zxid into epoch and counter', () => {
    expect(splitZxid('0x300000012')).toEqual({ epoch: 3, counter: 0x12 });
    expect(splitZxid('nope')).toBeNull();
  });

  it('computes writes per second within an epoch and across a new one', () => {
    expect(writesPerSecond({ at: 0, zxid: '0x100000000' }, { at: 2000, zxid: '0x10000000a' })).toBe(5);
    expect(writesPerSecond({ at: 0, zxid: '0x1000000ff' }, { at: 1000, zxid: '0x200000003' })).toBe(3);
    expect(writesPerSecond(undefined, { at: 1, zxid: '0x1' })).toBeNull();
  });

  it('keeps the newest samples and draws them in the box', () => {
    let series = [{ at: 0, value: 0 }];
    for (let i = 1; i <= 5; i++) series = pushSample(series, { at: i, value: i }, 3);
    expect(series.map((sample) => sample.value)).toEqual([3, 4, 5]);
    expect(sparklinePoints([{ at: 0, value: 0 }, { at: 1, value: 10 }], 100, 50)).toBe('0.0,50.0 100.0,0.0');
  });
});
