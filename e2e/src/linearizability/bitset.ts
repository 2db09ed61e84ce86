// A fixed-size set of operation indices with a hash kept up to date on every change: the "which operations
// are linearized so far" half of the search's memo key, compared by content.

function mix(index: number): number {
  // A 32-bit integer hash (murmur3's finaliser) so that XOR-ing the members' mixes spreads well.
  let h = Math.imul(index ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

export class Bitset {
  private readonly words: Uint32Array;
  /** XOR of the members' mixes: adding and removing a member are the same O(1) update. */
  private hashValue = 0;

  constructor(readonly size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  has(index: number): boolean {
    return (this.words[index >>> 5] & (1 << (index & 31))) !== 0;
  }

  add(index: number): void {
    if (this.has(index)) return;
    this.words[index >>> 5] |= 1 << (index & 31);
    this.hashValue ^= mix(index);
  }

  delete(index: number): void {
    if (!this.has(index)) return;
    this.words[index >>> 5] &= ~(1 << (index & 31));
    this.hashValue ^= mix(index);
  }

  hash(): number {
    return this.hashValue;
  }

  equalsWords(other: Uint32Array): boolean {
    for (let i = 0; i < this.words.length; i++) if (this.words[i] !== other[i]) return false;
    return true;
  }

  /** A copy of the members, for the memo to keep after this set changes. */
  snapshot(): Uint32Array {
    return this.words.slice();
  }
}
