import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, buildUrl, describeError, parseEtag } from './api-client';

type Reply = Response | Error;

/** A fetch that answers by base URL from scripted queues and records every call. */
function scriptedFetch(script: Record<string, Reply[]>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    calls.push({ url, init: init ?? {} });
    const base = Object.keys(script).find((prefix) => url.startsWith(prefix));
    const reply = base ? script[base].shift() : undefined;
    if (!reply) throw new TypeError('fetch failed');
    if (reply instanceof Error) throw reply;
    return reply;
  });
  return { fetchImpl: fetchImpl as unknown as typeof fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const A = 'http://a:8081';
const B = 'http://b:8082';
const C = 'http://c:8083';

describe('ApiClient failover', () => {
  it('moves to the next coordinator on a network error and stays with the one that answered', async () => {
    const { fetchImpl, calls } = scriptedFetch({ [A]: [new TypeError('fetch failed')], [B]: [json(200, { ok: 1 }), json(200, { ok: 2 })] });
    const client = new ApiClient({ baseUrls: [A, B, C], fetchImpl });
    expect((await client.get('/api/v1/cluster')).data).toEqual({ ok: 1 });
    expect(client.activeBaseUrl).toBe(B);
    expect((await client.get('/api/v1/cluster')).data).toEqual({ ok: 2 });
    expect(calls.map((call) => new URL(call.url).host)).toEqual(['a:8081', 'b:8082', 'b:8082']);
  });

  it('moves on when a member answers 503 (not serving) or the proxy answers 502', async () => {
    const { fetchImpl } = scriptedFetch({
      [A]: [json(503, { statusCode: 503, error: 'Service Unavailable', message: 'no quorum' })],
      [B]: [json(502, { statusCode: 502, error: 'Bad Gateway', message: 'did not answer' })],
      [C]: [json(200, { leaderId: 3 })],
    });
    const client = new ApiClient({ baseUrls: [A, B, C], fetchImpl });
    expect((await client.get('/api/v1/cluster')).data).toEqual({ leaderId: 3 });
    expect(client.activeIndex).toBe(2);
  });

  it('does not fail over on an answer about the request itself (4xx)', async () => {
    const { fetchImpl, calls } = scriptedFetch({ [A]: [json(404, { statusCode: 404, error: 'Not Found', message: 'no node /x' })], [B]: [json(200, {})] });
    const client = new ApiClient({ baseUrls: [A, B], fetchImpl });
    await expect(client.get('/api/v1/tree', { query: { path: '/x' } })).rejects.toMatchObject({ status: 404, message: 'no node /x' });
    expect(calls).toHaveLength(1);
  });

  it('says which coordinators failed and why when none answers', async () => {
    const { fetchImpl } = scriptedFetch({ [A]: [new TypeError('connect ECONNREFUSED')], [B]: [json(503, { statusCode: 503, error: 'x', message: 'no quorum' })] });
    const client = new ApiClient({ baseUrls: [A, B], fetchImpl });
    const error = (await client.get('/api/v1/cluster').catch((failure: unknown) => failure)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(503);
    expect(error.message).toContain('http://a:8081: connect ECONNREFUSED');
    expect(error.message).toContain('http://b:8082: 503 no quorum');
  });

  it('gives up on a coordinator that does not answer within the time-out', async () => {
    const hanging = vi.fn(
      (_input: RequestInfo | URL, init?: RequestInit) =>
        new Promise<Response>((resolve, reject) => {
          if (String(_input).startsWith(B)) resolve(json(200, { from: 'b' }));
          init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    );
    const client = new ApiClient({ baseUrls: [A, B], fetchImpl: hanging as unknown as typeof fetch, timeoutMs: 20 });
    expect((await client.get('/x')).data).toEqual({ from: 'b' });
  });
});

describe('ApiClient requests', () => {
  it('sends the token, If-Match and a JSON body, and reads the ETag version', async () => {
    const { fetchImpl, calls } = scriptedFetch({ [A]: [json(200, { value: 'v' }, { etag: '"7"' })] });
    const client = new ApiClient({ baseUrls: [A], fetchImpl, getToken: () => 'tok' });
    const answer = await client.put('/api/v1/config/ns/g/k', { value: 'v' }, { ifMatch: 6 });
    expect(answer.etag).toBe(7);
    const headers = calls[0].init.headers as Record<string, string>;
    expect(headers.authorization).toBe('Bearer tok');
    expect(headers['if-match']).toBe('"6"');
    expect(headers['content-type']).toBe('application/json');
    expect(calls[0].init.body).toBe('{"value":"v"}');
    expect(calls[0].init.method).toBe('PUT');
  });

  it('turns a 412 into a version conflict carrying the current version', async () => {
    const { fetchImpl } = scriptedFetch({ [A]: [json(412, { statusCode: 412, error: 'Precondition Failed', message: 'changed', code: 'VERSION_CONFLICT', currentVersion: 9 })] });
    const client = new ApiClient({ baseUrls: [A], fetchImpl });
    const error = (await client.put('/x', {}, { ifMatch: 1 }).catch((failure: unknown) => failure)) as ApiError;
    expect(error.isVersionConflict).toBe(true);
    expect(error.currentVersion).toBe(9);
    expect(describeError(error)).toMatch(/Someone else changed this/);
  });

  it('signs out on a 401', async () => {
    const onUnauthorized = vi.fn();
    const { fetchImpl } = scriptedFetch({ [A]: [json(401, { statusCode: 401, error: 'Unauthorized', message: 'token expired' })] });
    const client = new ApiClient({ baseUrls: [A], fetchImpl, onUnauthorized });
    await expect(client.get('/api/v1/auth/me')).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('reads 204 as no body', async () => {
    const { fetchImpl } = scriptedFetch({ [A]: [new Response(null, { status: 204 })] });
    const client = new ApiClient({ baseUrls: [A], fetchImpl });
    expect((await client.delete('/x')).data).toBeUndefined();
  });
});

describe('URL and header helpers', () => {
  it('builds URLs with encoded query values and skips undefined ones', () => {
    expect(buildUrl('/api/coordinators/0/', '/api/v1/tree', { path: '/a b', recursive: false, skip: undefined })).toBe('/api/coordinators/0/api/v1/tree?path=%2Fa+b&recursive=false');
  });

  it.each([
    ['"3"', 3],
    ['W/"12"', 12],
    ['4', 4],
    ['"abc"', null],
    [null, null],
  ])('parses ETag %s as %s', (header, version) => {
    expect(parseEtag(header)).toBe(version);
  });
});
