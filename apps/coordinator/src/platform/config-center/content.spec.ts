// Value validation by content type and the unified diff between revisions.
import { describe, expect, it } from 'vitest';
import { parseError } from './content-types';
import { unifiedDiff } from './unified-diff';

describe('config value validation', () => {
  it.each([
    ['json', '{"a": 1}', false],
    ['json', '{"a": 1', true],
    ['yaml', 'a: 1\nb: [1, 2]\n', false],
    ['yaml', 'a: [1, 2\nb: 3', true],
    ['yaml', 'a: 1\na: 2\n', true],
    ['properties', 'a=1\nb : 2\n# comment\n', false],
    ['properties', 'a=\\u12\n', true],
    ['text', '{ whatever', false],
  ] as const)('%s %j → error %s', (contentType, value, refused) => {
    expect(parseError(value, contentType) !== undefined).toBe(refused);
  });
});

describe('unified diff', () => {
  it('shows a changed line with its context', () => {
    const diff = unifiedDiff('a\nb\nc\n', 'a\nB\nc\n', 'r1', 'r2');
    expect(diff).toBe('--- r1\n+++ r2\n@@ -1,4 +1,4 @@\n a\n-b\n+B\n c\n \n');
  });
  it('is empty of hunks when nothing changed', () => {
    expect(unifiedDiff('x', 'x', 'a', 'b')).toBe('--- a\n+++ b\n');
  });
});
