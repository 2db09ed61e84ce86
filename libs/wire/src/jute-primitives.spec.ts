// JuteWriter / JuteReader: the jute primitives byte for byte, and the reader's refusal of bad lengths.
import { describe, expect, it } from 'vitest';
import { ErrorCode } from './constants';
import { JuteReader } from './jute-reader';
import { JuteWriter } from './jute-writer';
import { sampleAcls, sampleStat } from './wire-samples';
import { WireError } from './wire-error';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (h: string): Uint8Array => new Uint8Array((h.replace(/\s+/g, '').match(/../g) ?? []).map((b) => parseInt(b, 16)));

function expectWireError(fn: () => unknown, code: number = ErrorCode.marshallingError, message?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(WireError);
  expect((caught as WireError).code).toBe(code);
  if (message) expect((caught as WireError).message).toMatch(message);
}

describe('JuteWriter writes big-endian jute primitives', () => {
  it.each([
    ['int 1', (w: JuteWriter) => w.int(1), '00000001'],
    ['int -1', (w: JuteWriter) => w.int(-1), 'ffffffff'],
    ['int max', (w: JuteWriter) => w.int(0x7fffffff), '7fffffff'],
    ['int min', (w: JuteWriter) => w.int(-0x80000000), '80000000'],
    ['long', (w: JuteWriter) => w.long(0x0102030405060708n), '0102030405060708'],
    ['long -1', (w: JuteWriter) => w.long(-1n), 'ffffffffffffffff'],
    ['bool true', (w: JuteWriter) => w.bool(true), '01'],
    ['bool false', (w: JuteWriter) => w.bool(false), '00'],
    ['buffer', (w: JuteWriter) => w.buffer(new Uint8Array([0xca, 0xfe])), '00000002cafe'],
    ['empty buffer', (w: JuteWriter) => w.buffer(new Uint8Array(0)), '00000000'],
    ['null buffer', (w: JuteWriter) => w.buffer(null), 'ffffffff'],
    ['ascii string', (w: JuteWriter) => w.string('/a'), '000000022f61'],
    ['utf-8 string', (w: JuteWriter) => w.string('\u00e9\u2713\ud83d\ude00'), '00000009c3a9e29c93f09f9880'],
    ['null string', (w: JuteWriter) => w.string(null), 'ffffffff'],
    ['id', (w: JuteWriter) => w.id({ scheme: 'ip', id: '::1' }), '000000026970' + '000000033a3a31'],
    [
      'acl',
      (w: JuteWriter) => w.acl({ perms: 31, id: { scheme: 'world', id: 'anyone' } }),
      '0000001f' + '00000005776f726c64' + '00000006616e796f6e65',
    ],
    ['null acl list', (w: JuteWriter) => w.aclList(null), 'ffffffff'],
    ['string list', (w: JuteWriter) => w.stringList(['a', '']), '00000002' + '0000000161' + '00000000'],
    ['null string list', (w: JuteWriter) => w.stringList(null), 'ffffffff'],
  ])('%s', (_name, write, expected) => {
    const w = new JuteWriter();
    write(w);
    expect(hex(w.toBytes())).toBe(expected);
  });

  it('writes Stat as its 11 fields in jute order (68 bytes)', () => {
    const bytes = new JuteWriter().stat(sampleStat).toBytes();
    expect(bytes.length).toBe(68);
    expect(hex(bytes)).toBe(
      '0000000100000002' + '0000000100000007' + '0000018bcfe5687b' + '0000018bcfe579d7' +
        '00000003' + '00000002' + '00000001' + '01000000abcdef01' + '00000005' + '00000002' + '0000000100000005',
    );
  });

  it('framed() prefixes the body with its length without copying it', () => {
    const w = new JuteWriter(1).int(7).string('abc');
    expect(hex(w.framed())).toBe('0000000b' + '00000007' + '00000003616263');
    expect(w.framed().buffer).toBe(w.toBytes().buffer);
  });

  it('grows past its initial capacity, keeping what was written', () => {
    const w = new JuteWriter(1);
    const long = 'x'.repeat(10_000) + '\u2713';
    w.int(5).string(long).int(6);
    const r = new JuteReader(w.toBytes());
    expect([r.int(), r.string(), r.int(), r.atEnd]).toEqual([5, long, 6, true]);
  });

  it.each([
    ['a fraction', () => new JuteWriter().int(1.5)],
    ['an int above 2^31-1', () => new JuteWriter().int(2 ** 31)],
    ['a long above 2^63-1', () => new JuteWriter().long(2n ** 63n)],
    ['a long below -2^63', () => new JuteWriter().long(-(2n ** 63n) - 1n)],
  ])('refuses %s rather than wrapping it', (_name, write) => {
    expectWireError(write);
  });
});

