'use client';
// Config: namespaces → groups → keys, and the chosen key's editor with diff, history, gray release, import/export.
import { useSearchParams } from 'next/navigation';
import { Suspense } from 'react';
import { KeyEditor } from '../../components/config/KeyEditor';
import { NamespaceList } from '../../components/config/NamespaceList';
import { NamespaceView } from '../../components/config/NamespaceView';
import { ViewerNote } from '../../components/ViewerNote';

function ConfigInner() {
  const params = useSearchParams();
  const namespace = params.get('ns');
  const group = params.get('group');
  const key = params.get('key');
  return (
    <>
      <h1>Config</h1>
      <ViewerNote />
      <div className="grid-2">
        <div>
          <section className="panel">
            <NamespaceList selected={namespace} />
          </section>
          {namespace ? (
            <section className="panel">
              <NamespaceView key={namespace} namespace={namespace} selectedKey={group && key ? `${group}/${key}` : null} />
            </section>
          ) : null}
        </div>
        <section className="panel" aria-label="Key">
          {namespace && group && key ? (
            <KeyEditor key={`${namespace}/${group}/${key}`} namespace={namespace} group={group} keyName={key} />
          ) : (
            <p className="muted">Choose a namespace and a key{namespace ? '' : ' (or start a new namespace)'}.</p>
          )}
        </section>
      </div>
    </>
  );
}

export default function ConfigPage() {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <ConfigInner />
    </Suspense>
  );
}
