// FrameDecoder: splits a TCP byte stream into frame bodies (4-byte big-endian length, then the body).
// Incremental and copy-free when a frame lies within one chunk; a bad length poisons the decoder for good.
import { FrameError } from './wire-error';

const LENGTH_PREFIX_BYTES = 4;

export class FrameDecoder {
  /** The length prefix being assembled when it arrives split across chunks. */
  private readonly lengthPrefix = new Uint8Array(LENGTH_PREFIX_BYTES);
  private lengthPrefixFilledBytes = 0;
  /** The body being assembled when it arrives split across chunks; null between frames. */
  private partialBody: Uint8Array | null = null;
  private partialBodyFilledBytes = 0;
  private failure: FrameError | null = null;

  constructor(private readonly frameLengthMaxBytes: number) {
    if (!Number.isInteger(frameLengthMaxBytes) || frameLengthMaxBytes < 0 || frameLengthMaxBytes > 0x7fffffff) {
      throw new RangeError(`frame length limit ${frameLengthMaxBytes} is not in 0..2^31-1`);
    }
  }

  /** Bytes held for an incomplete frame (prefix and body). */
  get bufferedBytes(): number {
    return this.lengthPrefixFilledBytes + this.partialBodyFilledBytes;
  }

  /**
   * Consumes a chunk and returns the bodies of every frame it completes, in order. Bodies of frames that
   * lie wholly inside `chunk` are views into it (no copy): callers must not reuse `chunk`'s memory.
   * Throws FrameError for a length < 0 or > the limit; every later call throws the same error.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.failure !== null) throw this.failure;
    const frames: Uint8Array[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.partialBody !== null) {
        offset = this.continueBody(chunk, offset, frames);
        continue;
      }
      let bodyLength: number;
      if (this.lengthPrefixFilledBytes === 0 && chunk.length - offset >= LENGTH_PREFIX_BYTES) {
        bodyLength = readInt32(chunk, offset);
        offset += LENGTH_PREFIX_BYTES;
      } else {
        const copied = Math.min(LENGTH_PREFIX_BYTES - this.lengthPrefixFilledBytes, chunk.length - offset);
        this.lengthPrefix.set(chunk.subarray(offset, offset + copied), this.lengthPrefixFilledBytes);
        this.lengthPrefixFilledBytes += copied;
        offset += copied;
        if (this.lengthPrefixFilledBytes < LENGTH_PREFIX_BYTES) break;
        this.lengthPrefixFilledBytes = 0;
        bodyLength = readInt32(this.lengthPrefix, 0);
      }
      this.checkLength(bodyLength);
      if (chunk.length - offset >= bodyLength) {
        frames.push(chunk.subarray(offset, offset + bodyLength));
        offset += bodyLength;
      } else {
        this.partialBody = new Uint8Array(bodyLength);
        this.partialBodyFilledBytes = 0;
      }
    }
    return frames;
  }

  private continueBody(chunk: Uint8Array, offset: number, frames: Uint8Array[]): number {
    const body = this.partialBody as Uint8Array;
    const copied = Math.min(body.length - this.partialBodyFilledBytes, chunk.length - offset);
    body.set(chunk.subarray(offset, offset + copied), this.partialBodyFilledBytes);
    this.partialBodyFilledBytes += copied;
    if (this.partialBodyFilledBytes === body.length) {
      frames.push(body);
      this.partialBody = null;
      this.partialBodyFilledBytes = 0;
    }
    return offset + copied;
  }

  private checkLength(bodyLength: number): void {
    if (bodyLength < 0 || bodyLength > this.frameLengthMaxBytes) {
      this.failure = new FrameError(bodyLength, this.frameLengthMaxBytes);
      throw this.failure;
    }
  }
}

function readInt32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];
}
