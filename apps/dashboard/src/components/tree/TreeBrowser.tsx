'use client';
// The znode tree, loaded one level at a time as nodes are opened.
import { useCallback, useEffect, useState } from 'react';
import { useApp } from '../AppProvider';
import { describeError } from '../../lib/api-client';
import type { TreeNode } from '../../lib/api-types';
import { ancestors, joinPath } from '../../lib/paths';

interface Props {
  selected: string;
  onSelect(path: string): void;
  /** Bumped by the page after a create or delete so open levels reload. */
  refreshKey: number;
}

export function TreeBrowser({ selected, onSelect, refreshKey }: Props) {
  const { client } = useApp();
  const [children, setChildren] = useState<Record<string, string[]>>({});
  const [open, setOpen] = useState<Set<string>>(() => new Set(ancestors(selected)));
  const [error, setError] = useState<string | null>(null);

  const loadChildren = useCallback(
    async (path: string) => {
      if (!client) return;
      try {
        const { data } = await client.get<TreeNode>('/api/v1/tree', { query: { path } });
        setChildren((current) => ({ ...current, [path]: [...data.children].sort() }));
        setError(null);
      } catch (failure) {
        setError(`${path}: ${describeError(failure)}`);
      }
    },
    [client],
  );

  useEffect(() => {
    for (const path of open) void loadChildren(path);
    // Reload every open level when asked to; opening a level loads it in toggle().
  }, [loadChildren, refreshKey]);

  useEffect(() => {
    setOpen((current) => {
      const next = new Set(current);
      for (const path of ancestors(selected)) next.add(path);
      return next;
    });
    for (const path of ancestors(selected)) if (!children[path]) void loadChildren(path);
  }, [selected]);

  function toggle(path: string) {
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(path)) next.delete(path);
      else {
        next.add(path);
        void loadChildren(path);
      }
      return next;
    });
  }

  function renderLevel(path: string) {
    const names = children[path];
    if (!names) return <p className="muted small">Loading…</p>;
    if (names.length === 0) return null;
    return (
      <ul className="tree-list" role="group">
        {names.map((name) => {
          const childPath = joinPath(path, name);
          return <li key={childPath}>{renderNode(childPath, name)}</li>;
        })}
      </ul>
    );
  }

  function renderNode(path: string, label: string) {
    const isOpen = open.has(path);
    return (
      <>
        <button type="button" className="toggle" aria-expanded={isOpen} aria-label={`${isOpen ? 'Collapse' : 'Expand'} ${path}`} onClick={() => toggle(path)}>
          {isOpen ? '▾' : '▸'}
        </button>
        <button type="button" className="node" aria-current={selected === path ? 'true' : undefined} onClick={() => onSelect(path)}>
          {label}
        </button>
        {isOpen ? renderLevel(path) : null}
      </>
    );
  }

  return (
    <nav aria-label="znode tree">
      {error ? (
        <p className="notice notice-error small" role="alert">
          {error}
        </p>
      ) : null}
      <ul className="tree-list tree-root">
        <li>{renderNode('/', '/')}</li>
      </ul>
    </nav>
  );
}
