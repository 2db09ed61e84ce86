// A unified diff of two texts by lines (LCS), with three lines of context per hunk: what the dashboard shows
// between two revisions of a config value.
const CONTEXT_LINES = 3;
/** Beyond this many lines on either side the LCS table would be too large: fall back to one replace hunk. */
const LINES_MAX = 5_000;

type Edit = { kind: ' ' | '-' | '+'; text: string };

function edits(a: string[], b: string[]): Edit[] {
  if (a.length > LINES_MAX || b.length > LINES_MAX) return [...a.map((text) => ({ kind: '-' as const, text })), ...b.map((text) => ({ kind: '+' as const, text }))];
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const result: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      result.push({ kind: ' ', text: a[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) result.push({ kind: '-', text: a[i++] });
    else result.push({ kind: '+', text: b[j++] });
  }
  while (i < n) result.push({ kind: '-', text: a[i++] });
  while (j < m) result.push({ kind: '+', text: b[j++] });
  return result;
}

export function unifiedDiff(before: string, after: string, fromLabel: string, toLabel: string): string {
  const a = before === '' ? [] : before.split('\n');
  const b = after === '' ? [] : after.split('\n');
  const all = edits(a, b);
  const lines = [`--- ${fromLabel}`, `+++ ${toLabel}`];
  const changed = all.map((edit, index) => (edit.kind === ' ' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return lines.join('\n') + '\n';
  // Group changes whose context overlaps into hunks.
  const hunks: Array<[number, number]> = [];
  for (const index of changed) {
    const start = Math.max(0, index - CONTEXT_LINES);
    const end = Math.min(all.length, index + CONTEXT_LINES + 1);
    const last = hunks[hunks.length - 1];
    if (last && start <= last[1]) last[1] = end;
    else hunks.push([start, end]);
  }
  for (const [start, end] of hunks) {
    let aStart = 1;
    let bStart = 1;
    for (let k = 0; k < start; k++) {
      if (all[k].kind !== '+') aStart++;
      if (all[k].kind !== '-') bStart++;
    }
    const slice = all.slice(start, end);
    const aCount = slice.filter((e) => e.kind !== '+').length;
    const bCount = slice.filter((e) => e.kind !== '-').length;
    lines.push(`@@ -${aCount === 0 ? aStart - 1 : aStart},${aCount} +${bCount === 0 ? bStart - 1 : bStart},${bCount} @@`);
    for (const edit of slice) lines.push(`${edit.kind}${edit.text}`);
  }
  return lines.join('\n') + '\n';
}
