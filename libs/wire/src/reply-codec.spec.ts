// Replies, server → client: encodeReply then decodeReply for every response variant, hand-built golden
// bytes (a Stat reply, a failed multi, a notification), and the header rules (errors, special xids).
import { describe, expect, it } from 'vitest';
import { decodeReply } from './client-codec';
import { ErrorCode, EventType, KeeperState, OpCode, Xid } from './constants';
import type { MultiResult, ReplyHeader } from './records';
import { encodeReply, encodeReplyPieces, encodeWatcherEvent, REPLY_DATA_BY_REFERENCE_MIN_BYTES } from './server-codec';
import { WireError } from './wire-error';
import { sampleResponses, sampleStat } from './wire-samples';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const clean = (h: string): string => h.replace(/\s+/g, '');
const statHex =
  '0000000100000002 0000000100000007 0000018bcfe5687b 0000018bcfe579d7' +
  '00000003 00000002 00000001 01000000abcdef01 00000005 00000002 0000000100000005';

function unframe(frame: Uint8Array): Uint8Array {
  expect(new DataView(frame.buffer, frame.byteOffset).getInt32(0)).toBe(frame.length - 4);
  return frame.subarray(4);
}

const opIs = (op: number) => () => op;

describe('every response variant survives encodeReply → decodeReply', () => {
  it.each(sampleResponses)('%s', (_name, response) => {
    const header: ReplyHeader = { xid: 12, zxid: 0x100000009n, err: ErrorCode.ok };
    const decoded = decodeReply(unframe(encodeReply(header, response)), (xid) => (xid === 12 ? response.op : undefined));
    expect(decoded).toStrictEqual({ header, response });
  });
});

describe('reply golden bytes, built by hand from zookeeper.jute', () => {
  it('exists: ReplyHeader{xid, zxid, err 0} + Stat', () => {
    const frame = encodeReply({ xid: 7, zxid: 7n, err: 0 }, { op: OpCode.exists, stat: sampleStat });
    expect(hex(frame)).toBe(clean('00000054' + '00000007 0000000000000007 00000000' + statHex));
  });

  it('a failed multi: err 0 in the header, one ErrorResult per op, then the done header', () => {
    const results: MultiResult[] = [
      { op: OpCode.error, err: ErrorCode.ok },
      { op: OpCode.error, err: ErrorCode.badVersion },
      { op: OpCode.error, err: ErrorCode.runtimeInconsistency },
    ];
    const expected =
      '00000013 000000000000000b 00000000' +
      'ffffffff 00 00000000' + '00000000' +
      'ffffffff 00 ffffff99' + 'ffffff99' +
      'ffffffff 00 fffffffe' + 'fffffffe' +
      'ffffffff 01 ffffffff';
    // The same bytes ZooKeeper 3.8.0 sent for the "multi fails" step of the capture.
    expect(hex(unframe(encodeReply({ xid: 0x13, zxid: 0xbn, err: 0 }, { op: OpCode.multi, results })))).toBe(clean(expected));
  });

  it('a watch notification: ReplyHeader{xid -1, zxid -1, err 0} + WatcherEvent{type, state, path}', () => {
    const frame = encodeWatcherEvent({ type: EventType.nodeDataChanged, state: KeeperState.syncConnected, path: '/golden' });
    expect(hex(frame)).toBe(clean('00000023' + 'ffffffff ffffffffffffffff 00000000' + '00000003 00000003 00000007 2f676f6c64656e'));
  });

  it('a notification may carry a real zxid', () => {
    const frame = encodeWatcherEvent({ type: EventType.nodeCreated, state: KeeperState.syncConnected, path: '/' }, 0x2an);
    expect(hex(unframe(frame)).slice(8, 24)).toBe('000000000000002a');
  });

  it('addWatch answers with ErrorResponse(0): four more bytes the Java client insists on', () => {
    const frame = encodeReply({ xid: 3, zxid: 1n, err: 0 }, { op: OpCode.addWatch });
    expect(hex(unframe(frame))).toBe(clean('00000003 0000000000000001 00000000' + '00000000'));
  });

  it('createContainer and createTTL results inside a multi go out labelled create2, as CreateResult does', () => {
    const results: MultiResult[] = [
      { op: OpCode.createContainer, path: '/c', stat: sampleStat },
      { op: OpCode.createTTL, path: '/t', stat: sampleStat },
    ];
    const decoded = decodeReply(unframe(encodeReply({ xid: 1, zxid: 1n, err: 0 }, { op: OpCode.multi, results })), opIs(OpCode.multi));
    expect(decoded.response).toEqual({
      op: OpCode.multi,
      results: [
        { op: OpCode.create2, path: '/c', stat: sampleStat },
        { op: OpCode.create2, path: '/t', stat: sampleStat },
      ],
    });
  });
});

