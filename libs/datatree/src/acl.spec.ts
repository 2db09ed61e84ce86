// ACL tables: checkAcl per scheme (world, ip with CIDR, digest, super), fixupAcl, masking.
import { describe, expect, it } from 'vitest';
import type { Acl, Id } from '@zk/wire';
import { checkAcl, fixupAcl, ipMatches, isValidDigestAclId, isValidIpAclId, maskDigests } from './acl';

const acl = (perms: number, scheme: string, id: string): Acl => ({ perms, id: { scheme, id } });
const ip = (id: string): Id => ({ scheme: 'ip', id });
const digest = (id: string): Id => ({ scheme: 'digest', id });
const READ = 1;
const WRITE = 2;
const ADMIN = 16;

describe('checkAcl', () => {
  it.each<[string, Acl[], number, Id[], boolean]>([
    ['empty ACL allows all', [], WRITE, [], true],
    ['world:anyone with the perm', [acl(READ, 'world', 'anyone')], READ, [], true],
    ['world:anyone without the perm', [acl(READ, 'world', 'anyone')], WRITE, [ip('1.2.3.4')], false],
    ['world with another id never matches', [acl(31, 'world', 'someone')], READ, [], false],
    ['super id overrides everything', [acl(READ, 'digest', 'a:b')], ADMIN, [{ scheme: 'super', id: '' }], true],
    ['digest equal', [acl(31, 'digest', 'user:hash=')], WRITE, [ip('1.1.1.1'), digest('user:hash=')], true],
    ['digest different', [acl(31, 'digest', 'user:hash=')], WRITE, [digest('user:other=')], false],
    ['ip exact', [acl(31, 'ip', '127.0.0.1')], READ, [ip('127.0.0.1')], true],
    ['ip exact mismatch', [acl(31, 'ip', '127.0.0.1')], READ, [ip('127.0.0.2')], false],
    ['ip CIDR /8', [acl(31, 'ip', '10.0.0.0/8')], READ, [ip('10.200.3.4')], true],
    ['ip CIDR /8 outside', [acl(31, 'ip', '10.0.0.0/8')], READ, [ip('11.0.0.1')], false],
    ['ip CIDR /12 boundary', [acl(31, 'ip', '172.16.0.0/12')], READ, [ip('172.31.255.255')], true],
    ['ip CIDR /12 outside', [acl(31, 'ip', '172.16.0.0/12')], READ, [ip('172.32.0.0')], false],
    ['ip CIDR /0 matches any v4', [acl(31, 'ip', '0.0.0.0/0')], READ, [ip('8.8.8.8')], true],
    ['ip ACL never matches an IPv6 client', [acl(31, 'ip', '0.0.0.0/0')], READ, [ip('0:0:0:0:0:0:0:1')], false],
    ['any perm bit in the mask suffices (READ|ADMIN)', [acl(ADMIN, 'world', 'anyone')], READ | ADMIN, [], true],
    ['scheme must match the id’s scheme', [acl(31, 'ip', '127.0.0.1')], READ, [digest('127.0.0.1')], false],
    ['unknown schemes never match', [acl(31, 'sasl', 'bob')], READ, [{ scheme: 'sasl', id: 'bob' }], false],
  ])('%s', (_name, entries, perm, ids, expected) => {
    expect(checkAcl(entries, perm, ids)).toBe(expected);
  });
});

describe('ip ACL ids (IPAuthenticationProvider)', () => {
  it.each([
    ['10.0.0.1', true],
    ['10.0.0.0/8', true],
    ['10.0.0.0/32', true],
    ['10.0.0.0/0', true],
    ['10.0.0.0/33', false],
    ['10.0.0.0/-1', false],
    ['10.0.0.0/x', false],
    ['10.0.0', false],
    ['10.0.0.256', false],
    ['10.0.0.1.', false],
    ['::1', false],
    ['host.example', false],
  ])('isValid(%j) = %s', (id, valid) => {
    expect(isValidIpAclId(id)).toBe(valid);
  });

  it('masks partial bytes', () => {
    expect(ipMatches('192.168.1.129', '192.168.1.128/25')).toBe(true);
    expect(ipMatches('192.168.1.127', '192.168.1.128/25')).toBe(false);
  });
});

describe('digest ACL ids', () => {
  it.each([
    ['user:hash', true],
    [':hash', true],
    ['user:', false],
    ['user', false],
    ['a:b:c', false],
    ['user::', false],
  ])('isValid(%j) = %s', (id, valid) => {
    expect(isValidDigestAclId(id)).toBe(valid);
  });
});

describe('fixupAcl (PrepRequestProcessor.fixupACL)', () => {
  it('rejects an empty ACL', () => {
    expect(fixupAcl([], [])).toBeUndefined();
  });

  it('drops exact duplicates, keeping order', () => {
    const world = acl(31, 'world', 'anyone');
    expect(fixupAcl([world, acl(1, 'ip', '1.2.3.4'), world], [])).toEqual([world, acl(1, 'ip', '1.2.3.4')]);
  });

  it('expands auth to the digest ids only (ip and super are not authenticated ids)', () => {
    const ids: Id[] = [ip('127.0.0.1'), { scheme: 'super', id: '' }, digest('u:h'), digest('v:k')];
    expect(fixupAcl([acl(5, 'auth', '')], ids)).toEqual([acl(5, 'digest', 'u:h'), acl(5, 'digest', 'v:k')]);
  });

  it('rejects auth without an authenticated id', () => {
    expect(fixupAcl([acl(31, 'auth', '')], [ip('127.0.0.1')])).toBeUndefined();
  });

  it.each([
    [acl(31, 'world', 'someone')],
    [acl(31, 'ip', 'not-an-ip')],
    [acl(31, 'digest', 'nocolon')],
    [acl(31, 'super', 'x')],
    [acl(31, 'sasl', 'bob')],
  ])('rejects %j', (entry) => {
    expect(fixupAcl([acl(31, 'world', 'anyone'), entry], [])).toBeUndefined();
  });
});

describe('maskDigests', () => {
  it('hides digest hashes for callers without ADMIN', () => {
    expect(maskDigests([acl(1, 'digest', 'user:abc:def'), acl(1, 'ip', '1.2.3.4')])).toEqual([acl(1, 'digest', 'user:x'), acl(1, 'ip', '1.2.3.4')]);
  });
});
