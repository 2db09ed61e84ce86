'use client';
// Gray release: a candidate value served only to chosen instances, then promoted to all or withdrawn.
import { useState } from 'react';
import { useAction } from '../../hooks/useAction';
import type { ConfigValue, ContentType } from '../../lib/api-types';
import { keyPath } from '../../lib/config-paths';
import { checkSyntax } from '../../lib/syntax';
import { useApp } from '../AppProvider';
import { ResultNotice } from '../ResultNotice';

interface Props {
  namespace: string;
  group: string;
  keyName: string;
  current: ConfigValue;
  draft: string;
  contentType: ContentType;
  canEdit: boolean;
  onChanged(): void;
}

export function parseTargets(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((target) => target.trim()).filter((target) => target !== ''))];
}

export function GrayRelease({ namespace, group, keyName, current, draft, contentType, canEdit, onChanged }: Props) {
  const { client } = useApp();
  const [targets, setTargets] = useState((current.gray?.targets ?? []).join(', '));
  const action = useAction();
  const base = `${keyPath(namespace, group, keyName)}/gray`;
  const list = parseTargets(targets);
  const syntax = checkSyntax(draft, contentType);

  async function start() {
    if (!client) return;
    const done = await action.run(async () => (await client.put<ConfigValue>(base, { value: draft, contentType, targets: list })).data, `Gray release started for ${list.length} instance(s).`);
    if (done) onChanged();
  }
  async function promote() {
    if (!client || !window.confirm('Publish the gray value to every instance?')) return;
    const done = await action.run(async () => (await client.post<ConfigValue>(`${base}/promote`)).data, (value) => `Promoted: revision ${value.revision} is the value for all.`);
    if (done) onChanged();
  }
  async function cancel() {
    if (!client) return;
    const done = await action.run(async () => {
      await client.delete(base);
      return true;
    }, 'Gray release withdrawn: every instance reads the current value.');
    if (done) onChanged();
  }

  return (
    <div className="stack">
      {current.gray ? (
        <div className="notice notice-warn">
          <div>
            In gray release to <strong>{current.gray.targets.join(', ')}</strong> ({current.gray.contentType}):
            <pre className="small">{current.gray.value}</pre>
          </div>
          {canEdit ? (
            <div className="row">
              <button type="button" onClick={promote} disabled={action.busy}>
                Promote to all
              </button>
              <button type="button" className="secondary" onClick={cancel} disabled={action.busy}>
                Withdraw
              </button>
            </div>
          ) : null}
        </div>
      ) : (
        <p className="muted small">No gray release is running for this key.</p>
      )}
      {canEdit ? (
        <div className="row">
          <div className="field" style={{ flex: 1 }}>
            <label htmlFor="gray-targets">Instances (ids or hosts, comma separated)</label>
            <input id="gray-targets" value={targets} onChange={(event) => setTargets(event.target.value)} placeholder="orders-1, 10.0.0.7" />
          </div>
          <button type="button" onClick={start} disabled={action.busy || list.length === 0 || !syntax.ok}>
            Send the editor&apos;s value to these only
          </button>
        </div>
      ) : null}
      <ResultNotice result={action.result} onReload={onChanged} />
    </div>
  );
}
