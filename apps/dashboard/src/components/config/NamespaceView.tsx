'use client';
// A namespace: its groups and keys (live), a form to start a new key, and import/export.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { useLive } from '../../hooks/useLive';
import type { NamespaceDetail } from '../../lib/api-types';
import { ApiError } from '../../lib/api-client';
import { configHref, nameProblem, namespacePath } from '../../lib/config-paths';
import { formatAgo } from '../../lib/format';
import { useApp } from '../AppProvider';
import { ErrorNotice } from '../ResultNotice';
import { useCanEdit } from '../ViewerNote';
import { ImportExport } from './ImportExport';

export function NamespaceView({ namespace, selectedKey }: { namespace: string; selectedKey: string | null }) {
  const { client } = useApp();
  const canEdit = useCanEdit();
  const router = useRouter();
  const [group, setGroup] = useState('');
  const [key, setKey] = useState('');
  const load = useMemo(() => {
    if (!client) return null;
    return async (): Promise<NamespaceDetail> => {
      try {
        return (await client.get<NamespaceDetail>(namespacePath(namespace))).data;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return { namespace, groups: [] };
        throw error;
      }
    };
  }, [client, namespace]);
  const { data, error, reload } = useLive<NamespaceDetail>(`config:${namespace}`, load, 5000);
  const problem = (group && nameProblem('A group', group)) || (key && nameProblem('A key', key)) || null;

  return (
    <div className="stack">
      <h2>{namespace}</h2>
      <ErrorNotice error={error} />
      {data && data.groups.length === 0 ? <p className="muted">This namespace has no keys yet.</p> : null}
      {(data?.groups ?? []).map((entry) => (
        <section key={entry.group} aria-label={`group ${entry.group}`}>
          <h3>{entry.group}</h3>
          <ul className="small">
            {entry.keys.map((item) => {
              const id = `${entry.group}/${item.key}`;
              return (
                <li key={item.key}>
                  <Link href={configHref(namespace, entry.group, item.key)} aria-current={selectedKey === id ? 'true' : undefined}>
                    {item.key}
                  </Link>{' '}
                  <span className="muted">
                    {item.contentType} · v{item.version} · {item.modifiedBy} {formatAgo(item.modifiedAt)}
                  </span>
                  {item.gray ? <span className="badge badge-warn">gray</span> : null}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
      {canEdit ? (
        <form
          className="row"
          aria-label="New key"
          onSubmit={(event) => {
            event.preventDefault();
            if (!problem && group && key) router.push(`${configHref(namespace, group, key)}&new=1`);
          }}
        >
          <div className="field">
            <label htmlFor="new-group">Group</label>
            <input id="new-group" value={group} onChange={(event) => setGroup(event.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="new-key">Key</label>
            <input id="new-key" value={key} onChange={(event) => setKey(event.target.value)} />
          </div>
          <button type="submit" className="secondary" disabled={!group || !key || !!problem}>
            New key
          </button>
          {problem ? <p className="small notice notice-error">{problem}</p> : null}
        </form>
      ) : null}
      <h3>Import / export</h3>
      <ImportExport namespace={namespace} canEdit={canEdit} onImported={() => void reload()} />
    </div>
  );
}
