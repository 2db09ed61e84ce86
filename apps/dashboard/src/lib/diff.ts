// Line diffs for "what will change" before publishing and for config history: an LCS over lines, grouped into
// hunks with context, plus a reader for the unified text the API's /diff returns.
export type DiffKind = 'same' | 'add' | 'del';

export interface DiffLine {
  kind: DiffKind;
  text: string;
  /** 1-based line number in the old text (absent for an added line). */
  oldNo?: number;
  /** 1-based line number in the new text (absent for a removed line). */
  newNo?: number;
}

export interface DiffHunk {
  header: string;
  lines: DiffLine[];
}

/** Above this many cells the LCS table is too big: fall back to "all removed, all added". */
const LCS_CELLS_MAX = 4_000_000;

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Every line of both texts, in order, marked same / del / add. */
export function diffLines(oldText: string, newText: string): DiffLine[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  // Common prefix and suffix first: most edits touch a few lines of a long value.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffLine[] = [];
  for (let i = 0; i < start; i++) out.push({ kind: 'same', text: a[i], oldNo: i + 1, newNo: i + 1 });
  out.push(...middle(a, b, start, endA, start, endB));
  for (let i = endA, j = endB; i < a.length; i++, j++) out.push({ kind: 'same', text: a[i], oldNo: i + 1, newNo: j + 1 });
  return out;
}

function middle(a: string[], b: string[], fromA: number, toA: number, fromB: number, toB: number): DiffLine[] {
  const n = toA - fromA;
  const m = toB - fromB;
  const out: DiffLine[] = [];
  if (n * m > LCS_CELLS_MAX) {
    for (let i = fromA; i < toA; i++) out.push({ kind: 'del', text: a[i], oldNo: i + 1 });
    for (let j = fromB; j < toB; j++) out.push({ kind: 'add', text: b[j], newNo: j + 1 });
    return out;
  }
  // lcs[i][j]: length of the LCS of a[fromA+i..toA) and b[fromB+j..toB).
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[fromA + i] === b[fromB + j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[fromA + i] === b[fromB + j]) {
      out.push({ kind: 'same', text: a[fromA + i], oldNo: fromA + i + 1, newNo: fromB + j + 1 });
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] > lcs[i + 1][j])) {
      out.push({ kind: 'add', text: b[fromB + j], newNo: fromB + j + 1 });
      j++;
    } else {
      out.push({ kind: 'del', text: a[fromA + i], oldNo: fromA + i + 1 });
      i++;
    }
  }
  return out;
}

export function hasChanges(lines: DiffLine[]): boolean {
  return lines.some((line) => line.kind !== 'same');
}

export function diffStats(lines: DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of lines) {
    if (line.kind === 'add') added++;
    else if (line.kind === 'del') removed++;
  }
  return { added, removed };
}

/** Groups changed lines with `context` unchanged lines around them, as `@@ -a,b +c,d @@` hunks. */
export function toHunks(lines: DiffLine[], context = 3): DiffHunk[] {
  const changed = lines.map((line, index) => (line.kind === 'same' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return [];
  const ranges: [number, number][] = [];
  for (const index of changed) {
    const from = Math.max(0, index - context);
    const to = Math.min(lines.length - 1, index + context);
    const last = ranges[ranges.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else ranges.push([from, to]);
  }
  return ranges.map(([from, to]) => {
    const slice = lines.slice(from, to + 1);
    const oldLines = slice.filter((line) => line.kind !== 'add');
    const newLines = slice.filter((line) => line.kind !== 'del');
    const oldStart = oldLines[0]?.oldNo ?? previousNumber(lines, from, 'oldNo');
    const newStart = newLines[0]?.newNo ?? previousNumber(lines, from, 'newNo');
    return { header: `@@ -${oldStart},${oldLines.length} +${newStart},${newLines.length} @@`, lines: slice };
  });
}

function previousNumber(lines: DiffLine[], before: number, field: 'oldNo' | 'newNo'): number {
  for (let i = before - 1; i >= 0; i--) {
    const value = lines[i][field];
    if (value !== undefined) return value;
  }
  return 0;
}

/** The unified text of two values (what `diff -u` would print, without timestamps). */
export function unifiedDiff(oldText: string, newText: string, oldName = 'current', newName = 'proposed', context = 3): string {
  const hunks = toHunks(diffLines(oldText, newText), context);
  if (hunks.length === 0) return '';
  const body = hunks.flatMap((hunk) => [hunk.header, ...hunk.lines.map((line) => `${line.kind === 'add' ? '+' : line.kind === 'del' ? '-' : ' '}${line.text}`)]);
  return [`--- ${oldName}`, `+++ ${newName}`, ...body].join('\n');
}

/** Reads unified diff text (as the API's …/diff returns) into hunks with line numbers. */
export function parseUnified(text: string): DiffHunk[] {
  const hunks: DiffHunk[] = [];
  let current: DiffHunk | undefined;
  let oldNo = 0;
  let newNo = 0;
  for (const raw of splitLines(text)) {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(raw);
    if (header) {
      current = { header: raw, lines: [] };
      hunks.push(current);
      oldNo = Number(header[1]);
      newNo = Number(header[2]);
      continue;
    }
    if (!current || raw.startsWith('--- ') || raw.startsWith('+++ ') || raw.startsWith('\\')) continue;
    const mark = raw[0];
    const body = raw.slice(1);
    if (mark === '+') current.lines.push({ kind: 'add', text: body, newNo: newNo++ });
    else if (mark === '-') current.lines.push({ kind: 'del', text: body, oldNo: oldNo++ });
    else current.lines.push({ kind: 'same', text: body, oldNo: oldNo++, newNo: newNo++ });
  }
  return hunks;
}