describe('JuteReader reads what JuteWriter wrote', () => {
  it('round-trips every primitive and shared record', () => {
    const w = new JuteWriter()
      .int(-5)
      .long(-(2n ** 63n))
      .bool(true)
      .buffer(new Uint8Array([1, 2, 3]))
      .buffer(null)
      .string('\ufeffbom kept')
      .string(null)
      .stat(sampleStat)
      .aclList(sampleAcls)
      .aclList(null)
      .stringList(['x', 'y\u00e9'])
      .stringList(null);
    const r = new JuteReader(w.toBytes());
    expect(r.int()).toBe(-5);
    expect(r.long()).toBe(-(2n ** 63n));
    expect(r.bool()).toBe(true);
    expect(r.buffer()).toEqual(new Uint8Array([1, 2, 3]));
    expect(r.buffer()).toBeNull();
    expect(r.string()).toBe('\ufeffbom kept');
    expect(r.string()).toBeNull();
    expect(r.stat()).toEqual(sampleStat);
    expect(r.aclList()).toEqual(sampleAcls);
    expect(r.aclList()).toBeNull();
    expect(r.stringList()).toEqual(['x', 'y\u00e9']);
    expect(r.stringList()).toBeNull();
    expect(r.remaining).toBe(0);
    expect(r.atEnd).toBe(true);
  });

  it('reads any non-zero byte as true, like DataInput.readBoolean', () => {
    expect(new JuteReader(fromHex('02')).bool()).toBe(true);
  });

  it('replaces malformed UTF-8 with U+FFFD instead of failing, like Java', () => {
    expect(new JuteReader(fromHex('00000003 61ff62')).string()).toBe('a\ufffdb');
  });

  it('returns buffers that do not share memory with the frame', () => {
    const frame = fromHex('00000002 0102');
    const b = new JuteReader(frame).buffer() as Uint8Array;
    frame[4] = 9;
    expect(b).toEqual(new Uint8Array([1, 2]));
    // A socket chunk is a Node Buffer, whose own slice() is a view: the copy must not depend on that.
    const chunk = Buffer.from(fromHex('00000002 0304'));
    const c = new JuteReader(chunk).buffer() as Uint8Array;
    chunk[4] = 9;
    expect([...c]).toEqual([3, 4]);
  });

  it('reads from a view at an offset into a larger buffer', () => {
    const backing = fromHex('ffff 00000007 ffff');
    const r = new JuteReader(backing.subarray(2, 6));
    expect(r.int()).toBe(7);
  });

  it.each([
    ['an int past the end', '000000', (r: JuteReader) => r.int(), /needs 4 bytes, 3 remain/],
    ['a long past the end', '00000000', (r: JuteReader) => r.long(), /needs 8 bytes/],
    ['a bool past the end', '', (r: JuteReader) => r.bool(), /needs 1 bytes/],
    ['a string length of -2', 'fffffffe', (r: JuteReader) => r.string(), /negative length -2/],
    ['a buffer longer than what remains', '00000005 01020304', (r: JuteReader) => r.buffer(), /length 5 .* exceeds the 4 bytes remaining/],
    ['a string longer than what remains', '7fffffff', (r: JuteReader) => r.string(), /exceeds/],
    ['a vector count the bytes cannot hold', '00100000 00000000', (r: JuteReader) => r.stringList(), /exceeds/],
    ['an ACL vector count the bytes cannot hold', '00000002 00000000 00000000 00000000', (r: JuteReader) => r.aclList(), /exceeds/],
    ['a null element in a string vector', '00000001 ffffffff', (r: JuteReader) => r.stringList(), /element is null/],
    ['a null id scheme', 'ffffffff 00000000', (r: JuteReader) => r.id(), /id.scheme is null/],
    ['a truncated stat', '00'.repeat(67), (r: JuteReader) => r.stat(), /needs/],
  ])('throws WireError(marshallingError) for %s', (_name, input, read, message) => {
    expectWireError(() => read(new JuteReader(fromHex(input))), ErrorCode.marshallingError, message);
  });
});
