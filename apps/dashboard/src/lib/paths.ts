// znode path helpers for the tree browser.
export function joinPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}

export function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

export function baseName(path: string): string {
  return path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1);
}

/** "/a/b/c" → ["/", "/a", "/a/b", "/a/b/c"]: the nodes to expand to show a path. */
export function ancestors(path: string): string[] {
  const out = ['/'];
  if (path === '/') return out;
  const parts = path.split('/').filter((part) => part !== '');
  for (let i = 1; i <= parts.length; i++) out.push(`/${parts.slice(0, i).join('/')}`);
  return out;
}

/** Why a child name is not valid, or null when it is. */
export function childNameProblem(name: string): string | null {
  if (name === '') return 'give the node a name';
  if (name.includes('/')) return 'a name cannot contain "/": create the parent first';
  if (name === '.' || name === '..') return '"." and ".." are not node names';
  return null;
}
