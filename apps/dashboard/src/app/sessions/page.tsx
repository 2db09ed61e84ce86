'use client';
// Sessions: each member's clients (asked of that member alone): session id, remote address, transport, ephemerals.
import { useMemo } from 'react';
import { useApp } from '../../components/AppProvider';
import { ErrorNotice } from '../../components/ResultNotice';
import { useLive } from '../../hooks/useLive';
import type { SessionInfo } from '../../lib/api-types';
import { formatDuration } from '../../lib/format';

function MemberSessions({ index, url }: { index: number; url: string }) {
  const { memberClient } = useApp();
  const load = useMemo(() => {
    const api = memberClient(index);
    return api ? async () => (await api.get<SessionInfo[]>('/api/v1/sessions')).data : null;
  }, [memberClient, index]);
  const { data, error, reload } = useLive<SessionInfo[]>(null, load, 5000);
  return (
    <section className="panel" aria-labelledby={`member-${index}`}>
      <div className="row">
        <h2 id={`member-${index}`} style={{ margin: 0 }}>
          {url}
        </h2>
        <span className="spacer" />
        <button type="button" className="secondary" onClick={() => void reload()}>
          Refresh
        </button>
      </div>
      <ErrorNotice error={error} />
      {data && data.length === 0 ? <p className="muted">No client sessions on this member.</p> : null}
      {data && data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Remote</th>
                <th scope="col">Transport</th>
                <th scope="col" className="num">Timeout</th>
                <th scope="col">Ephemerals</th>
              </tr>
            </thead>
            <tbody>
              {data.map((session) => (
                <tr key={session.sessionId}>
                  <th scope="row" className="mono">
                    {session.sessionId}
                  </th>
                  <td className="mono">{session.remote}</td>
                  <td>{session.transport}</td>
                  <td className="num">{formatDuration(session.timeoutMs)}</td>
                  <td className="mono small">{session.ephemerals.length === 0 ? <span className="muted">none</span> : session.ephemerals.join('\n')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

export default function SessionsPage() {
  const { config } = useApp();
  return (
    <>
      <h1>Sessions</h1>
      <p className="muted">Each member lists the clients connected to it.</p>
      {(config?.coordinators ?? []).map((url, index) => (
        <MemberSessions key={url} index={index} url={url} />
      ))}
    </>
  );
}
