// The service registry's layout in the tree (DESIGN.md) and its records, parsed and validated at the edge:
//   /services/{service}/providers/{instanceId}  ephemeral  ServiceInstance JSON
//   /services/{service}/consumers/{consumerId}  ephemeral  ServiceConsumer JSON
//   /services/{service}/overrides/{instanceId}  persistent InstanceOverride JSON
//   /services/{service}/policy                  persistent LoadBalancingPolicy JSON

export const SERVICES_ROOT = '/services';

export interface ServiceInstance {
  id: string;
  host: string;
  port: number;
  /** Relative weight for weighted strategies; default 100 (Dubbo's default). */
  weight?: number;
  zone?: string;
  version?: string;
  metadata?: Record<string, string>;
}

export interface ServiceConsumer {
  id: string;
  host?: string;
  metadata?: Record<string, string>;
}

export interface InstanceOverride {
  weight?: number;
  disabled?: boolean;
}

export type StrategyName = 'random' | 'round-robin' | 'weighted' | 'least-outstanding' | 'consistent-hash' | 'sticky';
export const STRATEGY_NAMES: readonly StrategyName[] = ['random', 'round-robin', 'weighted', 'least-outstanding', 'consistent-hash', 'sticky'];

export interface LoadBalancingPolicy {
  strategy: StrategyName;
  /** consistent-hash: virtual nodes per instance (default 160). */
  virtualNodes?: number;
}

export const DEFAULT_WEIGHT = 100;

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;

/** Service, instance and consumer names become path segments: no slashes, no dot segments, bounded length. */
export function checkName(kind: string, name: string): string {
  if (!NAME_PATTERN.test(name)) throw new Error(`${kind} name ${JSON.stringify(name)} must match ${NAME_PATTERN}`);
  return name;
}

export const servicePaths = {
  service: (service: string) => `${SERVICES_ROOT}/${checkName('service', service)}`,
  providers: (service: string) => `${servicePaths.service(service)}/providers`,
  provider: (service: string, id: string) => `${servicePaths.providers(service)}/${checkName('instance', id)}`,
  consumers: (service: string) => `${servicePaths.service(service)}/consumers`,
  consumer: (service: string, id: string) => `${servicePaths.consumers(service)}/${checkName('consumer', id)}`,
  overrides: (service: string) => `${servicePaths.service(service)}/overrides`,
  override: (service: string, id: string) => `${servicePaths.overrides(service)}/${checkName('instance', id)}`,
  policy: (service: string) => `${servicePaths.service(service)}/policy`,
};

function parseObject(text: string, what: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what}: expected a JSON object`);
  return value as Record<string, unknown>;
}

function optionalNumber(record: Record<string, unknown>, key: string, what: string): number | undefined {
  const value = record[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`${what}: ${key} must be a non-negative number`);
  return value;
}

function optionalString(record: Record<string, unknown>, key: string, what: string): string | undefined {
  const value = record[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new Error(`${what}: ${key} must be a string`);
  return value;
}

function optionalStringMap(record: Record<string, unknown>, key: string, what: string): Record<string, string> | undefined {
  const value = record[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new Error(`${what}: ${key} must map strings to strings`);
  }
  return value as Record<string, string>;
}

export function parseInstance(text: string, idFromPath: string): ServiceInstance {
  const what = `provider ${idFromPath}`;
  const record = parseObject(text, what);
  const host = optionalString(record, 'host', what);
  const port = optionalNumber(record, 'port', what);
  if (host === undefined || port === undefined || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`${what}: needs host and a port in 1..65535`);
  }
  return {
    id: idFromPath,
    host,
    port,
    weight: optionalNumber(record, 'weight', what),
    zone: optionalString(record, 'zone', what),
    version: optionalString(record, 'version', what),
    metadata: optionalStringMap(record, 'metadata', what),
  };
}

export function parseOverride(text: string, id: string): InstanceOverride {
  const what = `override ${id}`;
  const record = parseObject(text, what);
  const disabled = record['disabled'];
  if (disabled !== undefined && typeof disabled !== 'boolean') throw new Error(`${what}: disabled must be a boolean`);
  return { weight: optionalNumber(record, 'weight', what), disabled };
}

export function parsePolicy(text: string): LoadBalancingPolicy {
  const record = parseObject(text, 'policy');
  const strategy = record['strategy'];
  if (typeof strategy !== 'string' || !STRATEGY_NAMES.includes(strategy as StrategyName)) {
    throw new Error(`policy: strategy must be one of ${STRATEGY_NAMES.join(', ')}`);
  }
  return { strategy: strategy as StrategyName, virtualNodes: optionalNumber(record, 'virtualNodes', 'policy') };
}
