// Server side only: the ensemble this dashboard serves, read at request time from the environment (or a JSON file),
// so one build runs against any ensemble.
//   COORDINATORS           browser-reachable admin URLs, comma separated (falls back to NEXT_PUBLIC_COORDINATORS, then 127.0.0.1:8081-8083)
//   COORDINATORS_UPSTREAM  where the /api/coordinators/{i} proxy forwards (default: COORDINATORS), e.g. docker service names
//   DASHBOARD_API_MODE     proxy (default: REST through this server, no CORS needed) or direct (the browser calls the coordinators)
//   DASHBOARD_CONFIG_FILE  a JSON file { "coordinators": [...], "upstream"?: [...], "mode"?: "proxy" | "direct" } that overrides the above
import { readFileSync } from 'node:fs';
import { DEFAULT_COORDINATORS, parseCoordinatorList, parseMode, type RuntimeConfig } from './runtime-config';

export interface ServerConfig extends RuntimeConfig {
  upstream: string[];
}

export function readServerConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  let fromFile: { coordinators?: string[]; upstream?: string[]; mode?: string } = {};
  if (env.DASHBOARD_CONFIG_FILE) {
    fromFile = JSON.parse(readFileSync(env.DASHBOARD_CONFIG_FILE, 'utf8')) as typeof fromFile;
  }
  const coordinators = fromFile.coordinators
    ? parseCoordinatorList(fromFile.coordinators.join(','))
    : parseCoordinatorList(env.COORDINATORS || env.NEXT_PUBLIC_COORDINATORS || DEFAULT_COORDINATORS);
  const upstream = fromFile.upstream ? parseCoordinatorList(fromFile.upstream.join(',')) : env.COORDINATORS_UPSTREAM ? parseCoordinatorList(env.COORDINATORS_UPSTREAM) : coordinators;
  if (upstream.length !== coordinators.length) {
    throw new Error(`COORDINATORS_UPSTREAM names ${upstream.length} coordinators but COORDINATORS names ${coordinators.length}: list the same members in the same order`);
  }
  return { coordinators, upstream, mode: parseMode(fromFile.mode ?? env.DASHBOARD_API_MODE) };
}
