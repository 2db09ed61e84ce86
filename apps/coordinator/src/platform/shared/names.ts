// The contract's name rule for services, namespaces, groups, keys, instance ids and users: one safe path segment.
import { badRequest } from './http-errors';

export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function checkName(kind: string, name: unknown): string {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name) || name.includes('..')) {
    throw badRequest(`${kind} name ${JSON.stringify(name)} is not allowed: use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit (no '/', no '..')`);
  }
  return name;
}

/** `If-Match: "<version>"` → the version; undefined without the header; 400 when it is not a version. */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const text = (Array.isArray(header) ? header[0] : header).trim();
  const match = /^(?:W\/)?"?(-?\d{1,10})"?$/.exec(text);
  if (!match) throw badRequest(`If-Match ${JSON.stringify(text)} is not a version: send If-Match: "<version>" with the ETag you read`);
  return Number(match[1]);
}

export function etag(version: number): string {
  return `"${version}"`;
}
