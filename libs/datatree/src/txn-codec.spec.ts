// The txn codec: golden bytes in ZooKeeper's log format, round trips, refused input.
import { describe, expect, it } from 'vitest';
import { JuteWriter, WireError } from '@zk/wire';
import { CONTAINER_EPHEMERAL_OWNER, ttlEphemeralOwner } from './node-kind';
import { OPEN, bytes } from './test-harness';
import { decodeTxn, encodeTxn, peekTxnHeader } from './txn-codec';
import type { Txn, TxnHeader } from './txn';

const header: TxnHeader = { sessionId: 0x100000000000abcn, cxid: 7, zxid: 0x500000003n, timeMs: 1_700_000_000_123 };
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('encodeTxn: ZooKeeper’s txn log format', () => {
  it('writes TxnHeader then CreateTxn(path, data, acl, ephemeral, parentCVersion)', () => {
    const txn: Txn = { type: 'create', path: '/a', data: bytes('x'), acl: OPEN, ephemeralOwner: header.sessionId, parentCversion: 3, kind: 'ephemeral', responseOp: 1 };
    const expected = new JuteWriter()
      .long(header.sessionId).int(7).long(header.zxid).long(1_700_000_000_123n).int(1) // TxnHeader
      .string('/a').buffer(bytes('x')).aclList(OPEN).bool(true).int(3) // CreateTxn
      .toBytes();
    expect(hex(encodeTxn(header, txn))).toBe(hex(expected));
    expect(hex(encodeTxn(header, txn)).slice(0, 16)).toBe('0100000000000abc');
  });

  it('writes a multi as MultiTxn: vector of {type, buffer(record)}', () => {
    const txn: Txn = { type: 'multi', txns: [{ type: 'delete', path: '/a' }, { type: 'error', err: -101 }] };
    const expected = new JuteWriter()
      .long(header.sessionId).int(7).long(header.zxid).long(1_700_000_000_123n).int(14)
      .int(2)
      .int(2).buffer(new JuteWriter().string('/a').toBytes())
      .int(-1).buffer(new JuteWriter().int(-101).toBytes())
      .toBytes();
    expect(hex(encodeTxn(header, txn))).toBe(hex(expected));
  });
});

describe('decodeTxn(encodeTxn(...)) gives the txn back', () => {
  const cases: Array<[string, Txn]> = [
    ['persistent create', { type: 'create', path: '/p', data: bytes('d'), acl: OPEN, ephemeralOwner: 0n, parentCversion: 1, kind: 'persistent', responseOp: 1 }],
    ['create2', { type: 'create', path: '/p', data: bytes(''), acl: OPEN, ephemeralOwner: 0n, parentCversion: -1, kind: 'persistent', responseOp: 15 }],
    ['ephemeral', { type: 'create', path: '/e', data: bytes(''), acl: OPEN, ephemeralOwner: header.sessionId, parentCversion: 2, kind: 'ephemeral', responseOp: 15 }],
    ['container', { type: 'create', path: '/c', data: bytes(''), acl: OPEN, ephemeralOwner: CONTAINER_EPHEMERAL_OWNER, parentCversion: 2, kind: 'container', responseOp: 19 }],
    ['ttl', { type: 'create', path: '/t', data: bytes(''), acl: OPEN, ephemeralOwner: ttlEphemeralOwner(99), parentCversion: 2, kind: 'ttl', ttlMs: 99, responseOp: 21 }],
    ['delete', { type: 'delete', path: '/d' }],
    ['deleteContainer', { type: 'delete', path: '/d', responseOp: 20 }],
    ['setData', { type: 'setData', path: '/s', data: bytes('abc'), version: 4 }],
    // Large values take the presized path (no regrowth, no trim); multi-byte paths must still fit.
    ['setData of 64 KiB', { type: 'setData', path: '/größe/ü', data: new Uint8Array(64 * 1024).fill(7), version: 1 }],
    ['create of 20 KiB', { type: 'create', path: '/€', data: new Uint8Array(20 * 1024).fill(9), acl: OPEN, ephemeralOwner: 0n, parentCversion: 1, kind: 'persistent', responseOp: 1 }],
    ['setAcl', { type: 'setAcl', path: '/s', acl: [{ perms: 1, id: { scheme: 'digest', id: 'u:p' } }], version: -1 }],
    ['check', { type: 'check', path: '/s', version: 2 }],
    ['error', { type: 'error', err: -110 }],
    ['createSession', { type: 'createSession', timeoutMs: 30000 }],
    ['closeSession', { type: 'closeSession', paths: ['/e1', '/e2'] }],
    [
      'multi',
      {
        type: 'multi',
        txns: [
          { type: 'create', path: '/m', data: bytes(''), acl: OPEN, ephemeralOwner: 0n, parentCversion: 1, kind: 'persistent', responseOp: 1 },
          { type: 'setData', path: '/m', data: bytes('z'), version: 1 },
          { type: 'check', path: '/m', version: 2 },
          { type: 'error', err: -2 },
        ],
      },
    ],
  ];
  it.each(cases)('%s', (_name, txn) => {
    expect(decodeTxn(encodeTxn(header, txn))).toEqual({ header, txn });
  });
});

describe('decodeTxn refuses what is not a txn', () => {
  it('rejects trailing bytes, truncation, nested session txns and a bad ttl', () => {
    const good = encodeTxn(header, { type: 'delete', path: '/d' });
    expect(() => decodeTxn(new Uint8Array([...good, 0]))).toThrow(WireError);
    expect(() => decodeTxn(good.subarray(0, good.length - 1))).toThrow(WireError);
    const nested = new JuteWriter().long(1n).int(0).long(1n).long(0n).int(14).int(1).int(-10).buffer(new JuteWriter().int(5).toBytes()).toBytes();
    expect(() => decodeTxn(nested)).toThrow(/not allowed/);
    const badTtl = new JuteWriter().long(1n).int(0).long(1n).long(0n).int(21).string('/t').buffer(bytes('')).aclList(OPEN).int(1).long(0n).toBytes();
    expect(() => decodeTxn(badTtl)).toThrow(/ttl/);
    const unknown = new JuteWriter().long(1n).int(0).long(1n).long(0n).int(99).toBytes();
    expect(() => decodeTxn(unknown)).toThrow(WireError);
  });

  it('refuses to encode a txn whose kind does not fit its type', () => {
    const txn: Txn = { type: 'create', path: '/c', data: bytes(''), acl: OPEN, ephemeralOwner: 0n, parentCversion: 1, kind: 'container', responseOp: 15 };
    expect(() => encodeTxn(header, txn)).toThrow();
  });
});

describe('peekTxnHeader', () => {
  it('reads the zxid and the logged type without decoding the record', () => {
    const txn: Txn = { type: 'create', path: '/p', data: bytes('d'), acl: OPEN, ephemeralOwner: 0n, parentCversion: 1, kind: 'persistent', responseOp: 15 };
    expect(peekTxnHeader(encodeTxn(header, txn))).toEqual({ zxid: header.zxid, type: 15 });
    const inLargerBuffer = new Uint8Array(100);
    inLargerBuffer.set(encodeTxn(header, { type: 'delete', path: '/d' }), 10);
    expect(peekTxnHeader(inLargerBuffer.subarray(10))).toEqual({ zxid: header.zxid, type: 2 });
    expect(() => peekTxnHeader(new Uint8Array(31))).toThrow(WireError);
  });
});
