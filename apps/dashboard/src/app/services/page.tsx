'use client';
// Services: the list with health counts, and the chosen service's providers, consumers and policy.
import { useSearchParams } from 'next/navigation';
import { Suspense } from 'react';
import { ServiceDetail } from '../../components/services/ServiceDetail';
import { ServiceList } from '../../components/services/ServiceList';
import { ViewerNote } from '../../components/ViewerNote';

function ServicesInner() {
  const name = useSearchParams().get('name');
  return (
    <>
      <h1>Services</h1>
      <ViewerNote />
      <div className="grid-2">
        <section className="panel" aria-label="All services">
          <ServiceList selected={name} />
        </section>
        <section className="panel" aria-label="Service">
          {name ? <ServiceDetail key={name} name={name} /> : <p className="muted">Choose a service to see its providers, consumers and policy.</p>}
        </section>
      </div>
    </>
  );
}

export default function ServicesPage() {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <ServicesInner />
    </Suspense>
  );
}
