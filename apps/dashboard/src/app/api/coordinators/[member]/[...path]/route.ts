// The same-origin proxy: /api/coordinators/{i}/api/v1/… → coordinator i's admin port, so the browser needs no CORS.
// It forwards one member per request; failing over between members is the browser's ApiClient's job (it sees 502).
import { readServerConfig } from '../../../../../lib/server-config';

export const dynamic = 'force-dynamic';

const FORWARDED_REQUEST_HEADERS = ['authorization', 'if-match', 'content-type', 'accept'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'etag'];
const UPSTREAM_TIMEOUT_MS = 8000;
const BODY_BYTES_MAX = 1024 * 1024 + 1024;

interface Context {
  params: Promise<{ member: string; path: string[] }>;
}

function problem(statusCode: number, error: string, message: string): Response {
  return Response.json({ statusCode, error, message }, { status: statusCode });
}

async function forward(request: Request, context: Context): Promise<Response> {
  const { member, path } = await context.params;
  let upstream: string[];
  try {
    upstream = readServerConfig().upstream;
  } catch (error) {
    return problem(500, 'Internal Server Error', `dashboard misconfigured: ${(error as Error).message}`);
  }
  const index = Number(member);
  if (!Number.isInteger(index) || index < 0 || index >= upstream.length) return problem(404, 'Not Found', `no coordinator number ${member}`);
  // Only the platform API and metrics: the proxy is not a general-purpose forwarder.
  if (!(path[0] === 'api' && path[1] === 'v1') && path[0] !== 'metrics') return problem(404, 'Not Found', `not a platform API path: /${path.join('/')}`);
  if (path.some((segment) => segment === '..' || segment === '.')) return problem(400, 'Bad Request', 'path segments . and .. are not allowed');

  const target = new URL(`/${path.map(encodeURIComponent).join('/')}`, upstream[index]);
  target.search = new URL(request.url).search;
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  let body: ArrayBuffer | undefined;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    body = await request.arrayBuffer();
    if (body.byteLength > BODY_BYTES_MAX) return problem(413, 'Payload Too Large', 'bodies over 1 MiB are refused');
    if (body.byteLength === 0) body = undefined;
  }
  let answer: Response;
  try {
    answer = await fetch(target, { method: request.method, headers, body, cache: 'no-store', redirect: 'manual', signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
  } catch (error) {
    return problem(502, 'Bad Gateway', `coordinator ${index} (${upstream[index]}) did not answer: ${(error as Error).message}`);
  }
  const responseHeaders = new Headers({ 'cache-control': 'no-store' });
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = answer.headers.get(name);
    if (value !== null) responseHeaders.set(name, value);
  }
  const payload = answer.status === 204 || answer.status === 304 ? null : await answer.arrayBuffer();
  return new Response(payload, { status: answer.status, headers: responseHeaders });
}

export const GET = forward;
export const POST = forward;
export const PUT = forward;
export const DELETE = forward;
