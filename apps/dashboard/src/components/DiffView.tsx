'use client';
// A line diff as hunks: removed lines red with "-", added green with "+" (signs and line numbers, not colour alone).
import type { DiffHunk } from '../lib/diff';

export function DiffView({ hunks, label }: { hunks: DiffHunk[]; label: string }) {
  if (hunks.length === 0) return <p className="muted small">No differences.</p>;
  return (
    <div className="diff" role="table" aria-label={label}>
      {hunks.map((hunk, hunkIndex) => (
        <div key={hunkIndex} role="rowgroup">
          <div className="diff-hunk" role="row">
            <span role="cell">{hunk.header}</span>
          </div>
          {hunk.lines.map((line, index) => (
            <div key={index} role="row" className={`diff-line ${line.kind === 'add' ? 'diff-add' : line.kind === 'del' ? 'diff-del' : ''}`}>
              <span role="cell" className="no">
                {line.oldNo ?? ''}
              </span>
              <span role="cell" className="no">
                {line.newNo ?? ''}
              </span>
              <span role="cell" aria-label={line.kind === 'add' ? 'added' : line.kind === 'del' ? 'removed' : 'unchanged'}>
                {line.kind === 'add' ? '+' : line.kind === 'del' ? '-' : ' '}
              </span>
              <span role="cell">{line.text}</span>
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
