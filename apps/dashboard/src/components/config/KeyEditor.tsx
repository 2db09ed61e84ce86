'use client';
// One config key: edit with a syntax check, review the diff against the current value, publish against its
// version (a 412 says someone else changed it and offers to reload); history, gray release and delete below.
import { useCallback, useMemo, useState } from 'react';
import { useAction } from '../../hooks/useAction';
import { useLive } from '../../hooks/useLive';
import { ApiError } from '../../lib/api-client';
import type { ConfigValue, ContentType } from '../../lib/api-types';
import { keyPath } from '../../lib/config-paths';
import { diffLines, diffStats, hasChanges, toHunks } from '../../lib/diff';
import { formatTime } from '../../lib/format';
import { checkSyntax } from '../../lib/syntax';
import { useApp } from '../AppProvider';
import { CodeEditor } from '../CodeEditor';
import { DiffView } from '../DiffView';
import { ErrorNotice, ResultNotice } from '../ResultNotice';
import { useCanEdit } from '../ViewerNote';
import { ConfigHistory } from './ConfigHistory';
import { GrayRelease } from './GrayRelease';

/** null = the key does not exist yet. */
type Loaded = { value: ConfigValue | null };

export function KeyEditor({ namespace, group, keyName }: { namespace: string; group: string; keyName: string }) {
  const { client } = useApp();
  const canEdit = useCanEdit();
  const path = keyPath(namespace, group, keyName);
  const load = useMemo(() => {
    if (!client) return null;
    return async (): Promise<Loaded> => {
      try {
        return { value: (await client.get<ConfigValue>(path)).data };
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return { value: null };
        throw error;
      }
    };
  }, [client, path]);
  const fromEvent = useCallback((data: unknown): Loaded | undefined => (data && typeof data === 'object' && 'value' in data ? { value: data as ConfigValue } : undefined), []);
  const { data, error, reload, setData } = useLive<Loaded>(`config:${namespace}/${group}/${keyName}`, load, 5000, fromEvent);
  const current = data?.value ?? null;

  const [draft, setDraft] = useState('');
  const [contentType, setContentType] = useState<ContentType>('text');
  const [baseVersion, setBaseVersion] = useState<number | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [reviewing, setReviewing] = useState(false);
  const action = useAction();

  // Take the loaded value into the editor: at first, and on live updates while nothing is being edited.
  const loadedId = data ? `${current?.version ?? 'new'}:${current?.value ?? ''}` : null;
  if (loadedId !== null && loadedId !== shown && (shown === null || draft === (shownValueRef(shown) ?? ''))) {
    setShown(loadedId);
    setDraft(current?.value ?? '');
    setContentType(current?.contentType ?? 'text');
    setBaseVersion(current?.version ?? null);
  }

  const diff = useMemo(() => diffLines(current?.value ?? '', draft), [current?.value, draft]);
  const changed = hasChanges(diff) || (current !== null && contentType !== current.contentType);
  const syntax = checkSyntax(draft, contentType);
  const stats = diffStats(diff);

  function reloadCurrent() {
    action.clear();
    setShown(null);
    setReviewing(false);
    void reload();
  }

  async function publish() {
    if (!client) return;
    const value = await action.run(
      async () => (await client.put<ConfigValue>(path, { value: draft, contentType, comment: comment || undefined }, baseVersion === null ? {} : { ifMatch: baseVersion })).data,
      (answer) => `Published revision ${answer.revision} (version ${answer.version}).`,
    );
    if (value) {
      setData({ value });
      setShown(`${value.version}:${value.value}`);
      setBaseVersion(value.version);
      setComment('');
      setReviewing(false);
    }
  }

  async function remove() {
    if (!client || !current || !window.confirm(`Delete ${namespace}/${group}/${keyName}? Its history goes too.`)) return;
    const done = await action.run(async () => {
      await client.delete(path, { ifMatch: current.version });
      return true;
    }, `Deleted ${namespace}/${group}/${keyName}.`);
    if (done) setData({ value: null });
  }

  if (!data) return error ? <ErrorNotice error={error} /> : <p aria-live="polite">Loading…</p>;
  return (
    <div className="stack">
      <h2 className="mono" style={{ wordBreak: 'break-all' }}>
        {namespace} / {group} / {keyName}
      </h2>
      <ErrorNotice error={error} />
      <p className="muted small">
        {current
          ? `Version ${current.version}, revision ${current.revision}, by ${current.modifiedBy} at ${formatTime(current.modifiedAt)}${current.comment ? ` — “${current.comment}”` : ''}`
          : 'This key does not exist yet: publishing creates it.'}
      </p>
      {current && baseVersion !== null && current.version !== baseVersion ? (
        <p className="notice notice-warn" role="status">
          Someone published version {current.version} while you were editing version {baseVersion}.{' '}
          <button type="button" className="secondary" onClick={reloadCurrent}>
            Load their version (drops your edit)
          </button>
        </p>
      ) : null}
      {reviewing ? (
        <section aria-labelledby="review-title" className="stack">
          <h3 id="review-title">
            Review: {stats.added} line(s) added, {stats.removed} removed{current && contentType !== current.contentType ? `, type ${current.contentType} → ${contentType}` : ''}
          </h3>
          <DiffView hunks={toHunks(diff)} label="Changes against the current value" />
          <div className="field">
            <label htmlFor="publish-comment">Comment (optional)</label>
            <input id="publish-comment" value={comment} onChange={(event) => setComment(event.target.value)} />
          </div>
          <div className="row">
            <button type="button" onClick={publish} disabled={action.busy || !syntax.ok}>
              {action.busy ? 'Publishing…' : baseVersion === null ? 'Publish (create)' : `Publish (if still version ${baseVersion})`}
            </button>
            <button type="button" className="secondary" onClick={() => setReviewing(false)}>
              Back to editing
            </button>
          </div>
        </section>
      ) : (
        <>
          <CodeEditor label="Value" value={draft} onChange={setDraft} contentType={contentType} onContentTypeChange={canEdit ? setContentType : undefined} readOnly={!canEdit} rows={14} />
          {canEdit ? (
            <div className="row">
              <button type="button" onClick={() => setReviewing(true)} disabled={!changed || !syntax.ok}>
                Review changes…
              </button>
              <button type="button" className="secondary" onClick={reloadCurrent} disabled={!changed}>
                Discard changes
              </button>
              <span className="spacer" />
              {current ? (
                <button type="button" className="danger" onClick={remove} disabled={action.busy}>
                  Delete key
                </button>
              ) : null}
            </div>
          ) : null}
        </>
      )}
      <ResultNotice result={action.result} onReload={reloadCurrent} />
      {current ? (
        <>
          <h3>Gray release</h3>
          <GrayRelease namespace={namespace} group={group} keyName={keyName} current={current} draft={draft} contentType={contentType} canEdit={canEdit} onChanged={() => void reload()} />
          <h3>History</h3>
          <ConfigHistory
            namespace={namespace}
            group={group}
            keyName={keyName}
            current={current}
            canEdit={canEdit}
            onRolledBack={(value) => {
              setData({ value });
            }}
          />
        </>
      ) : null}
    </div>
  );
}

/** The value part of a "version:value" marker. */
function shownValueRef(shown: string): string | null {
  const cut = shown.indexOf(':');
  return cut < 0 ? null : shown.slice(cut + 1);
}
