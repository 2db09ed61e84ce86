'use client';
// One provider: where it is, its health, and (editors) enable/disable and a weight override.
import { useState } from 'react';
import { useAction } from '../../hooks/useAction';
import type { Provider } from '../../lib/api-types';
import { formatAgo } from '../../lib/format';
import { useApp } from '../AppProvider';
import { ResultNotice } from '../ResultNotice';

export function ProviderRow({ service, provider, canEdit, onChanged }: { service: string; provider: Provider; canEdit: boolean; onChanged(): void }) {
  const { client } = useApp();
  const [weight, setWeight] = useState(String(provider.effectiveWeight ?? provider.weight));
  const action = useAction();
  const overridePath = `/api/v1/services/${encodeURIComponent(service)}/overrides/${encodeURIComponent(provider.id)}`;

  async function override(body: { weight?: number; disabled?: boolean }, message: string) {
    if (!client) return;
    const done = await action.run(async () => (await client.put(overridePath, body)).data, message);
    if (done !== undefined) onChanged();
  }

  const weightNumber = Number(weight);
  const weightValid = weight !== '' && Number.isInteger(weightNumber) && weightNumber >= 0;
  return (
    <tr data-provider={provider.id}>
      <th scope="row">
        <span className="mono">{provider.id}</span>
        <div className="muted small mono">{`${provider.host}:${provider.port}`}</div>
      </th>
      <td>
        {provider.disabled ? <span className="badge badge-warn">disabled</span> : provider.healthy ? <span className="badge badge-ok">healthy</span> : <span className="badge badge-err">unhealthy</span>}
        {provider.check ? <div className="muted small">{`${provider.check.type} ${provider.check.target}: ${provider.check.lastResult ?? 'not checked yet'}`}</div> : null}
      </td>
      <td className="small">
        {provider.zone ?? '—'} / {provider.version ?? '—'}
        {provider.metadata && Object.keys(provider.metadata).length > 0 ? <pre className="muted small">{JSON.stringify(provider.metadata)}</pre> : null}
      </td>
      <td className="small">
        {provider.source} · {formatAgo(provider.registeredAt)}
      </td>
      <td>
        {canEdit ? (
          <div className="row">
            <input aria-label={`Weight of ${provider.id}`} type="number" min={0} value={weight} onChange={(event) => setWeight(event.target.value)} style={{ width: '5.5rem' }} />
            <button type="button" className="secondary" disabled={action.busy || !weightValid} onClick={() => override({ weight: weightNumber }, `Weight of ${provider.id} set to ${weightNumber}.`)}>
              Set weight
            </button>
          </div>
        ) : (
          <span>
            {provider.effectiveWeight}
            {provider.effectiveWeight !== provider.weight ? <span className="muted small"> (registered {provider.weight})</span> : null}
          </span>
        )}
      </td>
      <td>
        {canEdit ? (
          <button
            type="button"
            className={provider.disabled ? '' : 'danger'}
            disabled={action.busy}
            onClick={() => override({ disabled: !provider.disabled }, provider.disabled ? `${provider.id} is enabled: consumers may pick it again.` : `${provider.id} is disabled: consumers stop picking it.`)}
          >
            {provider.disabled ? 'Enable' : 'Disable'}
          </button>
        ) : null}
        <ResultNotice result={action.result} onReload={onChanged} />
      </td>
    </tr>
  );
}
