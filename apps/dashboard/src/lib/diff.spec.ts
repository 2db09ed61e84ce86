import { describe, expect, it } from 'vitest';
import { diffLines, diffStats, hasChanges, parseUnified, toHunks, unifiedDiff } from './diff';

describe('line diff', () => {
  it('marks a changed line as removed and added, with line numbers on both sides', () => {
    const lines = diffLines('a\nb\nc\n', 'a\nB\nc\n');
    expect(lines).toEqual([
      { kind: 'same', text: 'a', oldNo: 1, newNo: 1 },
      { kind: 'del', text: 'b', oldNo: 2 },
      { kind: 'add', text: 'B', newNo: 2 },
      { kind: 'same', text: 'c', oldNo: 3, newNo: 3 },
    ]);
    expect(diffStats(lines)).toEqual({ added: 1, removed: 1 });
  });

  it('finds no changes between equal texts, whatever the line endings', () => {
    expect(hasChanges(diffLines('x\r\ny\n', 'x\ny'))).toBe(false);
  });

  it('diffs from and to empty values', () => {
    expect(diffLines('', 'one\ntwo').map((line) => line.kind)).toEqual(['add', 'add']);
    expect(diffLines('one', '').map((line) => line.kind)).toEqual(['del']);
  });

  it('keeps the longest common subsequence of lines', () => {
    const lines = diffLines('a\nb\nc\nd', 'a\nc\nd\ne');
    expect(lines.filter((line) => line.kind === 'same').map((line) => line.text)).toEqual(['a', 'c', 'd']);
  });
});

describe('hunks and unified text', () => {
  const oldText = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n');
  const newText = oldText.replace('line 3', 'line three').replace('line 18', 'line eighteen');

  it('groups distant changes into separate hunks with 3 lines of context', () => {
    const hunks = toHunks(diffLines(oldText, newText));
    expect(hunks.map((hunk) => hunk.header)).toEqual(['@@ -1,6 +1,6 @@', '@@ -15,6 +15,6 @@']);
  });

  it('writes unified text that parses back to the same lines', () => {
    const text = unifiedDiff(oldText, newText, 'rev 1', 'rev 2');
    expect(text.split('\n').slice(0, 3)).toEqual(['--- rev 1', '+++ rev 2', '@@ -1,6 +1,6 @@']);
    const parsed = parseUnified(text);
    expect(parsed).toEqual(toHunks(diffLines(oldText, newText)));
  });

  it('reads a unified diff as the API returns it', () => {
    const hunks = parseUnified('--- a\n+++ b\n@@ -2,2 +2,2 @@\n keep\n-old\n+new\n');
    expect(hunks).toHaveLength(1);
    expect(hunks[0].lines).toEqual([
      { kind: 'same', text: 'keep', oldNo: 2, newNo: 2 },
      { kind: 'del', text: 'old', oldNo: 3 },
      { kind: 'add', text: 'new', newNo: 3 },
    ]);
  });

  it('has no hunks and no text when nothing changed', () => {
    expect(toHunks(diffLines('same', 'same'))).toEqual([]);
    expect(unifiedDiff('same', 'same')).toBe('');
  });
});
