import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventsUrl, isRuntimeConfig, parseCoordinatorList, restBases } from './runtime-config';
import { readServerConfig } from './server-config';

describe('runtime config', () => {
  it('parses a comma or space separated list and drops trailing slashes', () => {
    expect(parseCoordinatorList(' http://a:8081/, http://b:8082  https://c:443 ')).toEqual(['http://a:8081', 'http://b:8082', 'https://c:443']);
    expect(parseCoordinatorList('')).toEqual([]);
  });

  it('refuses what is not an http(s) base URL', () => {
    expect(() => parseCoordinatorList('a:8081')).toThrow(/not a coordinator base URL/);
    expect(() => parseCoordinatorList('http://a:8081/api')).toThrow(/not a coordinator base URL/);
  });

  it('routes REST through the same-origin proxy in proxy mode, straight to the URLs in direct mode', () => {
    const coordinators = ['http://a:8081', 'http://b:8082'];
    expect(restBases({ coordinators, mode: 'proxy' })).toEqual(['/api/coordinators/0', '/api/coordinators/1']);
    expect(restBases({ coordinators, mode: 'direct' })).toEqual(coordinators);
  });

  it('builds the events WebSocket URL with the token', () => {
    expect(eventsUrl('http://a:8081', 't/+k')).toBe('ws://a:8081/api/v1/events?token=t%2F%2Bk');
    expect(eventsUrl('https://a', 'x')).toBe('wss://a/api/v1/events?token=x');
  });

  it('recognizes a runtime config body', () => {
    expect(isRuntimeConfig({ coordinators: ['http://a:1'], mode: 'proxy' })).toBe(true);
    expect(isRuntimeConfig({ coordinators: 'http://a:1', mode: 'proxy' })).toBe(false);
  });
});

describe('server config', () => {
  it('reads COORDINATORS, COORDINATORS_UPSTREAM and DASHBOARD_API_MODE', () => {
    const config = readServerConfig({ COORDINATORS: 'http://localhost:8081,http://localhost:8082', COORDINATORS_UPSTREAM: 'http://c1:8080,http://c2:8080', DASHBOARD_API_MODE: 'direct' });
    expect(config).toEqual({ coordinators: ['http://localhost:8081', 'http://localhost:8082'], upstream: ['http://c1:8080', 'http://c2:8080'], mode: 'direct' });
  });

  it('defaults to proxy mode, the build-time list, then the local ensemble', () => {
    expect(readServerConfig({ NEXT_PUBLIC_COORDINATORS: 'http://x:1' })).toEqual({ coordinators: ['http://x:1'], upstream: ['http://x:1'], mode: 'proxy' });
    expect(readServerConfig({}).coordinators).toEqual(['http://127.0.0.1:8081', 'http://127.0.0.1:8082', 'http://127.0.0.1:8083']);
  });

  it('refuses upstream and public lists of different lengths', () => {
    expect(() => readServerConfig({ COORDINATORS: 'http://a:1,http://b:2', COORDINATORS_UPSTREAM: 'http://c:3' })).toThrow(/same members/);
  });

  it('reads a JSON file named by DASHBOARD_CONFIG_FILE', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dashboard-config-')), 'config.json');
    writeFileSync(file, JSON.stringify({ coordinators: ['http://p:1'], upstream: ['http://u:1'], mode: 'proxy' }));
    expect(readServerConfig({ DASHBOARD_CONFIG_FILE: file, COORDINATORS: 'http://ignored:1' })).toEqual({ coordinators: ['http://p:1'], upstream: ['http://u:1'], mode: 'proxy' });
  });
});
