'use client';
// Tree: browse znodes lazily, see a node's Stat, data and ACL, and (editors) change them with version checks.
import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useCallback, useMemo, useState } from 'react';
import { useApp } from '../../components/AppProvider';
import { ErrorNotice } from '../../components/ResultNotice';
import { AclEditor } from '../../components/tree/AclEditor';
import { CreateNodeForm } from '../../components/tree/CreateNodeForm';
import { DataEditor } from '../../components/tree/DataEditor';
import { DeleteNode } from '../../components/tree/DeleteNode';
import { StatPanel } from '../../components/tree/StatPanel';
import { TreeBrowser } from '../../components/tree/TreeBrowser';
import { useCanEdit, ViewerNote } from '../../components/ViewerNote';
import { useLive } from '../../hooks/useLive';
import type { TreeNode } from '../../lib/api-types';
import { parentOf } from '../../lib/paths';

function TreePageInner() {
  const { client } = useApp();
  const canEdit = useCanEdit();
  const router = useRouter();
  const path = useSearchParams().get('path') || '/';
  const [refreshKey, setRefreshKey] = useState(0);
  const select = useCallback((next: string) => router.push(`/tree?path=${encodeURIComponent(next)}`), [router]);
  const load = useMemo(() => {
    const api = client;
    return api ? async () => (await api.get<TreeNode>('/api/v1/tree', { query: { path } })).data : null;
  }, [client, path]);
  const { data: node, error, reload } = useLive<TreeNode>(`tree:${path}`, load, 5000);
  const refresh = useCallback(() => {
    void reload();
    setRefreshKey((key) => key + 1);
  }, [reload]);

  return (
    <>
      <h1>Tree</h1>
      <ViewerNote />
      <div className="grid-2">
        <section className="panel" aria-label="Browser">
          <TreeBrowser selected={path} onSelect={select} refreshKey={refreshKey} />
        </section>
        <div>
          <section className="panel" aria-labelledby="node-title">
            <div className="row">
              <h2 id="node-title" className="mono" style={{ margin: 0, wordBreak: 'break-all' }}>
                {path}
              </h2>
              <span className="spacer" />
              <button type="button" className="secondary" onClick={refresh}>
                Refresh
              </button>
            </div>
            <ErrorNotice error={error} />
            {node ? (
              <>
                <h3>Data</h3>
                <DataEditor node={node} canEdit={canEdit} onSaved={refresh} onReload={refresh} />
                <h3>Stat</h3>
                <StatPanel stat={node.stat} />
                <h3>ACL</h3>
                <AclEditor node={node} canEdit={canEdit} onSaved={refresh} onReload={refresh} />
              </>
            ) : error ? null : (
              <p aria-live="polite">Loading…</p>
            )}
          </section>
          {canEdit && node ? (
            <>
              <section className="panel" aria-labelledby="create-title">
                <h2 id="create-title">Create a child</h2>
                <CreateNodeForm parent={path} onCreated={() => refresh()} />
              </section>
              <section className="panel" aria-labelledby="delete-title">
                <h2 id="delete-title">Delete</h2>
                <DeleteNode
                  node={node}
                  onReload={refresh}
                  onDeleted={() => {
                    setRefreshKey((key) => key + 1);
                    select(parentOf(path));
                  }}
                />
              </section>
            </>
          ) : null}
        </div>
      </div>
    </>
  );
}

export default function TreePage() {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <TreePageInner />
    </Suspense>
  );
}
