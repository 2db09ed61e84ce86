// FrameDecoder: frames split anywhere, many per chunk, zero-copy when whole, and bad lengths poison it.
import { describe, expect, it } from 'vitest';
import { FrameDecoder } from './frame-decoder';
import { JuteWriter } from './jute-writer';
import { FrameError } from './wire-error';

const frameOf = (...bytes: number[]): Uint8Array => new JuteWriter().buffer(new Uint8Array(bytes)).toBytes();
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
};
const bodies = [new Uint8Array([1, 2, 3, 4, 5]), new Uint8Array(0), new Uint8Array([9]), new Uint8Array(300).fill(7)];
const stream = concat(...bodies.map((b) => frameOf(...b)));

describe('FrameDecoder', () => {
  it('returns every frame of a chunk that holds several', () => {
    expect(new FrameDecoder(1024).push(stream)).toEqual(bodies);
  });

  it('reassembles frames whatever byte boundary splits the stream in two', () => {
    for (let split = 0; split <= stream.length; split++) {
      const decoder = new FrameDecoder(1024);
      const frames = [...decoder.push(stream.subarray(0, split)), ...decoder.push(stream.subarray(split))];
      expect(frames, `split at ${split}`).toEqual(bodies);
      expect(decoder.bufferedBytes).toBe(0);
    }
  });

  it('reassembles frames fed one byte at a time', () => {
    const decoder = new FrameDecoder(1024);
    const frames: Uint8Array[] = [];
    for (let i = 0; i < stream.length; i++) frames.push(...decoder.push(stream.subarray(i, i + 1)));
    expect(frames).toEqual(bodies);
  });

  it('hands out views into the chunk for frames that lie wholly inside it', () => {
    const chunk = concat(frameOf(1, 2), frameOf(3));
    const [first, second] = new FrameDecoder(16).push(chunk);
    expect(first.buffer).toBe(chunk.buffer);
    expect(second.buffer).toBe(chunk.buffer);
    expect(second.byteOffset).toBe(chunk.byteOffset + 10);
  });

  it('keeps an incomplete frame until the rest arrives', () => {
    const decoder = new FrameDecoder(16);
    expect(decoder.push(new Uint8Array([0, 0, 0, 3, 1]))).toEqual([]);
    expect(decoder.bufferedBytes).toBe(1);
    expect(decoder.push(new Uint8Array([2, 3, 0, 0]))).toEqual([new Uint8Array([1, 2, 3])]);
    expect(decoder.bufferedBytes).toBe(2);
  });

  it('accepts a frame of exactly the limit', () => {
    expect(new FrameDecoder(3).push(frameOf(1, 2, 3))).toEqual([new Uint8Array([1, 2, 3])]);
  });

  it('rejects a length above the limit, naming the length and the limit', () => {
    const decoder = new FrameDecoder(3);
    expect(() => decoder.push(frameOf(1, 2, 3, 4))).toThrow(new FrameError(4, 3));
    expect(() => decoder.push(frameOf(1, 2, 3, 4))).toThrow('frame length 4 bytes is outside the allowed range 0..3');
  });

  it('rejects a negative length even when it arrives split', () => {
    const decoder = new FrameDecoder(1024);
    expect(decoder.push(new Uint8Array([0xff, 0xff]))).toEqual([]);
    let caught: unknown;
    try {
      decoder.push(new Uint8Array([0xff, 0xfe]));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FrameError);
    expect((caught as FrameError).frameLengthBytes).toBe(-2);
  });

  it('exposes the length so a server can recognise a four-letter word such as "ruok"', () => {
    const ruok = new TextEncoder().encode('ruok');
    expect(() => new FrameDecoder(0xfffff).push(ruok)).toThrow(expect.objectContaining({ frameLengthBytes: 0x72756f6b }));
  });

  it('stays unusable after a bad length, even for good input', () => {
    const decoder = new FrameDecoder(3);
    expect(() => decoder.push(frameOf(1, 2, 3, 4))).toThrow(FrameError);
    expect(() => decoder.push(frameOf(1))).toThrow(FrameError);
  });

  it('fails the whole chunk that holds a bad length: the connection is closed anyway', () => {
    const decoder = new FrameDecoder(3);
    expect(() => decoder.push(concat(frameOf(1), frameOf(1, 2, 3, 4)))).toThrow(FrameError);
  });

  it('refuses a limit outside 0..2^31-1', () => {
    expect(() => new FrameDecoder(-1)).toThrow(RangeError);
    expect(() => new FrameDecoder(2 ** 31)).toThrow(RangeError);
  });
});
