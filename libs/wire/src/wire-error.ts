// The codec's two failures: WireError (one message is bad; answer it with `code`) and
// FrameError (the byte stream itself is bad; the connection must be closed).
import { ErrorCode } from './constants';
import type { RequestHeader } from './records';

/**
 * A record could not be decoded or encoded. `code` is the ZooKeeper error code to answer with:
 * marshallingError for malformed bytes, unimplemented for an opcode this codec does not know.
 * `header` is set when the request header was read, so the server can answer that xid.
 */
export class WireError extends Error {
  override readonly name = 'WireError';

  constructor(
    readonly code: number,
    message: string,
    readonly header?: RequestHeader,
  ) {
    super(message);
  }

  /** The same failure, tagged with the request header it belongs to. */
  withHeader(header: RequestHeader): WireError {
    return new WireError(this.code, this.message, header);
  }
}

/** Shorthand for the most common failure: the bytes do not form the record they claim to be. */
export function marshallingError(message: string): WireError {
  return new WireError(ErrorCode.marshallingError, message);
}

/**
 * A frame's 4-byte length prefix is negative or above the limit. After this the stream cannot be
 * resynchronised, so the decoder refuses further input. `frameLengthBytes` is the advertised length
 * (a server may recognise a four-letter word such as "ruok" = 0x72756f6b here).
 */
export class FrameError extends Error {
  override readonly name = 'FrameError';

  constructor(
    readonly frameLengthBytes: number,
    readonly frameLengthMaxBytes: number,
  ) {
    super(`frame length ${frameLengthBytes} bytes is outside the allowed range 0..${frameLengthMaxBytes}`);
  }
}
