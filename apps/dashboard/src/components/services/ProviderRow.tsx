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
  // A disabled provider's effectiveWeight is 0, which is not a weight to offer back ("Set weight" would store 0 for
  // when it is enabled again): while disabled the field keeps what it showed, or the registered weight.
  const serverWeight = provider.disabled ? null : String(provider.effectiveWeight ?? provider.weight);
  const [weight, setWeight] = useState(serverWeight ?? String(provider.weight));
  const [weightShown, setWeightShown] = useState(serverWeight);
  // A new weight from the server replaces the field (the row keeps its state, so the last result stays visible).
  if (serverWeight !== null && serverWeight !== weightShown) {
    setWeightShown(serverWeight);
    setWeight(serverWeight);
  }
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
            <button type="button" className="secondary" aria-label={`Set weight of ${provider.id}`} disabled={action.busy || !weightValid} onClick={() => override({ weight: weightNumber }, `Weight of ${provider.id} set to ${weightNumber}.`)}>
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
            aria-label={`${provider.disabled ? 'Enable' : 'Disable'} ${provider.id}`}
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
