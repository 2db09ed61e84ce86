// Property tests (fast-check): random records round-trip through the codec, and random or mangled bytes
// make the decoders fail only with WireError / FrameError — never a RangeError, TypeError or a hang.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeReply, encodeRequest } from './client-codec';
import { decodeConnectRequest, decodeConnectResponse } from './connect-codec';
import { OpCode } from './constants';
import { FrameDecoder } from './frame-decoder';
import type { Acl, MultiOp, MultiResult, Request, Response, Stat } from './records';
import { decodeRequest, encodeReply } from './server-codec';
import { FrameError, WireError } from './wire-error';
import { sampleRequests, sampleResponses } from './wire-samples';

const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const text = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 8 }));
const bytes = fc.uint8Array({ maxLength: 40 });
const texts = fc.array(text, { maxLength: 4 });
const acl: fc.Arbitrary<Acl> = fc.record({ perms: int32, id: fc.record({ scheme: text, id: text }) });
const acls = fc.array(acl, { maxLength: 3 });
const stat: fc.Arbitrary<Stat> = fc.record({
  czxid: int64,
  mzxid: int64,
  ctime: int64,
  mtime: int64,
  version: int32,
  cversion: int32,
  aversion: int32,
  ephemeralOwner: int64,
  dataLength: int32,
  numChildren: int32,
  pzxid: int64,
});

const create = fc.oneof(
  fc.record({
    op: fc.constantFrom(OpCode.create, OpCode.create2, OpCode.createContainer),
    path: text,
    data: bytes,
    acl: acls,
    flags: int32,
  }),
  fc.record({ op: fc.constant(OpCode.createTTL), path: text, data: bytes, acl: acls, flags: int32, ttl: int64 }),
);
const getChildren = fc.record({ op: fc.constant(OpCode.getChildren), path: text, watch: fc.boolean() });
const getData = fc.record({ op: fc.constant(OpCode.getData), path: text, watch: fc.boolean() });
const multiOp: fc.Arbitrary<MultiOp> = fc.oneof(
  create,
  fc.record({ op: fc.constant(OpCode.delete), path: text, version: int32 }),
  fc.record({ op: fc.constant(OpCode.setData), path: text, data: bytes, version: int32 }),
  fc.record({ op: fc.constant(OpCode.check), path: text, version: int32 }),
);

const request: fc.Arbitrary<Request> = fc.oneof(
  create,
  multiOp,
  getChildren,
  getData,
  fc.record({ op: fc.constantFrom(OpCode.deleteContainer), path: text, version: int32 }),
  fc.record({ op: fc.constantFrom(OpCode.exists, OpCode.getChildren2), path: text, watch: fc.boolean() }),
  fc.record({ op: fc.constantFrom(OpCode.getACL, OpCode.sync, OpCode.getAllChildrenNumber), path: text }),
  fc.record({ op: fc.constant(OpCode.setACL), path: text, acl: acls, version: int32 }),
  fc.record({ op: fc.constantFrom(OpCode.ping, OpCode.whoAmI, OpCode.closeSession) }),
  fc.record({ op: fc.constant(OpCode.multi), ops: fc.array(multiOp, { maxLength: 4 }) }),
  fc.record({ op: fc.constant(OpCode.multiRead), ops: fc.array(fc.oneof(getChildren, getData), { maxLength: 4 }) }),
  fc.record({ op: fc.constantFrom(OpCode.checkWatches, OpCode.removeWatches), path: text, type: int32 }),
  fc.record({ op: fc.constant(OpCode.auth), type: int32, scheme: text, auth: bytes }),
  fc.record({ op: fc.constant(OpCode.setWatches), relativeZxid: int64, dataWatches: texts, existWatches: texts, childWatches: texts }),
  fc.record({
    op: fc.constant(OpCode.setWatches2),
    relativeZxid: int64,
    dataWatches: texts,
    existWatches: texts,
    childWatches: texts,
    persistentWatches: texts,
    persistentRecursiveWatches: texts,
  }),
  fc.record({ op: fc.constant(OpCode.getEphemerals), prefixPath: text }),
  fc.record({ op: fc.constant(OpCode.addWatch), path: text, mode: int32 }),
) as fc.Arbitrary<Request>;

const multiResult: fc.Arbitrary<MultiResult> = fc.oneof(
  fc.record({ op: fc.constant(OpCode.create), path: text }),
  fc.record({ op: fc.constant(OpCode.create2), path: text, stat }),
  fc.record({ op: fc.constantFrom(OpCode.delete, OpCode.check) }),
  fc.record({ op: fc.constant(OpCode.setData), stat }),
  fc.record({ op: fc.constant(OpCode.getData), data: bytes, stat }),
  fc.record({ op: fc.constant(OpCode.getChildren), children: texts }),
  fc.record({ op: fc.constant(OpCode.error), err: int32 }),
) as fc.Arbitrary<MultiResult>;

