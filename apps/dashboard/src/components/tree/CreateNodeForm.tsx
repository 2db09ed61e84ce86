'use client';
// Create a child of the selected node, in any mode (persistent, ephemeral, sequential, container, TTL).
import { useState, type FormEvent } from 'react';
import { useAction } from '../../hooks/useAction';
import { CREATE_MODES, type CreateMode } from '../../lib/api-types';
import { childNameProblem, joinPath } from '../../lib/paths';
import { useApp } from '../AppProvider';
import { ResultNotice } from '../ResultNotice';

const MODE_HELP: Record<CreateMode, string> = {
  persistent: 'stays until deleted',
  ephemeral: "removed when the dashboard member's platform session ends",
  persistent_sequential: 'a 10-digit counter is appended to the name',
  ephemeral_sequential: 'ephemeral, with a counter appended',
  container: 'removed by the server once its last child is gone',
  ttl: 'removed when unchanged and childless for the TTL',
};

export function CreateNodeForm({ parent, onCreated }: { parent: string; onCreated(path: string): void }) {
  const { client } = useApp();
  const [name, setName] = useState('');
  const [mode, setMode] = useState<CreateMode>('persistent');
  const [ttlMs, setTtlMs] = useState('60000');
  const [data, setData] = useState('');
  const action = useAction();
  const problem = name === '' ? null : childNameProblem(name);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!client) return;
    const created = await action.run(async () => {
      const nameProblem = childNameProblem(name);
      if (nameProblem) throw new Error(nameProblem);
      const body = { path: joinPath(parent, name), data, encoding: 'utf8', mode, ...(mode === 'ttl' ? { ttlMs: Number(ttlMs) } : {}) };
      return (await client.post<{ path: string }>('/api/v1/tree', body)).data;
    }, (value) => `Created ${value.path}.`);
    if (created) {
      setName('');
      setData('');
      onCreated(created.path);
    }
  }

  return (
    <form onSubmit={submit} className="stack" aria-label={`Create a child of ${parent}`}>
      <div className="row">
        <div className="field">
          <label htmlFor="create-name">Name (under {parent})</label>
          <input id="create-name" value={name} onChange={(event) => setName(event.target.value)} aria-invalid={problem !== null} aria-describedby="create-name-problem" required />
        </div>
        <div className="field">
          <label htmlFor="create-mode">Mode</label>
          <select id="create-mode" value={mode} onChange={(event) => setMode(event.target.value as CreateMode)} aria-describedby="create-mode-help">
            {CREATE_MODES.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </div>
        {mode === 'ttl' ? (
          <div className="field">
            <label htmlFor="create-ttl">TTL (ms)</label>
            <input id="create-ttl" type="number" min={1} value={ttlMs} onChange={(event) => setTtlMs(event.target.value)} />
          </div>
        ) : null}
      </div>
      <p id="create-mode-help" className="muted small">
        {mode}: {MODE_HELP[mode]}
      </p>
      {problem ? (
        <p id="create-name-problem" className="small notice notice-error">
          {problem}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="create-data">Data (optional)</label>
        <textarea id="create-data" className="code" rows={3} style={{ minHeight: '4rem' }} value={data} onChange={(event) => setData(event.target.value)} />
      </div>
      <div>
        <button type="submit" disabled={action.busy || name === '' || problem !== null}>
          Create
        </button>
      </div>
      <ResultNotice result={action.result} />
    </form>
  );
}
