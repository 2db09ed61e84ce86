// ACL checks as ZooKeeperServer.checkACL and PrepRequestProcessor.fixupACL do them, with the
// providers a stock 3.8 server registers: world:anyone, ip (IPv4, CIDR), digest; plus super ids.
import { Perm, type Acl, type Id } from '@zk/wire';

export const OPEN_ACL_UNSAFE: readonly Acl[] = Object.freeze([
  Object.freeze({ perms: Perm.all, id: Object.freeze({ scheme: 'world', id: 'anyone' }) }),
]);
export const READ_ACL_UNSAFE: readonly Acl[] = Object.freeze([
  Object.freeze({ perms: Perm.read, id: Object.freeze({ scheme: 'world', id: 'anyone' }) }),
]);

interface AuthProvider {
  /** Whether ids of this scheme are "authenticated" ids that an `auth` ACL expands to. */
  readonly authenticated: boolean;
  isValid(id: string): boolean;
  matches(authId: string, aclId: string): boolean;
}

const providers: ReadonlyMap<string, AuthProvider> = new Map<string, AuthProvider>([
  ['ip', { authenticated: false, isValid: isValidIpAclId, matches: ipMatches }],
  ['digest', { authenticated: true, isValid: isValidDigestAclId, matches: (a, b) => a === b }],
]);

/**
 * Whether a connection with `authIds` holds `perm` on a node with `acl`. An empty ACL allows
 * everything; a `super` id allows everything; an entry grants if any of its perms is in `perm`.
 */
export function checkAcl(acl: readonly Acl[], perm: number, authIds: readonly Id[]): boolean {
  if (acl.length === 0) return true;
  if (authIds.some((authId) => authId.scheme === 'super')) return true;
  for (const entry of acl) {
    if ((entry.perms & perm) === 0) continue;
    const { scheme, id } = entry.id;
    if (scheme === 'world' && id === 'anyone') return true;
    const provider = providers.get(scheme);
    if (provider === undefined) continue;
    if (authIds.some((authId) => authId.scheme === scheme && provider.matches(authId.id, id))) return true;
  }
  return false;
}

/**
 * fixupACL: drops exact duplicates, expands `auth` to the connection's authenticated ids and
 * validates the rest. Returns undefined where ZooKeeper answers INVALIDACL.
 */
export function fixupAcl(acl: readonly Acl[], authIds: readonly Id[]): Acl[] | undefined {
  const unique: Acl[] = [];
  for (const entry of acl) {
    if (!unique.some((u) => sameAcl(u, entry))) unique.push(entry);
  }
  if (unique.length === 0) return undefined;
  const fixed: Acl[] = [];
  for (const entry of unique) {
    const { scheme, id } = entry.id;
    if (scheme === 'world' && id === 'anyone') {
      fixed.push(copyAcl(entry));
    } else if (scheme === 'auth') {
      let expanded = false;
      for (const authId of authIds) {
        if (providers.get(authId.scheme)?.authenticated !== true) continue;
        expanded = true;
        fixed.push({ perms: entry.perms, id: { scheme: authId.scheme, id: authId.id } });
      }
      if (!expanded) return undefined;
    } else {
      const provider = providers.get(scheme);
      if (provider === undefined || !provider.isValid(id)) return undefined;
      fixed.push(copyAcl(entry));
    }
  }
  return fixed;
}

/** getACL without ADMIN: digest ids are shown as "user:x" (FinalRequestProcessor). */
export function maskDigests(acl: readonly Acl[]): Acl[] {
  return acl.map((entry) =>
    entry.id.scheme === 'digest' ? { perms: entry.perms, id: { scheme: 'digest', id: entry.id.id.replace(/:.*/g, ':x') } } : copyAcl(entry),
  );
}

export function sameAcl(a: Acl, b: Acl): boolean {
  return a.perms === b.perms && a.id.scheme === b.id.scheme && a.id.id === b.id.id;
}

export function copyAcl(entry: Acl): Acl {
  return { perms: entry.perms, id: { scheme: entry.id.scheme, id: entry.id.id } };
}

/** DigestAuthenticationProvider.isValid: Java's id.split(":") (trailing empties dropped) has 2 parts. */
export function isValidDigestAclId(id: string): boolean {
  const parts = id.split(':');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.length === 2;
}

/** IPAuthenticationProvider.isValid: an IPv4 address, optionally "/bits" with 0 <= bits <= 32. */
export function isValidIpAclId(id: string): boolean {
  const [address, bitsText] = splitOnce(id, '/');
  if (ipv4Bytes(address) === undefined) return false;
  if (bitsText === undefined) return true;
  const bits = parseJavaInt(bitsText);
  return bits !== undefined && bits >= 0 && bits <= 32;
}

/** IPAuthenticationProvider.matches: the connection's address against "a.b.c.d[/bits]". */
export function ipMatches(authId: string, aclId: string): boolean {
  const [address, bitsText] = splitOnce(aclId, '/');
  const aclBytes = ipv4Bytes(address);
  if (aclBytes === undefined) return false;
  let bits = 32;
  if (bitsText !== undefined) {
    const parsed = parseJavaInt(bitsText);
    if (parsed === undefined || parsed < 0 || parsed > 32) return false;
    bits = parsed;
  }
  const remoteBytes = ipv4Bytes(authId);
  if (remoteBytes === undefined) return false;
  mask(aclBytes, bits);
  mask(remoteBytes, bits);
  return aclBytes.every((b, i) => b === remoteBytes[i]);
}

function ipv4Bytes(address: string): number[] | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    const value = parseJavaInt(part);
    if (value === undefined || value < 0 || value > 255) return undefined;
    bytes.push(value);
  }
  return bytes;
}

function mask(bytes: number[], bits: number): void {
  let start = Math.floor(bits / 8);
  let startMask = ~((1 << (8 - (bits % 8))) - 1) & 0xff;
  while (start < bytes.length) {
    bytes[start] &= startMask;
    startMask = 0;
    start++;
  }
}

/** Integer.parseInt for ASCII input: optional sign, digits, within the int range. */
function parseJavaInt(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= -(2 ** 31) && value <= 2 ** 31 - 1 ? value : undefined;
}

/** Java's split(separator, 2). */
function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.substring(0, at), text.substring(at + 1)];
}
