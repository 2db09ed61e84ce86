import { describe, expect, it } from 'vitest';
import { CreateFlag, OpCode } from '@zk/wire';
import { decodeQuorumFrame, encodeQuorumFrame, type QuorumFrame } from './quorum-frames';

const frames: QuorumFrame[] = [
  {
    kind: 'forward',
    sessionId: 0x0100000000000001n,
    cxid: 7,
    op: {
      kind: 'request',
      request: { op: OpCode.create, path: '/a', data: new Uint8Array([1, 2]), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: CreateFlag.ephemeral },
      authIds: [{ scheme: 'ip', id: '127.0.0.1' }, { scheme: 'digest', id: 'u:h' }],
    },
  },
  { kind: 'forward', sessionId: 5n, cxid: 0, op: { kind: 'createSession', timeoutMs: 4000 } },
  { kind: 'forward', sessionId: -5n, cxid: 3, op: { kind: 'closeSession' } },
  { kind: 'touch', sessions: [{ sessionId: 1n, timeoutMs: 2000 }, { sessionId: 2n, timeoutMs: 3000 }] },
  { kind: 'syncRequest', token: 42 },
  { kind: 'syncReply', token: 42, zxid: 0x100000005n },
  { kind: 'refused', sessionId: 9n, cxid: 4, err: -4 },
];

describe('quorum frames', () => {
  it.each(frames.map((frame) => [frame.kind, frame] as const))('round-trips a %s frame', (_kind, frame) => {
    expect(decodeQuorumFrame(encodeQuorumFrame(frame))).toEqual(frame);
  });

  it('refuses an unknown kind and an empty frame', () => {
    expect(() => decodeQuorumFrame(new Uint8Array([99]))).toThrow(/unknown quorum frame kind/);
    expect(() => decodeQuorumFrame(new Uint8Array(0))).toThrow(/empty/);
  });
});
