'use client';
// A namespace's export as a JSON download, and import of such a file (optionally overwriting existing keys).
import { useState, type ChangeEvent } from 'react';
import { useAction } from '../../hooks/useAction';
import type { ConfigExport, ImportResult } from '../../lib/api-types';
import { namespacePath } from '../../lib/config-paths';
import { useApp } from '../AppProvider';
import { ResultNotice } from '../ResultNotice';

export function ImportExport({ namespace, canEdit, onImported }: { namespace: string; canEdit: boolean; onImported(): void }) {
  const { client } = useApp();
  const [overwrite, setOverwrite] = useState(false);
  const action = useAction();

  async function exportNamespace() {
    if (!client) return;
    await action.run(async () => {
      const { data } = await client.get<ConfigExport>(`${namespacePath(namespace)}/export`);
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `${namespace}-config.json`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      return data.items.length;
    }, (count) => `Exported ${count} keys.`);
  }

  async function importFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file || !client) return;
    const done = await action.run(async () => {
      let body: ConfigExport;
      try {
        body = JSON.parse(await file.text()) as ConfigExport;
      } catch (error) {
        throw new Error(`${file.name} is not JSON: ${(error as Error).message}`);
      }
      if (!Array.isArray(body.items)) throw new Error(`${file.name} is not an export: it has no "items" list`);
      return (await client.post<ImportResult>(`${namespacePath(namespace)}/import`, { ...body, namespace }, { query: { overwrite: overwrite || undefined } })).data;
    }, (result) => `Imported into ${namespace}: ${result.created} created, ${result.updated} updated, ${result.skipped} skipped.`);
    if (done) onImported();
  }

  return (
    <div className="stack">
      <div className="row">
        <button type="button" className="secondary" onClick={exportNamespace} disabled={action.busy}>
          Export {namespace}
        </button>
        {canEdit ? (
          <>
            <div className="field">
              <label htmlFor="import-file">Import a file</label>
              <input id="import-file" type="file" accept="application/json,.json" onChange={importFile} disabled={action.busy} />
            </div>
            <label className="check">
              <input type="checkbox" checked={overwrite} onChange={(event) => setOverwrite(event.target.checked)} /> Overwrite existing keys
            </label>
          </>
        ) : null}
      </div>
      <ResultNotice result={action.result} />
    </div>
  );
}
