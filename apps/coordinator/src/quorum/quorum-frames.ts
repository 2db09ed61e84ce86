// What travels on the quorum port besides ZAB's own messages: writes a learner forwards to its leader,
// client activity for the leader's session tracking, sync markers, and refusals. One kind byte first.
import { decodeMessage, encodeMessage, type Message } from '@zk/zab';
import type { WriteRequest } from '@zk/datatree';
import { JuteReader, JuteWriter, OpCode, decodeRequest, encodeRequest, type Id, type Request } from '@zk/wire';

export type ForwardedOp = { kind: 'request'; request: WriteRequest; authIds: Id[] } | { kind: 'createSession'; timeoutMs: number } | { kind: 'closeSession' };

const WRITE_OPS = new Set<number>([OpCode.create, OpCode.create2, OpCode.createContainer, OpCode.createTTL, OpCode.delete, OpCode.deleteContainer, OpCode.setData, OpCode.setACL, OpCode.check, OpCode.multi]);

function isWriteRequest(request: Request): request is WriteRequest {
  return WRITE_OPS.has(request.op);
}

export type QuorumFrame =
  | { kind: 'zab'; message: Message }
  | { kind: 'forward'; sessionId: bigint; cxid: number; op: ForwardedOp }
  | { kind: 'touch'; sessions: Array<{ sessionId: bigint; timeoutMs: number }> }
  | { kind: 'syncRequest'; token: number }
  | { kind: 'syncReply'; token: number; zxid: bigint }
  | { kind: 'refused'; sessionId: bigint; cxid: number; err: number };

const KIND = { zab: 0, forward: 1, touch: 2, syncRequest: 3, syncReply: 4, refused: 5 } as const;
const OP_KIND = { request: 0, createSession: 1, closeSession: 2 } as const;

export function encodeQuorumFrame(frame: QuorumFrame): Uint8Array {
  return encodeLengthPrefixedQuorumFrame(frame).subarray(LENGTH_PREFIX_BYTES);
}

const LENGTH_PREFIX_BYTES = 4;

/** The frame with its 4-byte length in front, as the peer network sends it, built without copies. */
export function encodeLengthPrefixedQuorumFrame(frame: QuorumFrame): Uint8Array {
  if (frame.kind === 'zab') {
    const out = encodeMessage(frame.message, LENGTH_PREFIX_BYTES + 1);
    new DataView(out.buffer, out.byteOffset, out.byteLength).setInt32(0, out.length - LENGTH_PREFIX_BYTES);
    out[LENGTH_PREFIX_BYTES] = KIND.zab;
    return out;
  }
  const w = new JuteWriter();
  w.int(KIND[frame.kind]);
  switch (frame.kind) {
    case 'forward':
      w.long(frame.sessionId).int(frame.cxid).int(OP_KIND[frame.op.kind]);
      if (frame.op.kind === 'request') {
        const framed = encodeRequest({ xid: frame.cxid, type: frame.op.request.op }, frame.op.request);
        w.buffer(framed.subarray(4)).int(frame.op.authIds.length);
        for (const id of frame.op.authIds) w.string(id.scheme).string(id.id);
      } else if (frame.op.kind === 'createSession') {
        w.int(frame.op.timeoutMs);
      }
      break;
    case 'touch':
      w.int(frame.sessions.length);
      for (const { sessionId, timeoutMs } of frame.sessions) w.long(sessionId).int(timeoutMs);
      break;
    case 'syncRequest':
      w.int(frame.token);
      break;
    case 'syncReply':
      w.int(frame.token).long(frame.zxid);
      break;
    case 'refused':
      w.long(frame.sessionId).int(frame.cxid).int(frame.err);
      break;
  }
  // The kind went in as a 4-byte int for the writer's sake; the wire keeps one byte. Small frames: one copy.
  const body = w.toBytes().subarray(3);
  const out = new Uint8Array(LENGTH_PREFIX_BYTES + body.length);
  new DataView(out.buffer).setInt32(0, body.length);
  out.set(body, LENGTH_PREFIX_BYTES);
  return out;
}

export function decodeQuorumFrame(bytes: Uint8Array): QuorumFrame {
  if (bytes.length === 0) throw new Error('empty quorum frame');
  const kind = bytes[0];
  if (kind === KIND.zab) return { kind: 'zab', message: decodeMessage(bytes.subarray(1)) };
  const r = new JuteReader(bytes, 1);
  switch (kind) {
    case KIND.forward: {
      const sessionId = r.long();
      const cxid = r.int();
      const opKind = r.int();
      if (opKind === OP_KIND.request) {
        const body = r.buffer() ?? new Uint8Array(0);
        const count = r.int();
        const authIds: Id[] = [];
        for (let i = 0; i < count; i++) authIds.push({ scheme: r.requiredString('scheme'), id: r.requiredString('id') });
        const { request } = decodeRequest(body);
        if (!isWriteRequest(request)) throw new Error(`a forwarded request must be a write, not op ${request.op}`);
        return { kind: 'forward', sessionId, cxid, op: { kind: 'request', request, authIds } };
      }
      if (opKind === OP_KIND.createSession) return { kind: 'forward', sessionId, cxid, op: { kind: 'createSession', timeoutMs: r.int() } };
      if (opKind === OP_KIND.closeSession) return { kind: 'forward', sessionId, cxid, op: { kind: 'closeSession' } };
      throw new Error(`unknown forwarded op kind ${opKind}`);
    }
    case KIND.touch: {
      const count = r.int();
      const sessions: Array<{ sessionId: bigint; timeoutMs: number }> = [];
      for (let i = 0; i < count; i++) sessions.push({ sessionId: r.long(), timeoutMs: r.int() });
      return { kind: 'touch', sessions };
    }
    case KIND.syncRequest:
      return { kind: 'syncRequest', token: r.int() };
    case KIND.syncReply:
      return { kind: 'syncReply', token: r.int(), zxid: r.long() };
    case KIND.refused:
      return { kind: 'refused', sessionId: r.long(), cxid: r.int(), err: r.int() };
    default:
      throw new Error(`unknown quorum frame kind ${kind}`);
  }
}
