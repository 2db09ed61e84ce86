'use client';
// One service: its providers (with overrides), its consumers, its policy; live from the service:{name} topic.
import { useCallback, useMemo } from 'react';
import { useLive } from '../../hooks/useLive';
import type { ServiceDetail as Detail } from '../../lib/api-types';
import { formatAgo } from '../../lib/format';
import { useApp } from '../AppProvider';
import { ErrorNotice } from '../ResultNotice';
import { useCanEdit } from '../ViewerNote';
import { PolicyEditor } from './PolicyEditor';
import { ProviderRow } from './ProviderRow';

export function ServiceDetail({ name }: { name: string }) {
  const { client } = useApp();
  const canEdit = useCanEdit();
  const load = useMemo(() => {
    const api = client;
    return api ? async () => (await api.get<Detail>(`/api/v1/services/${encodeURIComponent(name)}`)).data : null;
  }, [client, name]);
  const { data: service, error, reload } = useLive<Detail>(`service:${name}`, load, 3000);
  const onChanged = useCallback(() => void reload(), [reload]);
  if (!service) return error ? <ErrorNotice error={error} /> : <p aria-live="polite">Loading {name}…</p>;
  return (
    <div className="stack">
      <h2>{service.name}</h2>
      <ErrorNotice error={error} />
      <section aria-labelledby="providers-title">
        <h3 id="providers-title">Providers ({service.providers.length})</h3>
        {service.providers.length === 0 ? (
          <p className="muted">No provider is registered.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Instance</th>
                  <th scope="col">Health</th>
                  <th scope="col">Zone / version</th>
                  <th scope="col">Registered</th>
                  <th scope="col">Weight</th>
                  <th scope="col">Traffic</th>
                </tr>
              </thead>
              <tbody>
                {service.providers.map((provider) => (
                  <ProviderRow key={provider.id} service={service.name} provider={provider} canEdit={canEdit} onChanged={onChanged} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="consumers-title">
        <h3 id="consumers-title">Consumers ({service.consumers.length})</h3>
        {service.consumers.length === 0 ? (
          <p className="muted">No consumer is registered.</p>
        ) : (
          <ul className="small">
            {service.consumers.map((consumer) => (
              <li key={consumer.id}>
                <span className="mono">{consumer.id}</span> on {consumer.host}, since {formatAgo(consumer.registeredAt)}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="policy-title">
        <h3 id="policy-title">Load-balancing policy</h3>
        <PolicyEditor key={JSON.stringify(service.policy)} service={service.name} policy={service.policy} canEdit={canEdit} onChanged={onChanged} />
      </section>
    </div>
  );
}
