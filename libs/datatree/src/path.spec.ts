// PathUtils.validatePath cases (ZooKeeper's own test table) and the path helpers.
import { describe, expect, it } from 'vitest';
import { isSpecialPath, parentOf, sequenceSuffix, validatePath } from './path';

describe('validatePath (PathUtils)', () => {
  it.each([
    ['/'],
    ['/this is / a valid/path'],
    ['/name/with.period.'],
    ['/a/...'],
    ['/a/.b'],
    ['/test\u0020'],
    ['/test\u007e'],
    ['/test\uffef'],
    ['/zookeeper'],
  ])('accepts %j', (path) => {
    expect(validatePath(path)).toBeUndefined();
  });

  it.each([
    ['', 'Path length must be > 0'],
    ['not/valid', 'Path must start with / character'],
    ['/ends/with/slash/', 'Path must not end with / character'],
    ['/test\u0000', 'Invalid path string "/test\u0000" caused by null character not allowed @5'],
    ['/double//slash', 'Invalid path string "/double//slash" caused by empty node name specified @8'],
    ['/single/./period', 'Invalid path string "/single/./period" caused by relative paths not allowed @8'],
    ['/double/../period', 'Invalid path string "/double/../period" caused by relative paths not allowed @9'],
    ['/.', 'Invalid path string "/." caused by relative paths not allowed @1'],
    ['/a/..', 'Invalid path string "/a/.." caused by relative paths not allowed @4'],
    ['/test\u0001', 'Invalid path string "/test\u0001" caused by invalid character @5'],
    ['/test\u001f', 'Invalid path string "/test\u001f" caused by invalid character @5'],
    ['/test\u007f', 'Invalid path string "/test\u007f" caused by invalid character @5'],
    ['/test\u009f', 'Invalid path string "/test\u009f" caused by invalid character @5'],
    ['/test\ud800', 'Invalid path string "/test\ud800" caused by invalid character @5'],
    ['/test\uf8ff', 'Invalid path string "/test\uf8ff" caused by invalid character @5'],
    ['/test\ufff0', 'Invalid path string "/test\ufff0" caused by invalid character @5'],
  ])('rejects %j with ZooKeeper’s message', (path, message) => {
    expect(validatePath(path)).toBe(message);
  });

  it('checks a sequential path with a digit appended, so a trailing slash is fine', () => {
    expect(validatePath('/a/', true)).toBeUndefined();
    expect(validatePath('/a/')).toBe('Path must not end with / character');
    expect(validatePath('', true)).toBe('Path must start with / character');
    expect(validatePath('/a//', true)).toBe('Invalid path string "/a//1" caused by empty node name specified @3');
  });
});

describe('path helpers', () => {
  it('computes parents as the server does', () => {
    expect(parentOf('/a')).toBe('/');
    expect(parentOf('/a/b')).toBe('/a');
    expect(parentOf('/a/')).toBe('/a');
  });

  it('formats the sequence suffix as %010d of a Java int', () => {
    expect(sequenceSuffix(0)).toBe('0000000000');
    expect(sequenceSuffix(42)).toBe('0000000042');
    expect(sequenceSuffix(2147483647)).toBe('2147483647');
    expect(sequenceSuffix(-1)).toBe('-000000001');
    expect(sequenceSuffix(-2147483648)).toBe('-2147483648');
  });

  it('knows the undeletable system paths', () => {
    expect(['/', '/zookeeper', '/zookeeper/quota', '/zookeeper/config'].every(isSpecialPath)).toBe(true);
    expect(isSpecialPath('/zookeeper/other')).toBe(false);
  });
});
