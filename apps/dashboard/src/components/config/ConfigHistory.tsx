'use client';
// A key's revisions, newest first: each one's diff against the one before (from the API, or computed here), and rollback.
import { useMemo, useState } from 'react';
import { useAction } from '../../hooks/useAction';
import type { ConfigRevision, ConfigValue } from '../../lib/api-types';
import { diffLines, parseUnified, toHunks, type DiffHunk } from '../../lib/diff';
import { keyPath } from '../../lib/config-paths';
import { formatTime } from '../../lib/format';
import { useApp } from '../AppProvider';
import { DiffView } from '../DiffView';
import { ErrorNotice, ResultNotice } from '../ResultNotice';
import { useLive } from '../../hooks/useLive';

interface Props {
  namespace: string;
  group: string;
  keyName: string;
  current: ConfigValue | null;
  canEdit: boolean;
  onRolledBack(value: ConfigValue): void;
}

export function ConfigHistory({ namespace, group, keyName, current, canEdit, onRolledBack }: Props) {
  const { client } = useApp();
  const base = keyPath(namespace, group, keyName);
  const load = useMemo(() => {
    const api = client;
    return api ? async () => (await api.get<ConfigRevision[]>(`${base}/history`)).data : null;
  }, [client, base]);
  // Reloaded whenever the current version changes (the key's topic drives the editor; history follows it).
  const { data: revisions, error, reload } = useLive<ConfigRevision[]>(null, load, 15000);
  const [shown, setShown] = useState<{ revision: number; hunks: DiffHunk[]; label: string } | null>(null);
  const [seenVersion, setSeenVersion] = useState(current?.version);
  const action = useAction();
  if (current?.version !== seenVersion) {
    setSeenVersion(current?.version);
    void reload();
  }

  async function showDiff(revision: ConfigRevision, previous: ConfigRevision | undefined) {
    if (!client) return;
    const label = previous ? `Revision ${revision.revision} against ${previous.revision}` : `Revision ${revision.revision} (the first)`;
    let hunks = toHunks(diffLines(previous?.value ?? '', revision.value));
    if (previous) {
      try {
        const { data } = await client.get<{ unified: string }>(`${base}/diff`, { query: { from: previous.revision, to: revision.revision } });
        if (data?.unified) hunks = parseUnified(data.unified);
      } catch {
        // the local diff above is the same information
      }
    }
    setShown({ revision: revision.revision, hunks, label });
  }

  function showAgainstCurrent(revision: ConfigRevision) {
    setShown({ revision: revision.revision, hunks: toHunks(diffLines(current?.value ?? '', revision.value)), label: `Current value → revision ${revision.revision}` });
  }

  async function rollback(revision: ConfigRevision) {
    if (!client || !window.confirm(`Publish the value of revision ${revision.revision} again, as a new revision?`)) return;
    const value = await action.run(
      async () => (await client.post<ConfigValue>(`${base}/rollback`, { revision: revision.revision, comment: `rollback to revision ${revision.revision}` })).data,
      (answer) => `Rolled back: revision ${answer.revision} now has the value of revision ${revision.revision}.`,
    );
    if (value) {
      onRolledBack(value);
      void reload();
    }
  }

  return (
    <div className="stack">
      <ErrorNotice error={error} />
      <ResultNotice result={action.result} />
      {revisions && revisions.length === 0 ? <p className="muted">No history yet.</p> : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col" className="num">Revision</th>
              <th scope="col">When / who</th>
              <th scope="col">Comment</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(revisions ?? []).map((revision, index) => (
              <tr key={revision.revision}>
                <td className="num">
                  {revision.revision}
                  <div className="muted small">v{revision.version}</div>
                </td>
                <td className="small">
                  {formatTime(revision.at)}
                  <div className="muted">{revision.author}</div>
                </td>
                <td className="small">{revision.comment || <span className="muted">—</span>}</td>
                <td>
                  <div className="row">
                    <button type="button" className="secondary" onClick={() => void showDiff(revision, revisions?.[index + 1])}>
                      Changes
                    </button>
                    <button type="button" className="secondary" onClick={() => showAgainstCurrent(revision)}>
                      vs current
                    </button>
                    {canEdit && current && revision.version !== current.version ? (
                      <button type="button" onClick={() => void rollback(revision)} disabled={action.busy}>
                        Roll back to this
                      </button>
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown ? (
        <section aria-label={shown.label}>
          <h4>{shown.label}</h4>
          <DiffView hunks={shown.hunks} label={shown.label} />
        </section>
      ) : null}
    </div>
  );
}
