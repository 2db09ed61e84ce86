// Requests, client → server: encodeRequest then decodeRequest for every variant, hand-built golden
// bytes from the jute layout, and the errors the server answers malformed or unknown requests with.
import { describe, expect, it } from 'vitest';
import { encodeRequest } from './client-codec';
import { CreateFlag, ErrorCode, OpCode } from './constants';
import { JuteWriter } from './jute-writer';
import type { Request } from './records';
import { decodeRequest } from './server-codec';
import { WireError } from './wire-error';
import { sampleRequests } from './wire-samples';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (h: string): Uint8Array => new Uint8Array((h.replace(/\s+/g, '').match(/../g) ?? []).map((b) => parseInt(b, 16)));

/** The body of a frame, after checking its length prefix. */
function unframe(frame: Uint8Array): Uint8Array {
  expect(new DataView(frame.buffer, frame.byteOffset).getInt32(0)).toBe(frame.length - 4);
  return frame.subarray(4);
}

function catchWireError(fn: () => unknown): WireError {
  try {
    fn();
  } catch (error) {
    if (error instanceof WireError) return error;
    throw error;
  }
  throw new Error('expected a WireError');
}

describe('every request variant survives encodeRequest → decodeRequest', () => {
  it.each(sampleRequests)('%s', (_name, request) => {
    const header = { xid: 77, type: request.op };
    const decoded = decodeRequest(unframe(encodeRequest(header, request)));
    expect(decoded.header).toEqual(header);
    expect(decoded.request).toStrictEqual(request);
  });
});

describe('request golden bytes, built by hand from zookeeper.jute', () => {
  const worldAnyoneAll = '00000001' + '0000001f' + '00000005 776f726c64' + '00000006 616e796f6e65';

  it('create: RequestHeader{xid, type 1} + CreateRequest{path, data, acl, flags}', () => {
    const request: Request = {
      op: OpCode.create,
      path: '/golden',
      data: new TextEncoder().encode('hello'),
      acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }],
      flags: CreateFlag.persistent,
    };
    const expected = '0000003b' + '00000001 00000001' + '00000007 2f676f6c64656e' + '00000005 68656c6c6f' + worldAnyoneAll + '00000000';
    expect(hex(encodeRequest({ xid: 1, type: OpCode.create }, request))).toBe(expected.replace(/\s+/g, ''));
  });

  it('createTTL appends the ttl long after the flags', () => {
    const request: Request = {
      op: OpCode.createTTL,
      path: '/t',
      data: new Uint8Array(0),
      acl: [],
      flags: CreateFlag.persistentWithTtl,
      ttl: 60_000n,
    };
    const expected = '00000004 00000015' + '00000002 2f74' + '00000000' + '00000000' + '00000005' + '000000000000ea60';
    expect(hex(unframe(encodeRequest({ xid: 4, type: OpCode.createTTL }, request)))).toBe(expected.replace(/\s+/g, ''));
  });

  it('multi: MultiHeader{type, done false, err -1} + op per op, then {-1, true, -1}', () => {
    const request: Request = {
      op: OpCode.multi,
      ops: [
        { op: OpCode.check, path: '/a', version: 3 },
        { op: OpCode.delete, path: '/a', version: -1 },
      ],
    };
    const expected =
      '00000009 0000000e' +
      '0000000d 00 ffffffff' + '00000002 2f61' + '00000003' +
      '00000002 00 ffffffff' + '00000002 2f61' + 'ffffffff' +
      'ffffffff 01 ffffffff';
    expect(hex(unframe(encodeRequest({ xid: 9, type: OpCode.multi }, request)))).toBe(expected.replace(/\s+/g, ''));
  });

  it('ping, whoAmI and closeSession are a bare RequestHeader', () => {
    expect(hex(encodeRequest({ xid: -2, type: OpCode.ping }, { op: OpCode.ping }))).toBe('00000008' + 'fffffffe' + '0000000b');
    expect(hex(unframe(encodeRequest({ xid: 5, type: OpCode.closeSession }, { op: OpCode.closeSession })))).toBe('00000005' + 'fffffff5');
  });

  it('decodes hand-written setWatches bytes', () => {
    const body = fromHex('fffffff8 00000065' + '000000000000002a' + '00000001 00000002 2f61' + '00000000' + 'ffffffff');
    expect(decodeRequest(body)).toEqual({
      header: { xid: -8, type: OpCode.setWatches },
      request: { op: OpCode.setWatches, relativeZxid: 42n, dataWatches: ['/a'], existWatches: [], childWatches: [] },
    });
  });
});

