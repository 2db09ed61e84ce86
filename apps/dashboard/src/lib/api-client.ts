// The REST client: tries the coordinators in turn, moving on when one does not answer (network error, time-out)
// or answers 502/503/504 (not serving, or the proxy could not reach it), and sticks with the one that answered.
import type { ErrorBody } from './api-types';

/** An error answer of the API, or no coordinator answering at all (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code?: string;
  readonly currentVersion?: number | null;
  readonly body?: ErrorBody;

  constructor(status: number, message: string, body?: ErrorBody) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
    this.code = body?.code;
    this.currentVersion = body?.currentVersion;
  }

  /** 412: someone else changed the thing since it was read. */
  get isVersionConflict(): boolean {
    return this.status === 412 || this.code === 'VERSION_CONFLICT';
  }
}

export interface ApiClientOptions {
  /** REST bases, in order of preference: `/api/coordinators/0` (proxy) or `http://host:8081` (direct). */
  baseUrls: string[];
  getToken?: () => string | null;
  /** Called on a 401 so the app can sign out. */
  onUnauthorized?: () => void;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
}

export interface RequestOptions {
  body?: unknown;
  /** The znode version the change is based on; sent as `If-Match: "<version>"`. */
  ifMatch?: number;
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
}

export interface ApiAnswer<T> {
  data: T;
  /** The version from the `ETag` header, when the resource is versioned. */
  etag: number | null;
  baseUrl: string;
}

const FAIL_OVER_STATUSES = new Set([502, 503, 504]);

export function buildUrl(baseUrl: string, path: string, query?: RequestOptions['query']): string {
  const base = baseUrl.replace(/\/+$/, '');
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(name, String(value));
  }
  const search = params.toString();
  return `${base}${path}${search ? `?${search}` : ''}`;
}

export function parseEtag(header: string | null): number | null {
  if (!header) return null;
  const match = /^(?:W\/)?"?(-?\d+)"?$/.exec(header.trim());
  return match ? Number(match[1]) : null;
}

export class ApiClient {
  private readonly baseUrls: string[];
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private preferredIndex = 0;

  constructor(private readonly options: ApiClientOptions) {
    if (options.baseUrls.length === 0) throw new Error('ApiClient needs at least one coordinator URL');
    this.baseUrls = options.baseUrls;
    this.fetchImpl = options.fetchImpl ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 8000;
  }

  /** The base URL that answered last (the next request starts there). */
  get activeBaseUrl(): string {
    return this.baseUrls[this.preferredIndex];
  }

  get activeIndex(): number {
    return this.preferredIndex;
  }

  get<T>(path: string, options: RequestOptions = {}): Promise<ApiAnswer<T>> {
    return this.request<T>('GET', path, options);
  }

  post<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<ApiAnswer<T>> {
    return this.request<T>('POST', path, { ...options, body });
  }

  put<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<ApiAnswer<T>> {
    return this.request<T>('PUT', path, { ...options, body });
  }

  delete<T = void>(path: string, options: RequestOptions = {}): Promise<ApiAnswer<T>> {
    return this.request<T>('DELETE', path, options);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiAnswer<T>> {
    const failures: string[] = [];
    let lastError: ApiError | undefined;
    for (let attempt = 0; attempt < this.baseUrls.length; attempt++) {
      const index = (this.preferredIndex + attempt) % this.baseUrls.length;
      const baseUrl = this.baseUrls[index];
      let response: Response;
      try {
        response = await this.send(method, buildUrl(baseUrl, path, options.query), options);
      } catch (error) {
        if (options.signal?.aborted) throw error;
        failures.push(`${baseUrl}: ${(error as Error).message || 'network error'}`);
        continue;
      }
      if (FAIL_OVER_STATUSES.has(response.status)) {
        lastError = await toApiError(response);
        failures.push(`${baseUrl}: ${response.status} ${lastError.message}`);
        continue;
      }
      this.preferredIndex = index;
      if (!response.ok) {
        const error = await toApiError(response);
        if (response.status === 401) this.options.onUnauthorized?.();
        throw error;
      }
      return { data: await readBody<T>(response), etag: parseEtag(response.headers.get('etag')), baseUrl };
    }
    const message = `No coordinator answered (${failures.join('; ')})`;
    throw new ApiError(lastError?.status ?? 0, message, lastError?.body);
  }

  private async send(method: string, url: string, options: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.options.getToken?.();
    if (token) headers.authorization = `Bearer ${token}`;
    if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    const onAbort = (): void => timeout.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.fetchImpl(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: timeout.signal,
        cache: 'no-store',
      });
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }
}

async function readBody<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    return text as T;
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: ErrorBody | undefined;
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as Partial<ErrorBody>;
    if (parsed && typeof parsed === 'object') {
      const message = Array.isArray(parsed.message) ? parsed.message.join('; ') : parsed.message;
      body = { statusCode: response.status, error: parsed.error ?? response.statusText, ...parsed, message: String(message ?? response.statusText) };
    }
  } catch {
    // not JSON: keep the text as the message
  }
  const message = body?.message || text || `${response.status} ${response.statusText}`;
  return new ApiError(response.status, message, body);
}

/** A sentence for a person: what went wrong, and for a conflict, what to do. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.isVersionConflict) return 'Someone else changed this since you loaded it. Reload to see their version, then apply your change again.';
    if (error.status === 403) return `Not allowed: ${error.message}`;
    if (error.status === 0 || error.message.startsWith('No coordinator answered')) return error.message;
    return `${error.status}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
