'use client';
// A znode's data: shown as text, JSON or YAML (pretty-printed on request), edited and saved against its version.
import { useState } from 'react';
import { useAction } from '../../hooks/useAction';
import type { ContentType, Stat, TreeNode } from '../../lib/api-types';
import { guessContentType } from '../../lib/syntax';
import { useApp } from '../AppProvider';
import { CodeEditor } from '../CodeEditor';
import { ResultNotice } from '../ResultNotice';

interface Props {
  node: TreeNode;
  canEdit: boolean;
  onSaved(stat: Stat): void;
  onReload(): void;
}

export function DataEditor({ node, canEdit, onSaved, onReload }: Props) {
  const { client } = useApp();
  const text = node.data ?? '';
  const binary = node.encoding === 'base64';
  const [draft, setDraft] = useState(text);
  const [contentType, setContentType] = useState<ContentType>(() => (binary ? 'text' : guessContentType(text)));
  const [baseVersion, setBaseVersion] = useState(node.stat.version);
  const action = useAction();
  const dirty = draft !== text;

  // Another node: start over. A newer version of this node arriving live: take it unless an edit is in progress
  // (then the save is based on the old version and gets the conflict message, which offers to reload).
  const [shownPath, setShownPath] = useState(node.path);
  const [shownData, setShownData] = useState(text);
  if (shownPath !== node.path || (shownData !== text && draft === shownData)) {
    setShownPath(node.path);
    setShownData(text);
    setDraft(text);
    setBaseVersion(node.stat.version);
  } else if (shownData === text && draft === text && baseVersion !== node.stat.version) {
    setBaseVersion(node.stat.version);
  }

  async function save() {
    if (!client) return;
    const answer = await action.run(
      async () => (await client.put<{ stat: Stat }>('/api/v1/tree', { data: draft, encoding: binary ? 'base64' : 'utf8' }, { query: { path: node.path }, ifMatch: baseVersion })).data,
      (value) => `Saved: ${node.path} is now version ${value.stat.version}.`,
    );
    if (answer) onSaved(answer.stat);
  }

  return (
    <div className="stack">
      {binary ? <p className="notice notice-info small">This node holds binary data: it is shown and saved as base64.</p> : null}
      <CodeEditor label={`Data of ${node.path}`} value={draft} onChange={setDraft} contentType={contentType} onContentTypeChange={setContentType} readOnly={!canEdit} />
      {canEdit ? (
        <div className="row">
          <button type="button" onClick={save} disabled={action.busy || !dirty}>
            {action.busy ? 'Saving…' : `Save (if still version ${baseVersion})`}
          </button>
          <button type="button" className="secondary" onClick={() => {
              setDraft(text);
              setShownData(text);
              setBaseVersion(node.stat.version);
            }} disabled={!dirty}>
            Discard changes
          </button>
        </div>
      ) : null}
      <ResultNotice
        result={action.result}
        onReload={() => {
          action.clear();
          onReload();
        }}
      />
    </div>
  );
}
