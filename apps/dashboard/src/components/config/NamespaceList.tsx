'use client';
// Every config namespace with its group and key counts.
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { useLive } from '../../hooks/useLive';
import type { NamespaceSummary } from '../../lib/api-types';
import { configHref, nameProblem } from '../../lib/config-paths';
import { useApp } from '../AppProvider';
import { ErrorNotice } from '../ResultNotice';
import { useCanEdit } from '../ViewerNote';
import { useRouter } from 'next/navigation';

export function NamespaceList({ selected }: { selected: string | null }) {
  const { client } = useApp();
  const canEdit = useCanEdit();
  const router = useRouter();
  const [fresh, setFresh] = useState('');
  const load = useMemo(() => {
    const api = client;
    return api ? async () => (await api.get<NamespaceSummary[]>('/api/v1/config')).data : null;
  }, [client]);
  const { data, error } = useLive<NamespaceSummary[]>(null, load, 5000);
  const problem = fresh === '' ? null : nameProblem('A namespace', fresh);
  return (
    <div className="stack">
      <h2>Namespaces</h2>
      <ErrorNotice error={error} />
      {data && data.length === 0 ? <p className="muted">No namespaces yet.</p> : null}
      <ul>
        {(data ?? []).map((namespace) => (
          <li key={namespace.namespace}>
            <Link href={configHref(namespace.namespace)} aria-current={selected === namespace.namespace ? 'true' : undefined}>
              {namespace.namespace}
            </Link>{' '}
            <span className="muted small">
              {namespace.groups} groups, {namespace.keys} keys
            </span>
          </li>
        ))}
      </ul>
      {canEdit ? (
        <form
          className="row"
          onSubmit={(event) => {
            event.preventDefault();
            if (!problem && fresh) router.push(configHref(fresh));
          }}
        >
          <div className="field">
            <label htmlFor="new-namespace">New namespace</label>
            <input id="new-namespace" value={fresh} onChange={(event) => setFresh(event.target.value)} aria-invalid={problem !== null} />
          </div>
          <button type="submit" className="secondary" disabled={!fresh || problem !== null}>
            Open
          </button>
          {problem ? <p className="small notice notice-error">{problem}</p> : null}
        </form>
      ) : null}
    </div>
  );
}
