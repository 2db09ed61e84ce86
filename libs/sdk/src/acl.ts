// ACLs and digest auth: the usual ACL sets (ZooDefs.Ids), ACL builders, and the digest scheme's
// `user:base64(sha1(user:password))` (DigestAuthenticationProvider.generateDigest), in any runtime.
import { Perm, type Acl, type Id } from '@zk/wire';
import { base64, sha1 } from './sha1';

export { Perm };

export const ANYONE_ID: Id = { scheme: 'world', id: 'anyone' };
/** The ids of the session's authenticated users ("auth" scheme). */
export const AUTH_IDS: Id = { scheme: 'auth', id: '' };

/** Anyone may do anything (ZooDefs.Ids.OPEN_ACL_UNSAFE). */
export const OPEN_ACL_UNSAFE: readonly Acl[] = Object.freeze([{ perms: Perm.all, id: ANYONE_ID }]);
/** Everything for the creator's authenticated ids (CREATOR_ALL_ACL); the session must have added auth. */
export const CREATOR_ALL_ACL: readonly Acl[] = Object.freeze([{ perms: Perm.all, id: AUTH_IDS }]);
/** Anyone may read (READ_ACL_UNSAFE). */
export const READ_ACL_UNSAFE: readonly Acl[] = Object.freeze([{ perms: Perm.read, id: ANYONE_ID }]);

/** `user:base64(sha1("user:password"))`, the id of a digest ACL and the value of superDigest. */
export function digestId(user: string, password: string): string {
  const hash = base64(sha1(new TextEncoder().encode(`${user}:${password}`)));
  return `${user}:${hash}`;
}

/** An ACL entry granting `perms` to a digest user. */
export function digestAcl(user: string, password: string, perms: number = Perm.all): Acl {
  return { perms, id: { scheme: 'digest', id: digestId(user, password) } };
}

/** An ACL entry granting `perms` to an IP address or CIDR ("10.0.0.0/8"). */
export function ipAcl(address: string, perms: number = Perm.all): Acl {
  return { perms, id: { scheme: 'ip', id: address } };
}

/** An ACL entry for the world (anyone). */
export function worldAcl(perms: number = Perm.all): Acl {
  return { perms, id: ANYONE_ID };
}

/** The credentials `addAuth('digest', …)` sends: "user:password". */
export function digestCredentials(user: string, password: string): Uint8Array {
  return new TextEncoder().encode(`${user}:${password}`);
}

/** Perm bits as ZooKeeper's getPermString spells them ("cdrwa"). */
export function permString(perms: number): string {
  const letters: [number, string][] = [
    [Perm.create, 'c'],
    [Perm.delete, 'd'],
    [Perm.read, 'r'],
    [Perm.write, 'w'],
    [Perm.admin, 'a'],
  ];
  return letters.filter(([bit]) => (perms & bit) !== 0).map(([, letter]) => letter).join('');
}
