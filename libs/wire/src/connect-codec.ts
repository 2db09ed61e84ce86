// The session handshake: the first frame each way, which has no request/reply header.
// ConnectRequest/Response as in zookeeper.jute, plus the trailing readOnly byte ZooKeeper handles by hand.
import { JuteReader } from './jute-reader';
import { JuteWriter } from './jute-writer';
import type { ConnectRequest, ConnectResponse } from './records';

export interface ConnectResponseEncoding {
  /**
   * Whether to append the readOnly byte. ZooKeeper appends it only when the client sent one in its
   * ConnectRequest (`request.readOnly !== undefined`); clients that never send it (node-zookeeper-client,
   * pre-3.4 clients) do not expect it. Default true.
   */
  includeReadOnly?: boolean;
}

/** Server side: reads a ConnectRequest body; the readOnly byte is optional (absent from old clients). */
export function decodeConnectRequest(body: Uint8Array): ConnectRequest {
  const r = new JuteReader(body);
  const request: ConnectRequest = {
    protocolVersion: r.int(),
    lastZxidSeen: r.long(),
    timeOut: r.int(),
    sessionId: r.long(),
    passwd: r.buffer() ?? new Uint8Array(0),
  };
  if (!r.atEnd) request.readOnly = r.bool();
  return request;
}

/** Server side: the framed ConnectResponse. */
export function encodeConnectResponse(response: ConnectResponse, encoding: ConnectResponseEncoding = {}): Uint8Array {
  const w = new JuteWriter(64);
  w.int(response.protocolVersion).int(response.timeOut).long(response.sessionId).buffer(response.passwd);
  if (encoding.includeReadOnly ?? true) w.bool(response.readOnly);
  return w.framed();
}

/** Client side: the framed ConnectRequest; the readOnly byte is written when `readOnly` is set, as 3.4+ clients do. */
export function encodeConnectRequest(request: ConnectRequest): Uint8Array {
  const w = new JuteWriter(64);
  w.int(request.protocolVersion)
    .long(request.lastZxidSeen)
    .int(request.timeOut)
    .long(request.sessionId)
    .buffer(request.passwd);
  if (request.readOnly !== undefined) w.bool(request.readOnly);
  return w.framed();
}

/** Client side: reads a ConnectResponse body; a missing readOnly byte (old server) reads as false, as in ClientCnxnSocket. */
export function decodeConnectResponse(body: Uint8Array): ConnectResponse {
  const r = new JuteReader(body);
  return {
    protocolVersion: r.int(),
    timeOut: r.int(),
    sessionId: r.long(),
    passwd: r.buffer() ?? new Uint8Array(0),
    readOnly: r.atEnd ? false : r.bool(),
  };
}
