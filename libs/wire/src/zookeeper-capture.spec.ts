// Golden bytes from the real thing: every frame of sessions recorded between clients and ZooKeeper 3.8.0
// decodes, and re-encodes to the very same bytes (the one known exception is spelled out below).
import { describe, expect, it } from 'vitest';
import { decodeReply, encodeRequest } from './client-codec';
import { decodeConnectRequest, decodeConnectResponse, encodeConnectRequest, encodeConnectResponse } from './connect-codec';
import { ErrorCode, OpCode } from './constants';
import capture from './fixtures/zookeeper-3.8.0-capture.json';
import { FrameDecoder } from './frame-decoder';
import type { ConnectRequest } from './records';
import { decodeRequest, encodeReply, encodeWatcherEvent } from './server-codec';
import { WireError } from './wire-error';

interface CapturedFrame {
  dir: string;
  step?: string;
  hex: string;
}

const fromHex = (h: string): Uint8Array => new Uint8Array((h.match(/../g) ?? []).map((b) => parseInt(b, 16)));
const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
/** The frame as it was on the wire: length prefix + body. */
const framedHex = (bodyHex: string): string => (bodyHex.length / 2).toString(16).padStart(8, '0') + bodyHex;

function refusal(fn: () => unknown): WireError {
  try {
    fn();
  } catch (error) {
    if (error instanceof WireError) return error;
    throw error;
  }
  throw new Error('expected a WireError');
}

/** Requests ZooKeeper itself refused: the codec must refuse them the same way. */
const refusedSteps: Record<string, number> = {
  'getData with truncated body': ErrorCode.marshallingError,
  'unknown opcode 999': ErrorCode.unimplemented,
};

describe.each(capture.connections)('ZooKeeper 3.8.0 capture: $name', ({ frames }: { frames: CapturedFrame[] }) => {
  const opOfXid = new Map<number, number>();
  let connectRequest: ConnectRequest | undefined;
  let lastStep = 'connect';

  // Frames are checked in wire order: replies are decoded with the ops of the requests before them.
  it.each(frames.map((frame, index) => ({ ...frame, index })))('frame $index ($dir $step)', (frame) => {
    const body = fromHex(frame.hex);
    if (frame.dir === 'c2s') lastStep = frame.step ?? lastStep;

    if (frame.index === 0) {
      connectRequest = decodeConnectRequest(body);
      expect(hex(encodeConnectRequest(connectRequest))).toBe(framedHex(frame.hex));
      return;
    }
    if (frame.index === 1) {
      const response = decodeConnectResponse(body);
      const includeReadOnly = connectRequest?.readOnly !== undefined;
      expect(hex(encodeConnectResponse(response, { includeReadOnly }))).toBe(framedHex(frame.hex));
      return;
    }
    if (frame.dir === 'c2s') {
      const refusedWith = refusedSteps[lastStep];
      if (refusedWith !== undefined) {
        const error = refusal(() => decodeRequest(body));
        expect(error.code).toBe(refusedWith);
        // ZooKeeper answered these xids too (marshallingError / unimplemented): the header makes that possible.
        expect(error.header).toBeDefined();
        if (error.header) opOfXid.set(error.header.xid, error.header.type);
        return;
      }
      const { header, request } = decodeRequest(body);
      opOfXid.set(header.xid, header.type);
      // Byte for byte, null data (length -1) included: it travels as NULL_DATA.
      expect(hex(encodeRequest(header, request))).toBe(framedHex(frame.hex));
      return;
    }
    const reply = decodeReply(body, (xid) => opOfXid.get(xid));
    const reencoded = reply.event ? encodeWatcherEvent(reply.event, reply.header.zxid) : encodeReply(reply.header, reply.response);
    expect(hex(reencoded)).toBe(framedHex(frame.hex));
  });
});

describe('ZooKeeper 3.8.0 capture through the FrameDecoder', () => {
  it.each(capture.connections)('splits $name back into its frames, whatever the chunking', ({ frames }) => {
    for (const dir of ['c2s', 's2c']) {
      const bodies = frames.filter((f) => f.dir === dir).map((f) => f.hex);
      const stream = fromHex(bodies.map(framedHex).join(''));
      for (const chunkBytes of [1, 3, 7, 64, stream.length]) {
        const decoder = new FrameDecoder(0xfffff);
        const out: string[] = [];
        for (let i = 0; i < stream.length; i += chunkBytes) out.push(...decoder.push(stream.subarray(i, i + chunkBytes)).map(hex));
        expect(out).toEqual(bodies);
      }
    }
  });
});

describe('facts the capture shows', () => {
  const java = capture.connections[0].frames as CapturedFrame[];
  const reply = (step: string): string => java[java.findIndex((f) => f.step === step) + 1].hex;

  it('a multi whose op failed is answered with err 0 and ErrorResults (ok, badVersion, runtimeInconsistency)', () => {
    const decoded = decodeReply(fromHex(reply('multi fails at check -> ErrorResults')), () => OpCode.multi);
    expect(decoded.header.err).toBe(ErrorCode.ok);
    expect(decoded.response).toEqual({
      op: OpCode.multi,
      results: [
        { op: OpCode.error, err: ErrorCode.ok },
        { op: OpCode.error, err: ErrorCode.badVersion },
        { op: OpCode.error, err: ErrorCode.runtimeInconsistency },
      ],
    });
  });

  it('exists on a missing node is an error reply (noNode), not a null Stat', () => {
    expect(decodeReply(fromHex(reply('exists missing -> noNode')), () => OpCode.exists).header.err).toBe(ErrorCode.noNode);
  });

  it('a multiRead answers each failed read with an ErrorResult and still succeeds', () => {
    const decoded = decodeReply(fromHex(reply('multiRead with a missing node')), () => OpCode.multiRead);
    expect(decoded.header.err).toBe(ErrorCode.ok);
    expect(decoded.response).toMatchObject({
      results: [{ op: OpCode.getChildren }, { op: OpCode.getData }, { op: OpCode.error, err: ErrorCode.noNode }],
    });
  });
});