describe('decodeRequest leniency that matches ZooKeeper', () => {
  it('ignores bytes after the record, as jute deserializers do', () => {
    const body = fromHex('00000001 00000004' + '00000002 2f61' + '01' + 'deadbeef');
    expect(decodeRequest(body).request).toEqual({ op: OpCode.getData, path: '/a', watch: true });
  });

  it('reads null data and null ACL/watch lists as empty', () => {
    const create = fromHex('00000001 00000001' + '00000002 2f61' + 'ffffffff' + 'ffffffff' + '00000000');
    expect(decodeRequest(create).request).toEqual({ op: OpCode.create, path: '/a', data: new Uint8Array(0), acl: [], flags: 0 });
  });
});

describe('decodeRequest errors carry the code to answer with', () => {
  it('answers an unknown opcode with unimplemented and keeps the header for the reply', () => {
    const error = catchWireError(() => decodeRequest(fromHex('00000002 000003e7' + '00000007 2f676f6c64656e')));
    expect(error.code).toBe(ErrorCode.unimplemented);
    expect(error.header).toEqual({ xid: 2, type: 999 });
  });

  it.each([
    ['reconfig', OpCode.reconfig],
    ['sasl', OpCode.sasl],
    ['createSession', OpCode.createSession],
    ['notification', OpCode.notification],
  ])('treats %s, which the Request union leaves out, as unimplemented', (_name, op) => {
    expect(catchWireError(() => decodeRequest(new JuteWriter().int(1).int(op).toBytes())).code).toBe(ErrorCode.unimplemented);
  });

  it('answers a truncated body with marshallingError and keeps the header', () => {
    const error = catchWireError(() => decodeRequest(fromHex('00000001 00000004 00000064 2f676f')));
    expect(error.code).toBe(ErrorCode.marshallingError);
    expect(error.header).toEqual({ xid: 1, type: OpCode.getData });
  });

  it('has no header to report when even the header is cut short', () => {
    const error = catchWireError(() => decodeRequest(fromHex('000000010000')));
    expect(error.code).toBe(ErrorCode.marshallingError);
    expect(error.header).toBeUndefined();
  });

  it('refuses a null path', () => {
    const error = catchWireError(() => decodeRequest(fromHex('00000001 00000003 ffffffff 00')));
    expect([error.code, error.message]).toEqual([ErrorCode.marshallingError, 'path is null']);
  });

  it.each([
    ['deleteContainer inside a multi', OpCode.multi, OpCode.deleteContainer, new JuteWriter().string('/a').int(0)],
    ['a read inside a multi', OpCode.multi, OpCode.getData, new JuteWriter().string('/a').bool(false)],
    ['a write inside a multiRead', OpCode.multiRead, OpCode.delete, new JuteWriter().string('/a').int(0)],
    ['getChildren2 inside a multiRead', OpCode.multiRead, OpCode.getChildren2, new JuteWriter().string('/a').bool(false)],
  ])('refuses %s, as MultiOperationRecord does', (_name, multiOp, innerOp, innerBody) => {
    const w = new JuteWriter().int(1).int(multiOp).int(innerOp).bool(false).int(-1);
    const bytes = new Uint8Array([...w.toBytes(), ...innerBody.toBytes(), ...new JuteWriter().int(-1).bool(true).int(-1).toBytes()]);
    const error = catchWireError(() => decodeRequest(bytes));
    expect(error.code).toBe(ErrorCode.marshallingError);
    expect(error.header).toEqual({ xid: 1, type: multiOp });
  });

  it('refuses a multi that never ends', () => {
    const bytes = new JuteWriter().int(1).int(OpCode.multi).int(OpCode.check).bool(false).int(-1).string('/a').int(0).toBytes();
    expect(catchWireError(() => decodeRequest(bytes)).code).toBe(ErrorCode.marshallingError);
  });
});

describe('encodeRequest refuses what it cannot express', () => {
  it.each<[string, number, Request]>([
    ['a header type that differs from the op', OpCode.getData, { op: OpCode.exists, path: '/', watch: false }],
    ['createTTL without a ttl', OpCode.createTTL, { op: OpCode.createTTL, path: '/', data: new Uint8Array(0), acl: [], flags: 5 }],
    ['a ttl on a plain create', OpCode.create, { op: OpCode.create, path: '/', data: new Uint8Array(0), acl: [], flags: 0, ttl: 5n }],
    ['deleteContainer inside a multi', OpCode.multi, { op: OpCode.multi, ops: [{ op: OpCode.deleteContainer, path: '/', version: 0 }] }],
  ])('%s', (_name, type, request) => {
    expect(catchWireError(() => encodeRequest({ xid: 1, type }, request)).code).toBe(ErrorCode.marshallingError);
  });
});
