'use client';
// One change at a time from a form: busy while it runs, then its result or a clear error (a 412 is flagged so the
// page can offer to reload).
import { useCallback, useState } from 'react';
import { ApiError, describeError } from '../lib/api-client';

export interface ActionResult {
  kind: 'ok' | 'error';
  message: string;
  conflict: boolean;
}

export interface Action {
  busy: boolean;
  result: ActionResult | null;
  run<T>(change: () => Promise<T>, success: string | ((value: T) => string)): Promise<T | undefined>;
  clear(): void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ActionResult | null>(null);

  const run = useCallback(async <T,>(change: () => Promise<T>, success: string | ((value: T) => string)): Promise<T | undefined> => {
    setBusy(true);
    setResult(null);
    try {
      const value = await change();
      setResult({ kind: 'ok', message: typeof success === 'function' ? success(value) : success, conflict: false });
      return value;
    } catch (error) {
      setResult({ kind: 'error', message: describeError(error), conflict: error instanceof ApiError && error.isVersionConflict });
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);

  const clear = useCallback(() => setResult(null), []);
  return { busy, result, run, clear };
}
