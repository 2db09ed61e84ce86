'use client';
// The app's shared state: which coordinators (runtime config), who is signed in, the REST client with failover,
// and the live-events stream. Pages read it with useApp().
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiClient } from '../lib/api-client';
import type { LoginAnswer } from '../lib/api-types';
import { EventStream, type StreamStatus } from '../lib/events';
import { isRuntimeConfig, parseCoordinatorList, restBases, type RuntimeConfig } from '../lib/runtime-config';
import { loadSession, saveSession, sessionFromLogin, type StoredSession } from '../lib/session';

export interface AppState {
  config: RuntimeConfig | null;
  configError: string | null;
  client: ApiClient | null;
  /** undefined until the stored session has been read (first client render). */
  session: StoredSession | null | undefined;
  signIn(username: string, password: string): Promise<void>;
  signOut(): void;
  stream: EventStream | null;
  streamStatus: StreamStatus;
  /** A client pinned to one member, for per-member reads (sessions). */
  memberClient(index: number): ApiClient | null;
}

const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside <AppProvider>');
  return state;
}

/** The build-time fallback when /runtime-config is not there (e.g. the app is served as static files). */
function buildTimeConfig(): RuntimeConfig {
  return { coordinators: parseCoordinatorList(process.env.NEXT_PUBLIC_COORDINATORS || 'http://127.0.0.1:8081,http://127.0.0.1:8082,http://127.0.0.1:8083'), mode: 'direct' };
}

async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  try {
    const response = await fetch('/runtime-config', { cache: 'no-store' });
    if (response.ok) {
      const body: unknown = await response.json();
      if (isRuntimeConfig(body) && body.coordinators.length > 0) return body;
    }
  } catch {
    // fall through to the build-time list
  }
  return buildTimeConfig();
}

const browserStore = () => (typeof window === 'undefined' ? undefined : window.localStorage);

export function AppProvider({ children }: { children: ReactNode }) {
  const [config, setConfig] = useState<RuntimeConfig | null>(null);
  const [configError, setConfigError] = useState<string | null>(null);
  const [session, setSession] = useState<StoredSession | null | undefined>(undefined);
  const [stream, setStream] = useState<EventStream | null>(null);
  const [streamStatus, setStreamStatus] = useState<StreamStatus>('offline');
  const sessionRef = useRef<StoredSession | null | undefined>(undefined);
  sessionRef.current = session;

  useEffect(() => {
    setSession(loadSession(browserStore()));
    loadRuntimeConfig().then(setConfig, (error: unknown) => setConfigError((error as Error).message));
  }, []);

  const signOut = useCallback(() => {
    saveSession(browserStore(), null);
    setSession(null);
  }, []);

  const client = useMemo(
    () => (config ? new ApiClient({ baseUrls: restBases(config), getToken: () => sessionRef.current?.token ?? null, onUnauthorized: signOut }) : null),
    [config, signOut],
  );

  const memberClient = useCallback(
    (index: number) => {
      if (!config) return null;
      const base = restBases(config)[index];
      return base ? new ApiClient({ baseUrls: [base], getToken: () => sessionRef.current?.token ?? null, onUnauthorized: signOut }) : null;
    },
    [config, signOut],
  );

  const signIn = useCallback(
    async (username: string, password: string) => {
      if (!client) throw new Error('The dashboard has not loaded its coordinator list yet; try again in a moment.');
      const { data } = await client.post<LoginAnswer>('/api/v1/auth/login', { username, password });
      const next = sessionFromLogin(data);
      saveSession(browserStore(), next);
      setSession(next);
    },
    [client],
  );

  const token = session?.token;
  useEffect(() => {
    if (!config || !token) {
      setStream(null);
      setStreamStatus('offline');
      return;
    }
    const next = new EventStream({ baseUrls: config.coordinators, token, onStatus: setStreamStatus });
    setStream(next);
    setStreamStatus(next.status);
    return () => next.close();
  }, [config, token]);

  const value = useMemo<AppState>(
    () => ({ config, configError, client, session, signIn, signOut, stream, streamStatus, memberClient }),
    [config, configError, client, session, signIn, signOut, stream, streamStatus, memberClient],
  );
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}
