'use client';
// The service's load-balancing policy: the strategy and, for consistent-hash, the key to hash.
import { useState } from 'react';
import { useAction } from '../../hooks/useAction';
import { STRATEGIES, type Policy, type Strategy } from '../../lib/api-types';
import { useApp } from '../AppProvider';
import { ResultNotice } from '../ResultNotice';

export function PolicyEditor({ service, policy, canEdit, onChanged }: { service: string; policy: Policy; canEdit: boolean; onChanged(): void }) {
  const { client } = useApp();
  const [strategy, setStrategy] = useState<Strategy>(policy.strategy);
  const [hashKey, setHashKey] = useState(policy.hashKey ?? '');
  const action = useAction();

  async function save() {
    if (!client) return;
    const body: Policy = { ...policy, strategy, ...(strategy === 'consistent-hash' ? { hashKey } : {}) };
    if (strategy !== 'consistent-hash') delete body.hashKey;
    const done = await action.run(async () => (await client.put(`/api/v1/services/${encodeURIComponent(service)}/policy`, body)).data, `Policy of ${service} is now ${strategy}.`);
    if (done !== undefined) onChanged();
  }

  return (
    <div className="stack">
      <div className="row">
        <div className="field">
          <label htmlFor="policy-strategy">Strategy</label>
          <select id="policy-strategy" value={strategy} disabled={!canEdit} onChange={(event) => setStrategy(event.target.value as Strategy)}>
            {STRATEGIES.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </div>
        {strategy === 'consistent-hash' ? (
          <div className="field">
            <label htmlFor="policy-hash-key">Hash key</label>
            <input id="policy-hash-key" value={hashKey} disabled={!canEdit} onChange={(event) => setHashKey(event.target.value)} placeholder="e.g. userId" />
          </div>
        ) : null}
        {canEdit ? (
          <button type="button" onClick={save} disabled={action.busy}>
            Save policy
          </button>
        ) : null}
      </div>
      <ResultNotice result={action.result} onReload={onChanged} />
    </div>
  );
}
