import { describe, expect, it } from 'vitest';
import { ancestors, baseName, childNameProblem, joinPath, parentOf } from './paths';
import { lettersToPerms, permsToLetters } from './format';
import { loadSession, safeNextPath, saveSession, SESSION_KEY } from './session';

describe('znode paths', () => {
  it('joins, splits and lists ancestors', () => {
    expect(joinPath('/', 'a')).toBe('/a');
    expect(joinPath('/a', 'b')).toBe('/a/b');
    expect(parentOf('/a/b')).toBe('/a');
    expect(parentOf('/a')).toBe('/');
    expect(baseName('/a/b')).toBe('b');
    expect(ancestors('/a/b')).toEqual(['/', '/a', '/a/b']);
  });

  it('refuses child names with a slash or dots', () => {
    expect(childNameProblem('a/b')).toMatch(/cannot contain/);
    expect(childNameProblem('..')).toMatch(/not node names/);
    expect(childNameProblem('ok')).toBeNull();
  });
});

describe('ACL permissions', () => {
  it('round-trips crwda letters and bits', () => {
    expect(permsToLetters(31)).toBe('crwda');
    expect(permsToLetters(1)).toBe('-r---');
    expect(lettersToPerms('crwda')).toBe(31);
    expect(lettersToPerms('-r---')).toBe(1);
    expect(() => lettersToPerms('x')).toThrow(/not a permission/);
  });
});

describe('stored session', () => {
  const memory = () => {
    const map = new Map<string, string>();
    return { getItem: (key: string) => map.get(key) ?? null, setItem: (key: string, value: string) => void map.set(key, value), removeItem: (key: string) => void map.delete(key), map };
  };

  it('keeps a session until it expires', () => {
    const store = memory();
    saveSession(store, { token: 't', expiresAt: 1000, user: { username: 'ann', role: 'viewer' } });
    expect(loadSession(store, 999)?.user.username).toBe('ann');
    expect(loadSession(store, 1000)).toBeNull();
    expect(store.map.has(SESSION_KEY)).toBe(false);
  });

  it('follows only same-site paths after sign-in', () => {
    expect(safeNextPath('/config?ns=a')).toBe('/config?ns=a');
    expect(safeNextPath('//evil.example')).toBe('/cluster');
    expect(safeNextPath('https://evil.example')).toBe('/cluster');
    expect(safeNextPath(null)).toBe('/cluster');
  });
});
