import { describe, expect, it } from 'vitest';
import { parseConnectString, shuffled } from './connect-string';

describe('parseConnectString', () => {
  it.each([
    ['127.0.0.1:2181', [{ host: '127.0.0.1', port: 2181 }], ''],
    ['a:1,b:2,c', [{ host: 'a', port: 1 }, { host: 'b', port: 2 }, { host: 'c', port: 2181 }], ''],
    ['a:1,b:2/app/x', [{ host: 'a', port: 1 }, { host: 'b', port: 2 }], '/app/x'],
    ['[::1]:2181/app', [{ host: '::1', port: 2181 }], '/app'],
    ['a:1/', [{ host: 'a', port: 1 }], ''],
  ])('reads %s', (text, hosts, chroot) => {
    expect(parseConnectString(text)).toEqual({ hosts, chroot });
  });

  it.each(['', '/app', 'a:0', 'a:x', 'a:1/app/'])('refuses %j', (text) => {
    expect(() => parseConnectString(text)).toThrow();
  });
});

describe('shuffled', () => {
  it('keeps every item and leaves the input alone', () => {
    const input = [1, 2, 3, 4, 5];
    const output = shuffled(input, () => 0.3);
    expect([...output].sort()).toEqual(input);
    expect(input).toEqual([1, 2, 3, 4, 5]);
  });
});
