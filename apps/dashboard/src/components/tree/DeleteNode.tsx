'use client';
// Delete the selected node if it is still at the version shown (optionally with its children).
import { useState } from 'react';
import { useAction } from '../../hooks/useAction';
import type { TreeNode } from '../../lib/api-types';
import { useApp } from '../AppProvider';
import { ResultNotice } from '../ResultNotice';

export function DeleteNode({ node, onDeleted, onReload }: { node: TreeNode; onDeleted(): void; onReload(): void }) {
  const { client } = useApp();
  const [recursive, setRecursive] = useState(false);
  const action = useAction();
  if (node.path === '/') return <p className="muted small">The root cannot be deleted.</p>;

  async function remove() {
    if (!client) return;
    const what = recursive && node.stat.numChildren > 0 ? `${node.path} and its ${node.stat.numChildren} children` : node.path;
    if (!window.confirm(`Delete ${what}? This cannot be undone.`)) return;
    const done = await action.run(
      async () => {
        await client.delete('/api/v1/tree', { query: { path: node.path, recursive }, ifMatch: node.stat.version });
        return true;
      },
      `Deleted ${node.path}.`,
    );
    if (done) onDeleted();
  }

  return (
    <div className="stack">
      <label className="check">
        <input type="checkbox" checked={recursive} onChange={(event) => setRecursive(event.target.checked)} /> Also delete its children
      </label>
      <div>
        <button type="button" className="danger" onClick={remove} disabled={action.busy}>
          Delete {node.path} (if still version {node.stat.version})
        </button>
      </div>
      <ResultNotice result={action.result} onReload={onReload} />
    </div>
  );
}
