'use client';
// The outcome of a change, announced to screen readers; a version conflict offers to reload.
import type { ActionResult } from '../hooks/useAction';

export function ResultNotice({ result, onReload }: { result: ActionResult | null; onReload?: () => void }) {
  if (!result) return null;
  return (
    <div className={`notice notice-${result.kind}`} role={result.kind === 'error' ? 'alert' : 'status'}>
      <span>{result.message}</span>
      {result.conflict && onReload ? (
        <button type="button" onClick={onReload}>
          Reload the current version
        </button>
      ) : null}
    </div>
  );
}

export function ErrorNotice({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert">
      {error}
    </div>
  );
}
