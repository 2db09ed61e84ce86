import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32InJavaScript, DataTree } from '@zk/datatree';
import { nativeCrc32OfChunks } from './native-crc32';

describe('the native CRC-32 for tree digests', () => {
  it('is the same function as the JavaScript one, on any chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 5 }), (chunks) => {
        expect(nativeCrc32OfChunks(chunks)).toBe(crc32InJavaScript(chunks));
      }),
    );
    expect(nativeCrc32OfChunks([new TextEncoder().encode('123456789')])).toBe(0xcbf43926);
  });

  it('gives an empty tree the digest ZooKeeper-style digests start from', () => {
    expect(new DataTree().digest()).toBe(1371985504n);
  });
});
