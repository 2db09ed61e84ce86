import { describe, expect, it } from 'vitest';
import { sequenceOf, sortBySequence } from './sequential-nodes';

describe('sequential node names', () => {
  it('reads the 10-digit suffix', () => {
    expect(sequenceOf('lock-0000000042')).toBe(42);
    expect(() => sequenceOf('lock-42')).toThrow();
  });

  it('sorts by sequence, not by the random protected prefix', () => {
    const children = ['_c_b-lock-0000000002', '_c_a-lock-0000000003', '_c_c-lock-0000000001', 'other', 'lock-x'];
    expect(sortBySequence(children, 'lock-')).toEqual(['_c_c-lock-0000000001', '_c_b-lock-0000000002', '_c_a-lock-0000000003']);
  });
});
