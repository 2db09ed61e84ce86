// The signed-in user's token, kept in localStorage so a reload stays signed in, and dropped when it expires.
import type { LoginAnswer, User } from './api-types';

export interface StoredSession {
  token: string;
  expiresAt: number;
  user: User;
}

export const SESSION_KEY = 'zk-dashboard.session';

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function sessionFromLogin(answer: LoginAnswer): StoredSession {
  return { token: answer.token, expiresAt: answer.expiresAt, user: answer.user };
}

export function loadSession(store: KeyValueStore | undefined, now = Date.now()): StoredSession | null {
  if (!store) return null;
  try {
    const parsed = JSON.parse(store.getItem(SESSION_KEY) ?? 'null') as StoredSession | null;
    if (!parsed || typeof parsed.token !== 'string' || !parsed.user) return null;
    if (typeof parsed.expiresAt === 'number' && parsed.expiresAt > 0 && parsed.expiresAt <= now) {
      store.removeItem(SESSION_KEY);
      return null;
    }
    return parsed;
  } catch {
    return null;
  }
}

export function saveSession(store: KeyValueStore | undefined, session: StoredSession | null): void {
  if (!store) return;
  if (session) store.setItem(SESSION_KEY, JSON.stringify(session));
  else store.removeItem(SESSION_KEY);
}

/** Only same-site paths are followed after sign-in (no open redirect). */
export function safeNextPath(next: string | null | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/signin') ? next : '/cluster';
}
