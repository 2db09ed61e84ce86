// What the server needs after the handshake: decode a request frame, encode replies and watch notifications.
// Replies follow ServerCnxn.sendResponse: ReplyHeader, then the body only when there is one.
import { ErrorCode, OpCode, Xid } from './constants';
import { NULL_DATA } from './null-data';
import { JuteReader } from './jute-reader';
import { JuteWriter } from './jute-writer';
import type { ReplyHeader, Request, RequestHeader, Response, WatcherEvent } from './records';
import { readRequestBody } from './request-body';
import { writeResponseBody } from './response-body';
import { WireError, marshallingError } from './wire-error';

export interface DecodedRequest {
  header: RequestHeader;
  request: Request;
}

/**
 * Decodes a request frame body (header + record). Throws WireError: `unimplemented` (with `header`) for an
 * opcode outside the Request union, `marshallingError` for malformed bytes (with `header` when it was read).
 * Trailing bytes after the record are ignored, as ZooKeeper's deserializers ignore them.
 */
export function decodeRequest(body: Uint8Array): DecodedRequest {
  const r = new JuteReader(body);
  if (r.remaining < 8) throw marshallingError(`request of ${body.length} bytes is shorter than a request header`);
  const header: RequestHeader = { xid: r.int(), type: r.int() };
  let request: Request | undefined;
  try {
    request = readRequestBody(r, header.type);
  } catch (error) {
    if (error instanceof WireError) throw error.withHeader(header);
    throw error;
  }
  if (request === undefined) {
    throw new WireError(ErrorCode.unimplemented, `unknown request opcode ${header.type} (xid ${header.xid})`, header);
  }
  return { header, request };
}

/**
 * Encodes a framed reply. The body is written only when `header.err` is 0 and a response is given:
 * ZooKeeper's clients read no body after an error. A multi whose ops failed is *not* an error at this
 * level: its header has err 0 and the results carry ErrorResults (see writeMultiResults).
 */
export function encodeReply(header: ReplyHeader, response?: Response): Uint8Array {
  // Sized for the data a getData carries, so a large value is copied once and never regrown.
  const data = response !== undefined && 'data' in response && response.data instanceof Uint8Array ? response.data.length : 0;
  const w = new JuteWriter(response === undefined ? 16 : 256 + data);
  w.int(header.xid).long(header.zxid).int(header.err);
  if (header.err === ErrorCode.ok && response !== undefined) writeResponseBody(w, response);
  return w.framed();
}

/** From this size on a getData reply leaves as three pieces with the node's own bytes in the middle. */
export const REPLY_DATA_BY_REFERENCE_MIN_BYTES = 16 * 1024;

/**
 * A framed reply as the pieces to write one after another: one buffer, except a getData of a large value,
 * whose bytes are sent as they sit in the tree rather than copied into the reply (a 512 KiB read would
 * otherwise allocate and fill 512 KiB per request, and the garbage collector pays for it later). The
 * value is never mutated in place (a setData replaces it), so a socket may hold on to it until written.
 */
export function encodeReplyPieces(header: ReplyHeader, response?: Response): Uint8Array[] {
  if (header.err !== ErrorCode.ok || response?.op !== OpCode.getData) return [encodeReply(header, response)];
  const data = response.data;
  if (data === null || data === NULL_DATA || data.length < REPLY_DATA_BY_REFERENCE_MIN_BYTES) return [encodeReply(header, response)];
  const head = new JuteWriter(20);
  head.int(header.xid).long(header.zxid).int(header.err).int(data.length);
  const tail = new JuteWriter(80);
  tail.stat(response.stat);
  const prefix = head.framed();
  // The frame's length covers all three pieces; framed() counted only the head's.
  new DataView(prefix.buffer, prefix.byteOffset, 4).setInt32(0, head.length + data.length + tail.length);
  return [prefix, data, tail.toBytes()];
}

/** A framed watch notification: ReplyHeader{xid -1, zxid, err 0} then the WatcherEvent. ZooKeeper 3.8 sends zxid -1. */
export function encodeWatcherEvent(event: WatcherEvent, zxid = -1n): Uint8Array {
  const w = new JuteWriter(32 + event.path.length);
  w.int(Xid.notification).long(zxid).int(ErrorCode.ok).int(event.type).int(event.state).string(event.path);
  return w.framed();
}

