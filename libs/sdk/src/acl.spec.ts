import { Perm } from '@zk/wire';
import { describe, expect, it } from 'vitest';
import { digestAcl, digestId, OPEN_ACL_UNSAFE, permString } from './acl';

describe('acl helpers', () => {
  it('computes the digest id ZooKeeper computes (super:test is the documented example)', () => {
    // DigestAuthenticationProvider.generateDigest("super:test") in ZooKeeper's docs.
    expect(digestId('super', 'test')).toBe('super:D/InIHSb7yEEbrWz8b9l71RjZJU=');
  });

  it('builds digest ACL entries', () => {
    expect(digestAcl('u', 'p', Perm.read)).toEqual({ perms: Perm.read, id: { scheme: 'digest', id: digestId('u', 'p') } });
  });

  it('spells perms like getPermString', () => {
    expect(permString(Perm.all)).toBe('cdrwa');
    expect(permString(Perm.read | Perm.write)).toBe('rw');
    expect(OPEN_ACL_UNSAFE[0].perms).toBe(31);
  });
});