describe('reply header rules', () => {
  it('writes no body when err is not 0, even if a response is given', () => {
    const header = { xid: 5, zxid: 9n, err: ErrorCode.noNode };
    const frame = encodeReply(header, { op: OpCode.getData, data: new Uint8Array(3), stat: sampleStat });
    expect(hex(frame)).toBe(clean('00000010 00000005 0000000000000009 ffffff9b'));
    expect(decodeReply(unframe(frame), opIs(OpCode.getData))).toEqual({ header: { xid: 5, zxid: 9n, err: ErrorCode.noNode } });
  });

  it('reads no body after a multi refused as a whole (err != 0), like the Java and C clients', () => {
    const frame = encodeReply({ xid: 5, zxid: 9n, err: ErrorCode.marshallingError });
    expect(decodeReply(unframe(frame), opIs(OpCode.multi)).response).toBeUndefined();
  });

  it.each([
    ['ping', Xid.ping, OpCode.ping],
    ['auth', Xid.auth, OpCode.auth],
    ['setWatches', Xid.setWatches, OpCode.setWatches],
  ])('recognises the %s reply by its xid without asking for the op', (_name, xid, op) => {
    const frame = encodeReply({ xid, zxid: 0n, err: 0 });
    expect(decodeReply(unframe(frame), () => undefined)).toEqual({ header: { xid, zxid: 0n, err: 0 }, response: { op } });
  });

  it('labels the xid -8 reply setWatches2 when that is what was sent', () => {
    const frame = encodeReply({ xid: Xid.setWatches, zxid: 0n, err: 0 });
    expect(decodeReply(unframe(frame), opIs(OpCode.setWatches2)).response).toEqual({ op: OpCode.setWatches2 });
  });

  it('reports an auth failure as a bare header', () => {
    const frame = encodeReply({ xid: Xid.auth, zxid: 0n, err: ErrorCode.authFailed });
    expect(decodeReply(unframe(frame), () => undefined)).toEqual({ header: { xid: Xid.auth, zxid: 0n, err: ErrorCode.authFailed } });
  });

  it('decodes a notification into an event', () => {
    const event = { type: EventType.nodeDeleted, state: KeeperState.syncConnected, path: '/gone' };
    expect(decodeReply(unframe(encodeWatcherEvent(event)), () => undefined)).toEqual({
      header: { xid: Xid.notification, zxid: -1n, err: 0 },
      event,
    });
  });

  it('accepts an addWatch reply without the ErrorResponse bytes', () => {
    const frame = encodeReply({ xid: 3, zxid: 1n, err: 0 });
    expect(decodeReply(unframe(frame), opIs(OpCode.addWatch)).response).toEqual({ op: OpCode.addWatch });
  });

  it('fails on a reply whose xid has no pending request', () => {
    const error = (() => {
      try {
        decodeReply(unframe(encodeReply({ xid: 99, zxid: 0n, err: 0 })), () => undefined);
      } catch (e) {
        return e as WireError;
      }
      throw new Error('expected a WireError');
    })();
    expect(error).toBeInstanceOf(WireError);
    expect(error.code).toBe(ErrorCode.marshallingError);
  });

  it('fails with unimplemented on a reply to an opcode it cannot decode', () => {
    expect(() => decodeReply(unframe(encodeReply({ xid: 1, zxid: 0n, err: 0 })), opIs(OpCode.reconfig))).toThrow(WireError);
  });

  it('refuses to put an exists Stat inside a multi reply', () => {
    const results: MultiResult[] = [{ op: OpCode.exists, stat: sampleStat }];
    expect(() => encodeReply({ xid: 1, zxid: 0n, err: 0 }, { op: OpCode.multi, results })).toThrow(/no result form inside a multi reply/);
  });
});

describe('encodeReplyPieces', () => {
  const header: ReplyHeader = { xid: 5, zxid: 0x200000001n, err: ErrorCode.ok };

  it('sends a large getData value by reference, and the pieces joined are exactly encodeReply', () => {
    const data = new Uint8Array(REPLY_DATA_BY_REFERENCE_MIN_BYTES + 3).map((_, i) => i % 251);
    const response = { op: OpCode.getData, data, stat: sampleStat } as const;
    const pieces = encodeReplyPieces(header, response);
    expect(pieces).toHaveLength(3);
    expect(pieces[1]).toBe(data);
    expect(Buffer.concat(pieces)).toStrictEqual(Buffer.from(encodeReply(header, response)));
  });

  it('keeps small values, other replies and errors in one buffer', () => {
    const small = { op: OpCode.getData, data: new Uint8Array(REPLY_DATA_BY_REFERENCE_MIN_BYTES - 1), stat: sampleStat } as const;
    expect(encodeReplyPieces(header, small)).toHaveLength(1);
    expect(encodeReplyPieces(header, { op: OpCode.exists, stat: sampleStat })).toHaveLength(1);
    const failed = encodeReplyPieces({ ...header, err: ErrorCode.noNode });
    expect(failed).toHaveLength(1);
    expect(Buffer.from(failed[0] as Uint8Array)).toStrictEqual(Buffer.from(encodeReply({ ...header, err: ErrorCode.noNode })));
  });
});
