'use client';
// Audit: who changed what, newest first, live; older entries page in with "Older".
import { useMemo, useState } from 'react';
import { useApp } from '../../components/AppProvider';
import { ErrorNotice } from '../../components/ResultNotice';
import { useLive } from '../../hooks/useLive';
import { describeError } from '../../lib/api-client';
import type { AuditEntry } from '../../lib/api-types';
import { formatTime } from '../../lib/format';

const PAGE = 100;

function versions(entry: AuditEntry): string {
  const before = entry.beforeVersion ?? '—';
  const after = entry.afterVersion ?? '—';
  return before === '—' && after === '—' ? '' : `v${before} → v${after}`;
}

export default function AuditPage() {
  const { client } = useApp();
  const load = useMemo(() => {
    const api = client;
    return api ? async () => (await api.get<AuditEntry[]>('/api/v1/audit', { query: { limit: PAGE } })).data : null;
  }, [client]);
  const { data, error } = useLive<AuditEntry[]>('audit', load, 5000);
  const [older, setOlder] = useState<AuditEntry[]>([]);
  const [olderError, setOlderError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const all = [...(data ?? []), ...older];
  const term = filter.trim().toLowerCase();
  const shown = term ? all.filter((entry) => `${entry.user} ${entry.action} ${entry.target}`.toLowerCase().includes(term)) : all;

  async function loadOlder() {
    const last = all[all.length - 1];
    if (!client || !last) return;
    try {
      const { data: page } = await client.get<AuditEntry[]>('/api/v1/audit', { query: { limit: PAGE, before: last.at } });
      setOlder((current) => [...current, ...page]);
      setOlderError(page.length === 0 ? 'No older entries.' : null);
    } catch (failure) {
      setOlderError(describeError(failure));
    }
  }

  return (
    <>
      <h1>Audit</h1>
      <div className="panel stack">
        <div className="field">
          <label htmlFor="audit-filter">Filter by user, action or target</label>
          <input id="audit-filter" type="search" value={filter} onChange={(event) => setFilter(event.target.value)} />
        </div>
        <ErrorNotice error={error} />
        {data && shown.length === 0 ? <p className="muted">No entries.</p> : null}
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">User</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Versions</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((entry, index) => (
                <tr key={`${entry.at}-${index}`}>
                  <td className="small">{formatTime(entry.at)}</td>
                  <td>{entry.user}</td>
                  <td>{entry.action}</td>
                  <td className="mono small" style={{ wordBreak: 'break-all' }}>
                    {entry.target}
                  </td>
                  <td className="small">{versions(entry)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <button type="button" className="secondary" onClick={loadOlder} disabled={all.length === 0}>
            Older
          </button>
        </div>
        {olderError ? <p className="muted small">{olderError}</p> : null}
      </div>
    </>
  );
}
