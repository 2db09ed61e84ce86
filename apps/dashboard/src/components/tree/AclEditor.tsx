'use client';
// A znode's ACL: each entry's scheme, id and permissions (crwda), edited as rows and saved against the aversion.
import { useState } from 'react';
import { useAction } from '../../hooks/useAction';
import type { AclEntry, Stat, TreeNode } from '../../lib/api-types';
import { lettersToPerms, permsToLetters } from '../../lib/format';
import { useApp } from '../AppProvider';
import { ResultNotice } from '../ResultNotice';

interface Row {
  scheme: string;
  id: string;
  perms: string;
}

const toRows = (acl: AclEntry[]): Row[] => acl.map((entry) => ({ scheme: entry.scheme, id: entry.id, perms: permsToLetters(entry.perms) }));

export function AclEditor({ node, canEdit, onSaved, onReload }: { node: TreeNode; canEdit: boolean; onSaved(stat: Stat): void; onReload(): void }) {
  const { client } = useApp();
  const [rows, setRows] = useState<Row[]>(() => toRows(node.acl));
  const [shown, setShown] = useState(`${node.path}@${node.stat.aversion}`);
  const action = useAction();
  const key = `${node.path}@${node.stat.aversion}`;
  if (key !== shown) {
    setShown(key);
    setRows(toRows(node.acl));
  }

  function update(index: number, change: Partial<Row>) {
    setRows((current) => current.map((row, i) => (i === index ? { ...row, ...change } : row)));
  }

  async function save() {
    if (!client) return;
    const answer = await action.run(async () => {
      const acl = rows.map((row) => ({ scheme: row.scheme.trim(), id: row.id.trim(), perms: lettersToPerms(row.perms) }));
      if (acl.length === 0) throw new Error('An ACL needs at least one entry (world:anyone:crwda opens the node to everyone).');
      return (await client.put<{ stat: Stat }>('/api/v1/tree/acl', { acl }, { query: { path: node.path }, ifMatch: node.stat.aversion })).data;
    }, 'ACL saved.');
    if (answer) onSaved(answer.stat);
  }

  return (
    <div className="stack">
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Scheme</th>
              <th scope="col">Id</th>
              <th scope="col">Permissions (crwda)</th>
              {canEdit ? <th scope="col"><span className="muted">Remove</span></th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={index}>
                {canEdit ? (
                  <>
                    <td>
                      <input aria-label={`Scheme of entry ${index + 1}`} value={row.scheme} onChange={(event) => update(index, { scheme: event.target.value })} size={8} />
                    </td>
                    <td>
                      <input aria-label={`Id of entry ${index + 1}`} value={row.id} onChange={(event) => update(index, { id: event.target.value })} />
                    </td>
                    <td>
                      <input aria-label={`Permissions of entry ${index + 1}`} value={row.perms} onChange={(event) => update(index, { perms: event.target.value })} size={6} className="mono" />
                    </td>
                    <td>
                      <button type="button" className="secondary" aria-label={`Remove entry ${index + 1}`} onClick={() => setRows((current) => current.filter((_, i) => i !== index))}>
                        ✕
                      </button>
                    </td>
                  </>
                ) : (
                  <>
                    <td>{row.scheme}</td>
                    <td className="mono">{row.id}</td>
                    <td className="mono">{row.perms}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canEdit ? (
        <div className="row">
          <button type="button" className="secondary" onClick={() => setRows((current) => [...current, { scheme: 'digest', id: '', perms: 'r' }])}>
            Add entry
          </button>
          <button type="button" onClick={save} disabled={action.busy}>
            Save ACL (if still aversion {node.stat.aversion})
          </button>
        </div>
      ) : null}
      <ResultNotice result={action.result} onReload={onReload} />
    </div>
  );
}
