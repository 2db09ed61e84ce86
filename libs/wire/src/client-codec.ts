// What a client needs after the handshake: encode request frames and decode the server's frames
// (replies, pings, auth answers and watch notifications), as ClientCnxn.readResponse does.
import { ErrorCode, OpCode, Xid } from './constants';
import { JuteReader } from './jute-reader';
import { JuteWriter } from './jute-writer';
import type { ReplyHeader, Request, RequestHeader, Response, WatcherEvent } from './records';
import { writeRequestBody } from './request-body';
import { readResponseBody } from './response-body';
import { WireError, marshallingError } from './wire-error';

export interface DecodedReply {
  header: ReplyHeader;
  /** The success body (or `{op}` for ops without one); absent for notifications and when `header.err` != 0. */
  response?: Response;
  /** Set when `header.xid` is -1 (a watch notification). */
  event?: WatcherEvent;
}

/** Encodes a framed request: RequestHeader then the op's record. `header.type` must equal `request.op`. */
export function encodeRequest(header: RequestHeader, request: Request): Uint8Array {
  if (header.type !== request.op) {
    throw marshallingError(`request header type ${header.type} does not match request op ${request.op}`);
  }
  const w = new JuteWriter(128);
  w.int(header.xid).int(header.type);
  writeRequestBody(w, request);
  return w.framed();
}

/**
 * Decodes a frame from the server. xid -1 is a notification, -2 a ping reply, -4 an auth reply,
 * -8 a setWatches(2) reply; any other xid is answered by the op `opOfXid` returns. Like ZooKeeper's
 * Java and C clients, no body is read when `err` != 0 — that includes a multi: a multi whose ops failed
 * arrives with err 0 and ErrorResults inside, while err != 0 means the multi as a whole was refused.
 */
export function decodeReply(body: Uint8Array, opOfXid: (xid: number) => number | undefined): DecodedReply {
  const r = new JuteReader(body);
  if (r.remaining < 16) throw marshallingError(`reply of ${body.length} bytes is shorter than a reply header`);
  const header: ReplyHeader = { xid: r.int(), zxid: r.long(), err: r.int() };
  if (header.xid === Xid.notification) {
    return { header, event: { type: r.int(), state: r.int(), path: r.requiredString('path') } };
  }
  if (header.err !== ErrorCode.ok) return { header };
  const op = replyOp(header.xid, opOfXid);
  const response = readResponseBody(r, op);
  if (response === undefined) {
    throw new WireError(ErrorCode.unimplemented, `cannot decode a reply to opcode ${op} (xid ${header.xid})`);
  }
  return { header, response };
}

function replyOp(xid: number, opOfXid: (xid: number) => number | undefined): number {
  switch (xid) {
    case Xid.ping:
      return OpCode.ping;
    case Xid.auth:
      return OpCode.auth;
    case Xid.setWatches:
      // Both setWatches and setWatches2 use this xid and have no reply body.
      return opOfXid(xid) === OpCode.setWatches2 ? OpCode.setWatches2 : OpCode.setWatches;
    default: {
      const op = opOfXid(xid);
      if (op === undefined) throw marshallingError(`reply for xid ${xid}, which has no pending request`);
      return op;
    }
  }
}
