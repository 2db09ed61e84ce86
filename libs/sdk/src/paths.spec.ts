import { describe, expect, it } from 'vitest';
import { BadArgumentsError } from './errors';
import { basename, Chroot, joinPath, parentOf, validatePath } from './paths';

describe('validatePath', () => {
  it.each(['/', '/a', '/a/b', '/a.b/..c', '/zookeeper/quota'])('accepts %s', (path) => {
    expect(() => validatePath(path)).not.toThrow();
  });

  it.each(['', 'a', '/a/', '//a', '/a//b', '/a/./b', '/a/../b', '/a\u0000'])('refuses %j', (path) => {
    expect(() => validatePath(path)).toThrow(BadArgumentsError);
  });

  it('lets a sequential create end in a slash', () => {
    expect(() => validatePath('/queue/', true)).not.toThrow();
    expect(() => validatePath('/queue/item-', true)).not.toThrow();
  });
});

describe('path helpers', () => {
  it('finds parents, basenames and joins', () => {
    expect(parentOf('/a/b')).toBe('/a');
    expect(parentOf('/a')).toBe('/');
    expect(parentOf('/')).toBeUndefined();
    expect(basename('/a/b')).toBe('b');
    expect(joinPath('/', 'a')).toBe('/a');
    expect(joinPath('/a', 'b')).toBe('/a/b');
  });
});

describe('Chroot', () => {
  it('prefixes and strips the chroot', () => {
    const chroot = new Chroot('/app');
    expect(chroot.toServer('/')).toBe('/app');
    expect(chroot.toServer('/x')).toBe('/app/x');
    expect(chroot.toClient('/app')).toBe('/');
    expect(chroot.toClient('/app/x/y')).toBe('/x/y');
    expect(chroot.toClient('/application')).toBe('/application');
  });

  it('is the identity without a chroot', () => {
    const chroot = new Chroot('');
    expect(chroot.toServer('/x')).toBe('/x');
    expect(chroot.toClient('/x')).toBe('/x');
  });
});
