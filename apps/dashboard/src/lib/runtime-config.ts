// Which coordinators the dashboard talks to and how: read at run time from /runtime-config (the server's env), with
// the build-time NEXT_PUBLIC_COORDINATORS as the fallback, so one build serves any ensemble.
export type ApiMode = 'proxy' | 'direct';

export interface RuntimeConfig {
  /** Browser-reachable base URLs of the coordinators' admin ports (WebSocket events, and REST in direct mode). */
  coordinators: string[];
  /** proxy: REST goes through this dashboard's /api/coordinators/{i} (same origin, no CORS); direct: to the URLs. */
  mode: ApiMode;
}

export const DEFAULT_COORDINATORS = 'http://127.0.0.1:8081,http://127.0.0.1:8082,http://127.0.0.1:8083';

/** "http://a:8081, http://b:8082/" → ["http://a:8081", "http://b:8082"]; anything that is not http(s) is an error. */
export function parseCoordinatorList(text: string | undefined): string[] {
  const urls = (text ?? '')
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => part.replace(/\/+$/, ''));
  for (const url of urls) {
    if (!/^https?:\/\/[^/\s]+$/.test(url)) throw new Error(`not a coordinator base URL (http[s]://host:port): ${url}`);
  }
  return urls;
}

export function parseMode(text: string | undefined): ApiMode {
  return text === 'direct' ? 'direct' : 'proxy';
}

/** The REST bases the ApiClient rotates over. */
export function restBases(config: RuntimeConfig): string[] {
  return config.mode === 'direct' ? config.coordinators : config.coordinators.map((_, index) => `/api/coordinators/${index}`);
}

/** ws(s)://host:port/api/v1/events?token=… for one coordinator base URL. */
export function eventsUrl(baseUrl: string, token: string): string {
  const url = new URL('/api/v1/events', baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('token', token);
  return url.toString();
}

export function isRuntimeConfig(value: unknown): value is RuntimeConfig {
  const candidate = value as RuntimeConfig | null;
  return !!candidate && Array.isArray(candidate.coordinators) && candidate.coordinators.every((url) => typeof url === 'string') && (candidate.mode === 'proxy' || candidate.mode === 'direct');
}
