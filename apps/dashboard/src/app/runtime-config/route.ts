// GET /runtime-config: the browser's view of the ensemble (never the upstream addresses), read per request.
import { readServerConfig } from '../../lib/server-config';

export const dynamic = 'force-dynamic';

export function GET(): Response {
  try {
    const { coordinators, mode } = readServerConfig();
    return Response.json({ coordinators, mode }, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return Response.json({ statusCode: 500, error: 'Internal Server Error', message: `dashboard misconfigured: ${(error as Error).message}` }, { status: 500 });
  }
}