const response: fc.Arbitrary<Response> = fc.oneof(
  fc.record({ op: fc.constantFrom(OpCode.create, OpCode.sync), path: text }),
  fc.record({ op: fc.constantFrom(OpCode.create2, OpCode.createContainer, OpCode.createTTL), path: text, stat }),
  fc.record({ op: fc.constantFrom(OpCode.exists, OpCode.setData, OpCode.setACL), stat }),
  fc.record({ op: fc.constant(OpCode.getData), data: bytes, stat }),
  fc.record({ op: fc.constant(OpCode.getACL), acl: acls, stat }),
  fc.record({ op: fc.constant(OpCode.getChildren), children: texts }),
  fc.record({ op: fc.constant(OpCode.getChildren2), children: texts, stat }),
  fc.record({
    op: fc.constantFrom(
      OpCode.delete,
      OpCode.deleteContainer,
      OpCode.ping,
      OpCode.check,
      OpCode.checkWatches,
      OpCode.removeWatches,
      OpCode.auth,
      OpCode.setWatches,
      OpCode.setWatches2,
      OpCode.addWatch,
      OpCode.closeSession,
    ),
  }),
  fc.record({ op: fc.constantFrom(OpCode.multi, OpCode.multiRead), results: fc.array(multiResult, { maxLength: 4 }) }),
  fc.record({ op: fc.constant(OpCode.getEphemerals), ephemerals: texts }),
  fc.record({ op: fc.constant(OpCode.getAllChildrenNumber), totalNumber: int32 }),
  fc.record({ op: fc.constant(OpCode.whoAmI), clientInfo: fc.array(fc.record({ authScheme: text, user: text }), { maxLength: 3 }) }),
) as fc.Arbitrary<Response>;

const knownOps = Object.values(OpCode) as number[];

/** Runs `decode`; anything thrown must be one of `allowed`. */
function onlyThrows(decode: () => unknown, ...allowed: (typeof WireError | typeof FrameError)[]): boolean {
  try {
    decode();
  } catch (error) {
    if (!allowed.some((kind) => error instanceof kind)) throw error;
  }
  return true;
}

/** A valid encoding with some bytes overwritten and possibly cut short: reaches deep into the decoders. */
const mangled = (valid: Uint8Array[]) =>
  fc
    .record({
      index: fc.nat(valid.length - 1),
      edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
      keep: fc.nat(),
    })
    .map(({ index, edits, keep }) => {
      const copy = valid[index].slice();
      for (const [at, value] of edits) copy[at % copy.length] = value;
      return copy.subarray(0, Math.max(0, copy.length - (keep % 3 === 0 ? keep % copy.length : 0)));
    });

describe('random records round-trip', () => {
  it('requests: decodeRequest(encodeRequest(r)) equals r', () => {
    fc.assert(
      fc.property(request, int32, (r, xid) => {
        const decoded = decodeRequest(encodeRequest({ xid, type: r.op }, r).subarray(4));
        expect(decoded).toEqual({ header: { xid, type: r.op }, request: r }); // fc.record objects have a null prototype
      }),
    );
  });

  it('responses: decodeReply(encodeReply(r)) equals r', () => {
    fc.assert(
      fc.property(response, fc.integer({ min: 1, max: 2 ** 31 - 1 }), int64, (r, xid, zxid) => {
        const decoded = decodeReply(encodeReply({ xid, zxid, err: 0 }, r).subarray(4), () => r.op);
        expect(decoded).toEqual({ header: { xid, zxid, err: 0 }, response: r });
      }),
    );
  });
});

describe('hostile bytes fail only with WireError / FrameError', () => {
  const validRequests = sampleRequests.map(([, r], i) => encodeRequest({ xid: i, type: r.op }, r).subarray(4));
  const validReplies = sampleResponses.map(([, r], i) => encodeReply({ xid: i + 1, zxid: 1n, err: 0 }, r).subarray(4));
  const opOfXid = new Map(sampleResponses.map(([, r], i) => [i + 1, r.op]));

  it('decodeRequest on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => onlyThrows(() => decodeRequest(b), WireError)), { numRuns: 2000 });
  });

  it('decodeRequest on random bodies behind a known opcode', () => {
    fc.assert(
      fc.property(fc.constantFrom(...knownOps), fc.uint8Array({ maxLength: 120 }), (op, body) => {
        const b = new Uint8Array(8 + body.length);
        new DataView(b.buffer).setInt32(4, op);
        b.set(body, 8);
        return onlyThrows(() => decodeRequest(b), WireError);
      }),
      { numRuns: 2000 },
    );
  });

  it('decodeRequest on mangled valid requests', () => {
    fc.assert(fc.property(mangled(validRequests), (b) => onlyThrows(() => decodeRequest(b), WireError)), { numRuns: 3000 });
  });

  it('decodeReply on random bytes, whatever op the xid is said to belong to', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.option(fc.constantFrom(...knownOps)), (b, op) =>
        onlyThrows(() => decodeReply(b, () => op ?? undefined), WireError),
      ),
      { numRuns: 2000 },
    );
  });

  it('decodeReply on mangled valid replies', () => {
    fc.assert(fc.property(mangled(validReplies), (b) => onlyThrows(() => decodeReply(b, (xid) => opOfXid.get(xid)), WireError)), {
      numRuns: 3000,
    });
  });

  it('decodeConnectRequest and decodeConnectResponse on random bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 80 }),
        (b) => onlyThrows(() => decodeConnectRequest(b), WireError) && onlyThrows(() => decodeConnectResponse(b), WireError),
      ),
      { numRuns: 1000 },
    );
  });

  it('FrameDecoder on random chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), fc.nat(1 << 16), (chunks, limit) => {
        const decoder = new FrameDecoder(limit);
        return onlyThrows(() => chunks.forEach((c) => decoder.push(c)), FrameError);
      }),
      { numRuns: 1000 },
    );
  });
});
