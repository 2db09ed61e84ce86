// The records the registry keeps under /services/{service}: what an HTTP-registered instance stores in its
// provider node, the health node the leader's checks write, and how they combine into the contract's Provider.
import type { Stat } from '@zk/sdk';
import { DEFAULT_WEIGHT, SERVICES_ROOT, type InstanceOverride } from '@zk/recipes';

export const healthPaths = {
  health: (service: string) => `${SERVICES_ROOT}/${service}/health`,
  instance: (service: string, id: string) => `${SERVICES_ROOT}/${service}/health/${id}`,
};

export interface CheckSpec {
  type: 'http' | 'tcp';
  target: string;
  intervalMs: number;
}

/** A provider node's JSON: the SDK writes the first fields; an HTTP registration adds the rest. */
export interface InstanceRecord {
  id: string;
  host: string;
  port: number;
  weight?: number;
  zone?: string;
  version?: string;
  metadata?: Record<string, string>;
  source?: 'sdk' | 'http';
  registeredAt?: number;
  ttlSeconds?: number;
  /** HTTP registrations: epoch ms after which the leader removes the instance unless a heartbeat came. */
  expiresAt?: number;
  check?: CheckSpec;
}

export interface HealthRecord {
  healthy: boolean;
  lastResult: string;
  lastCheckedAt: number;
}

export interface Provider {
  id: string;
  host: string;
  port: number;
  weight: number;
  effectiveWeight: number;
  zone: string;
  version: string;
  metadata: Record<string, string>;
  source: 'sdk' | 'http';
  sessionId: string;
  registeredAt: number;
  healthy: boolean;
  disabled: boolean;
  expiresAt?: number;
  check?: { type: 'http' | 'tcp'; target: string; intervalMs: number; lastResult: string | null; lastCheckedAt: number | null };
}

export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function toProvider(id: string, text: string, stat: Stat, override: InstanceOverride | undefined, health: HealthRecord | undefined, nowMs: number): Provider | undefined {
  const record = parseJsonObject(text) as Partial<InstanceRecord> | undefined;
  if (!record || typeof record.host !== 'string' || typeof record.port !== 'number') return undefined;
  const weight = typeof record.weight === 'number' ? record.weight : DEFAULT_WEIGHT;
  const source = record.source === 'http' ? 'http' : 'sdk';
  const expired = source === 'http' && typeof record.expiresAt === 'number' && record.expiresAt < nowMs;
  const disabled = override?.disabled === true;
  const provider: Provider = {
    id,
    host: record.host,
    port: record.port,
    weight,
    effectiveWeight: disabled ? 0 : (override?.weight ?? weight),
    zone: typeof record.zone === 'string' ? record.zone : '',
    version: typeof record.version === 'string' ? record.version : '',
    metadata: record.metadata && typeof record.metadata === 'object' ? record.metadata : {},
    source,
    sessionId: `0x${stat.ephemeralOwner.toString(16)}`,
    registeredAt: typeof record.registeredAt === 'number' ? record.registeredAt : Number(stat.ctime),
    healthy: !expired && health?.healthy !== false,
    disabled,
  };
  if (source === 'http' && typeof record.expiresAt === 'number') provider.expiresAt = record.expiresAt;
  if (record.check) {
    provider.check = { ...record.check, lastResult: health?.lastResult ?? null, lastCheckedAt: health?.lastCheckedAt ?? null };
  }
  return provider;
}
