'use client';
// Every service with its provider health counts, searchable by name.
import { useMemo, useState } from 'react';
import Link from 'next/link';
import { useLive } from '../../hooks/useLive';
import type { ServiceSummary } from '../../lib/api-types';
import { useApp } from '../AppProvider';
import { ErrorNotice } from '../ResultNotice';

export function ServiceList({ selected }: { selected: string | null }) {
  const { client } = useApp();
  const [search, setSearch] = useState('');
  const load = useMemo(() => {
    const api = client;
    return api ? async () => (await api.get<ServiceSummary[]>('/api/v1/services')).data : null;
  }, [client]);
  const { data: services, error } = useLive<ServiceSummary[]>('services', load, 5000);
  const term = search.trim().toLowerCase();
  const shown = (services ?? []).filter((service) => service.name.toLowerCase().includes(term));
  return (
    <div className="stack">
      <div className="field">
        <label htmlFor="service-search">Search services</label>
        <input id="service-search" type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="name contains…" />
      </div>
      <ErrorNotice error={error} />
      {services && shown.length === 0 ? <p className="muted">{services.length === 0 ? 'No services are registered yet.' : 'No service matches.'}</p> : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col" className="num">Healthy / total</th>
              <th scope="col" className="num">Disabled</th>
              <th scope="col" className="num">Consumers</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((service) => (
              <tr key={service.name}>
                <th scope="row">
                  <Link href={`/services?name=${encodeURIComponent(service.name)}`} aria-current={selected === service.name ? 'true' : undefined}>
                    {service.name}
                  </Link>
                  <div className="muted small">{service.policy?.strategy}</div>
                </th>
                <td className="num">
                  <span className={`badge ${service.providers.unhealthy > 0 ? 'badge-warn' : 'badge-ok'}`}>
                    {service.providers.healthy} / {service.providers.total}
                  </span>
                </td>
                <td className="num">{service.providers.disabled}</td>
                <td className="num">{service.consumers}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
