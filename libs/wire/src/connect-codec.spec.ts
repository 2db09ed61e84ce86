// The handshake frames: ConnectRequest/ConnectResponse with and without the trailing readOnly byte.
import { describe, expect, it } from 'vitest';
import { decodeConnectRequest, decodeConnectResponse, encodeConnectRequest, encodeConnectResponse } from './connect-codec';
import type { ConnectRequest, ConnectResponse } from './records';
import { WireError } from './wire-error';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const clean = (h: string): string => h.replace(/\s+/g, '');
const passwd = new Uint8Array(16).map((_, i) => i + 1);
const passwdHex = '0102030405060708090a0b0c0d0e0f10';

describe('ConnectRequest', () => {
  const request: ConnectRequest = {
    protocolVersion: 0,
    lastZxidSeen: 0x10n,
    timeOut: 30_000,
    sessionId: 0n,
    passwd: new Uint8Array(16),
    readOnly: false,
  };

  it('golden bytes: protocolVersion, lastZxidSeen, timeOut, sessionId, passwd, readOnly (45-byte body)', () => {
    const expected = '0000002d' + '00000000' + '0000000000000010' + '00007530' + '0000000000000000' + '00000010' + '00'.repeat(16) + '00';
    expect(hex(encodeConnectRequest(request))).toBe(clean(expected));
  });

  it.each([
    ['with readOnly', request],
    ['readOnly true', { ...request, readOnly: true, sessionId: 0x100000985ce0001n, passwd }],
    [
      'without readOnly (pre-3.4 clients, node-zookeeper-client)',
      { protocolVersion: 0, lastZxidSeen: -1n, timeOut: 4000, sessionId: 7n, passwd },
    ],
  ])('round-trips %s', (_name, value) => {
    expect(decodeConnectRequest(encodeConnectRequest(value).subarray(4))).toStrictEqual(value);
  });

  it('refuses a truncated request', () => {
    expect(() => decodeConnectRequest(encodeConnectRequest(request).subarray(4, 30))).toThrow(WireError);
  });
});

describe('ConnectResponse', () => {
  const response: ConnectResponse = { protocolVersion: 0, timeOut: 30_000, sessionId: 0x100000985ce0001n, passwd, readOnly: false };

  it('golden bytes: protocolVersion, timeOut, sessionId, passwd, readOnly (37-byte body)', () => {
    const expected = '00000025' + '00000000' + '00007530' + '0100000985ce0001' + '00000010' + passwdHex + '00';
    expect(hex(encodeConnectResponse(response))).toBe(clean(expected));
  });

  it('leaves readOnly out for a client that did not send it, as ZooKeeper does (36-byte body)', () => {
    const frame = encodeConnectResponse(response, { includeReadOnly: false });
    expect(hex(frame).slice(0, 8)).toBe('00000024');
    expect(decodeConnectResponse(frame.subarray(4))).toStrictEqual(response);
  });

  it('round-trips readOnly true', () => {
    const value = { ...response, readOnly: true };
    expect(decodeConnectResponse(encodeConnectResponse(value).subarray(4))).toStrictEqual(value);
  });

  it('encodes an expired-session answer: timeOut 0, sessionId 0, 16 zero bytes of password', () => {
    const expired: ConnectResponse = { protocolVersion: 0, timeOut: 0, sessionId: 0n, passwd: new Uint8Array(16), readOnly: false };
    expect(decodeConnectResponse(encodeConnectResponse(expired).subarray(4))).toStrictEqual(expired);
  });
});
