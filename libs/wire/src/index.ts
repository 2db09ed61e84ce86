// @zk/wire: the ZooKeeper 3.8 client wire protocol (jute) — records, primitives, framing,
// and the server- and client-side codecs. Pure code: no I/O, no clocks.
export * from './constants';
export * from './records';
export { WireError, FrameError } from './wire-error';
export { NULL_DATA, dataOrNull } from './null-data';
export { JuteWriter } from './jute-writer';
export { JuteReader } from './jute-reader';
export { FrameDecoder } from './frame-decoder';
export { decodeConnectRequest, encodeConnectResponse, encodeConnectRequest, decodeConnectResponse } from './connect-codec';
export type { ConnectResponseEncoding } from './connect-codec';
export { decodeRequest, encodeReply, encodeReplyPieces, encodeWatcherEvent, REPLY_DATA_BY_REFERENCE_MIN_BYTES } from './server-codec';
export type { DecodedRequest } from './server-codec';
export { encodeRequest, decodeReply } from './client-codec';
export type { DecodedReply } from './client-codec';
