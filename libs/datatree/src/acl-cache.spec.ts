// The ACL cache: equal ACLs share one frozen list, read back unchanged, and a list goes when its
// last holder lets go (so unique ACLs cannot pile up).
import { describe, expect, it } from 'vitest';
import type { Acl } from '@zk/wire';
import { AclCache } from './acl-cache';
import { OPEN_ACL_UNSAFE, READ_ACL_UNSAFE } from './acl';

const acl = (perms: number, scheme: string, id: string): Acl => ({ perms, id: { scheme, id } });

describe('AclCache', () => {
  it('gives equal ACLs one shared, deeply frozen list equal to what was asked for', () => {
    const cache = new AclCache();
    const first = cache.hold([acl(31, 'digest', 'u:h='), acl(1, 'ip', '10.0.0.0/8')]);
    const second = cache.hold([acl(31, 'digest', 'u:h='), acl(1, 'ip', '10.0.0.0/8')]);
    expect(second).toBe(first);
    expect(first).toEqual([acl(31, 'digest', 'u:h='), acl(1, 'ip', '10.0.0.0/8')]);
    expect(Object.isFrozen(first)).toBe(true);
    expect(first.every((entry) => Object.isFrozen(entry) && Object.isFrozen(entry.id))).toBe(true);
    expect(cache.size).toBe(1);
  });

  it('answers the well-known ACLs with the exported constants', () => {
    const cache = new AclCache();
    expect(cache.hold([acl(31, 'world', 'anyone')])).toBe(OPEN_ACL_UNSAFE);
    expect(cache.hold([acl(1, 'world', 'anyone')])).toBe(READ_ACL_UNSAFE);
    expect(cache.hold(OPEN_ACL_UNSAFE)).toBe(OPEN_ACL_UNSAFE);
  });

  it('keeps its own copy: changing the list it was given changes nothing', () => {
    const cache = new AclCache();
    const given = [acl(3, 'digest', 'a:b')];
    const held = cache.hold(given);
    given[0].perms = 31;
    given[0].id.id = 'x:y';
    given.push(acl(1, 'world', 'anyone'));
    expect(held).toEqual([acl(3, 'digest', 'a:b')]);
  });

  it.each<[string, Acl[], Acl[]]>([
    ['perms', [acl(1, 'world', 'anyone')], [acl(3, 'world', 'anyone')]],
    ['order', [acl(1, 'ip', '1.2.3.4'), acl(2, 'ip', '1.2.3.5')], [acl(2, 'ip', '1.2.3.5'), acl(1, 'ip', '1.2.3.4')]],
    ['a duplicate entry', [acl(1, 'ip', '1.2.3.4')], [acl(1, 'ip', '1.2.3.4'), acl(1, 'ip', '1.2.3.4')]],
    ['where scheme ends and id begins', [acl(1, 'a', 'b:c')], [acl(1, 'a:b', 'c')]],
    ['separators inside strings', [acl(1, 'x', '1:y;2 ')], [acl(1, 'x', '1:y'), acl(2, '', '')]],
    ['empty against none', [], [acl(0, '', '')]],
  ])('tells ACLs apart that differ in %s', (_what, a, b) => {
    const cache = new AclCache();
    const heldA = cache.hold(a);
    const heldB = cache.hold(b);
    expect(heldA).not.toBe(heldB);
    expect(heldA).toEqual(a);
    expect(heldB).toEqual(b);
    expect(cache.size).toBe(2);
  });

  it('drops a list when its last holder releases it, and not before', () => {
    const cache = new AclCache();
    const once = cache.hold([acl(31, 'digest', 'u:1')]);
    cache.hold([acl(31, 'digest', 'u:1')]);
    cache.release(once);
    expect(cache.size).toBe(1);
    expect(cache.hold([acl(31, 'digest', 'u:1')])).toBe(once);
    cache.release(once);
    cache.release(once);
    expect(cache.size).toBe(0);
    const again = cache.hold([acl(31, 'digest', 'u:1')]);
    expect(again).not.toBe(once);
    expect(again).toEqual(once);
  });

  it('refuses to release a list it does not hold', () => {
    const cache = new AclCache();
    cache.hold([acl(31, 'digest', 'u:1')]);
    expect(() => cache.release([acl(31, 'digest', 'u:1')])).toThrow(/not held/);
    expect(() => cache.release([acl(31, 'digest', 'u:2')])).toThrow(/not held/);
  });

  it('counts right when holds and releases interleave across ACLs (the last-held shortcut)', () => {
    const cache = new AclCache();
    const a = (): Acl[] => [acl(31, 'digest', 'a:1')];
    const b = (): Acl[] => [acl(1, 'ip', '127.0.0.1')];
    const heldA = [cache.hold(a()), cache.hold(a())];
    const heldB = cache.hold(b());
    expect(cache.hold(a())).toBe(heldA[0]);
    expect(cache.size).toBe(2);
    cache.release(heldB);
    expect(cache.size).toBe(1);
    for (let i = 0; i < 3; i++) cache.release(heldA[0] as readonly Acl[]);
    expect(cache.size).toBe(0);
    // Gone for good: holding it again makes a new entry, released once.
    const again = cache.hold(a());
    expect(cache.size).toBe(1);
    cache.release(again);
    expect(cache.size).toBe(0);
    expect(() => cache.release(again)).toThrow(/not held/);
    // A different ACL of the same length is not taken for the last one.
    const c = cache.hold([acl(31, 'digest', 'a:2')]);
    expect(c).toEqual([acl(31, 'digest', 'a:2')]);
    expect(cache.hold([acl(31, 'digest', 'a:1')])).not.toBe(c);
    expect(cache.size).toBe(2);
  });
});
