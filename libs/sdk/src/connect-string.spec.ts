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

describe('parseConnectString with WebSocket URLs', () => {
  it.each([
    ['ws://127.0.0.1:8080/zk', [{ host: '127.0.0.1', port: 8080, url: 'ws://127.0.0.1:8080/zk' }], ''],
    ['ws://a:1/zk, wss://b/zk', [{ host: 'a', port: 1, url: 'ws://a:1/zk' }, { host: 'b', port: 443, url: 'wss://b/zk' }], ''],
    ['ws://a:1', [{ host: 'a', port: 1, url: 'ws://a:1/zk' }], ''],
    ['ws://a/zk,ws://b:2/zk#/app/x', [{ host: 'a', port: 80, url: 'ws://a/zk' }, { host: 'b', port: 2, url: 'ws://b:2/zk' }], '/app/x'],
    ['ws://[::1]:8080/zk#/', [{ host: '::1', port: 8080, url: 'ws://[::1]:8080/zk' }], ''],
  ])('reads %s', (text, hosts, chroot) => {
    expect(parseConnectString(text)).toEqual({ hosts, chroot });
  });

  it.each(['ws://a:1/zk,b:2', 'ws://a:1/zk,http://b/zk', 'ws://a/zk#/x,ws://b/zk', 'ws://a/zk#app', 'ws://a/zk#/app/', 'ws://a:99999/zk'])('refuses %j', (text) => {
    expect(() => parseConnectString(text)).toThrow();
  });
});
