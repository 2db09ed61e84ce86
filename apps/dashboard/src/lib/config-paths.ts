// REST paths of the config center, with every name URL-encoded.
export function namespacePath(namespace: string): string {
  return `/api/v1/config/${encodeURIComponent(namespace)}`;
}

export function keyPath(namespace: string, group: string, key: string): string {
  return `${namespacePath(namespace)}/${encodeURIComponent(group)}/${encodeURIComponent(key)}`;
}

export function configHref(namespace?: string, group?: string, key?: string): string {
  const params = new URLSearchParams();
  if (namespace) params.set('ns', namespace);
  if (group) params.set('group', group);
  if (key) params.set('key', key);
  const query = params.toString();
  return query ? `/config?${query}` : '/config';
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The API's rule for namespace, group and key names; null when the name is fine. */
export function nameProblem(what: string, name: string): string | null {
  return NAME.test(name) ? null : `${what} must start with a letter or digit and use only letters, digits, ".", "_" and "-" (at most 128)`;
}
