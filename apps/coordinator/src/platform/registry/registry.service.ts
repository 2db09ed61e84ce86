// The service registry over the tree (/services/{service}/providers|consumers|overrides|policy|health): listings
// for the dashboard, HTTP registrations kept alive by heartbeats, per-instance overrides and the service's
// load-balancing policy. Every change goes through the platform's session, so SDK discovery sees it.
import { Inject, Injectable } from '@nestjs/common';
import { BadVersionError, NodeExistsError, NoNodeError } from '@zk/sdk';
import { servicePaths, SERVICES_ROOT, type InstanceOverride, type LoadBalancingPolicy } from '@zk/recipes';
import { badRequest, conflict, notFound, versionConflict } from '../shared/http-errors';
import { checkName } from '../shared/names';
import { PlatformZk } from '../shared/platform-zk';
import type { PolicyDto, RegisterInstanceDto } from './registry.dto';
import { healthPaths, parseJsonObject, toProvider, type CheckSpec, type HealthRecord, type InstanceRecord, type Provider } from './registry-records';

export interface Consumer {
  id: string;
  host: string;
  registeredAt: number;
  metadata: Record<string, string>;
}

export interface ServiceSummary {
  name: string;
  providers: { total: number; healthy: number; unhealthy: number; disabled: number };
  consumers: number;
  policy: { strategy: string };
}

export interface ServiceDetail {
  name: string;
  providers: Provider[];
  consumers: Consumer[];
  policy: StoredPolicy;
}

export type StoredPolicy = LoadBalancingPolicy & { hashKey?: string };

export const DEFAULT_TTL_SECONDS = 15;
export const DEFAULT_CHECK_INTERVAL_MS = 10_000;
const DEFAULT_POLICY: StoredPolicy = { strategy: 'random' };
const METADATA_KEYS_MAX = 64;
/** Names in the tree that the recipes' path helpers accept (a plain ZooKeeper client may have written others). */
const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;

@Injectable()
export class RegistryService {
  constructor(@Inject(PlatformZk) private readonly zk: PlatformZk) {}

  async listServices(search?: string): Promise<ServiceSummary[]> {
    await this.zk.sync();
    const needle = search?.toLowerCase();
    const names = (await this.zk.children(SERVICES_ROOT)).filter((name) => SAFE_SEGMENT.test(name)).filter((name) => needle === undefined || name.toLowerCase().includes(needle)).sort();
    const result: ServiceSummary[] = [];
    for (const name of names) {
      const detail = await this.readService(name);
      if (!detail) continue;
      const providers = detail.providers;
      result.push({
        name,
        providers: {
          total: providers.length,
          healthy: providers.filter((p) => p.healthy).length,
          unhealthy: providers.filter((p) => !p.healthy).length,
          disabled: providers.filter((p) => p.disabled).length,
        },
        consumers: detail.consumers.length,
        policy: { strategy: detail.policy.strategy },
      });
    }
    return result;
  }

  async getService(name: string): Promise<ServiceDetail> {
    checkName('service', name);
    await this.zk.sync();
    const detail = await this.readService(name);
    if (!detail) throw notFound(`no service ${name}`);
    return detail;
  }

  /** Registers (or re-registers) an instance for a program without a ZooKeeper client. */
  async register(service: string, body: RegisterInstanceDto): Promise<{ provider: Provider; beforeVersion: number | null; afterVersion: number }> {
    checkName('service', service);
    checkMetadata(body.metadata);
    const id = checkName('instance', body.id ?? defaultInstanceId(body.host, body.port));
    const now = Date.now();
    const ttlSeconds = body.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    const record: InstanceRecord = {
      id,
      host: body.host,
      port: body.port,
      weight: body.weight,
      zone: body.zone,
      version: body.version,
      metadata: body.metadata,
      source: 'http',
      registeredAt: now,
      ttlSeconds,
      expiresAt: now + ttlSeconds * 1000,
      check: body.check ? checkSpec(body.check, body.host, body.port) : undefined,
    };
    const path = servicePaths.provider(service, id);
    await this.zk.ensurePath(servicePaths.providers(service));
    const existing = await this.zk.readText(path);
    let beforeVersion: number | null = null;
    if (existing) {
      const previous = parseJsonObject(existing.text);
      if (previous?.['source'] !== 'http') throw conflict(`instance ${id} of ${service} is registered by a ZooKeeper session; choose another id`);
      beforeVersion = existing.stat.version;
      await this.zk.run((client) => client.setData(path, JSON.stringify(record), existing.stat.version));
    } else {
      try {
        await this.zk.run((client) => client.create(path, JSON.stringify(record)));
      } catch (error) {
        if (error instanceof NodeExistsError) throw conflict(`instance ${id} of ${service} was registered at the same time by another call; retry`);
        throw error;
      }
    }
    const read = await this.zk.readText(path);
    if (!read) throw notFound(`instance ${id} of ${service} was removed meanwhile`);
    const provider = toProvider(id, read.text, read.stat, undefined, undefined, Date.now()) as Provider;
    return { provider, beforeVersion, afterVersion: read.stat.version };
  }

  async heartbeat(service: string, id: string): Promise<{ expiresAt: number }> {
    const path = servicePaths.provider(checkName('service', service), checkName('instance', id));
    for (let attempt = 0; ; attempt++) {
      const read = await this.zk.readText(path);
      if (!read) throw notFound(`no instance ${id} of ${service} (it may have expired: register it again)`);
      const record = parseJsonObject(read.text) as InstanceRecord | undefined;
      if (record?.source !== 'http') throw badRequest(`instance ${id} of ${service} is registered by a ZooKeeper session, which keeps it alive; heartbeats are for HTTP registrations`);
      const expiresAt = Date.now() + (record.ttlSeconds ?? DEFAULT_TTL_SECONDS) * 1000;
      try {
        await this.zk.run((client) => client.setData(path, JSON.stringify({ ...record, expiresAt }), read.stat.version));
        return { expiresAt };
      } catch (error) {
        if (error instanceof NoNodeError) throw notFound(`no instance ${id} of ${service} (it expired: register it again)`);
        if (!(error instanceof BadVersionError) || attempt >= 3) throw error;
      }
    }
  }

  async deregister(service: string, id: string): Promise<number> {
    const path = servicePaths.provider(checkName('service', service), checkName('instance', id));
    const read = await this.zk.readText(path);
    if (!read) throw notFound(`no instance ${id} of ${service}`);
    await this.removeInstance(service, id, -1);
    return read.stat.version;
  }

  /** Deletes a provider node and its health record (if `version` still matches; -1: any). */
  async removeInstance(service: string, id: string, version: number): Promise<void> {
    try {
      await this.zk.run((client) => client.delete(`${servicePaths.providers(service)}/${id}`, version));
    } catch (error) {
      if (error instanceof NoNodeError) return;
      throw error;
    }
    await this.zk.run((client) => client.delete(healthPaths.instance(service, id))).catch(() => undefined);
  }

  async putOverride(service: string, id: string, body: { weight?: number; disabled?: boolean }, ifMatch: number | undefined): Promise<{ value: InstanceOverride & { version: number }; beforeVersion: number | null }> {
    checkName('service', service);
    checkName('instance', id);
    if (body.weight === undefined && body.disabled === undefined) throw badRequest('send weight and/or disabled');
    await this.requireService(service);
    const path = servicePaths.override(service, id);
    const override: InstanceOverride = {};
    if (body.weight !== undefined) override.weight = body.weight;
    if (body.disabled !== undefined) override.disabled = body.disabled;
    const text = JSON.stringify(override);
    const existing = await this.zk.readText(path);
    if (!existing) {
      if (ifMatch !== undefined && ifMatch !== -1) throw versionConflict(`the override of ${id}`, null);
      await this.zk.ensurePath(servicePaths.overrides(service));
      try {
        const created = await this.zk.run((client) => client.create(path, text));
        return { value: { ...override, version: created.stat?.version ?? 0 }, beforeVersion: null };
      } catch (error) {
        if (error instanceof NodeExistsError) throw versionConflict(`the override of ${id}`, null);
        throw error;
      }
    }
    if (ifMatch !== undefined && ifMatch !== existing.stat.version) throw versionConflict(`the override of ${id}`, existing.stat.version);
    try {
      const stat = await this.zk.run((client) => client.setData(path, text, ifMatch ?? -1));
      return { value: { ...override, version: stat.version }, beforeVersion: existing.stat.version };
    } catch (error) {
      if (error instanceof BadVersionError) throw versionConflict(`the override of ${id}`, (await this.zk.readText(path))?.stat.version ?? null);
      throw error;
    }
  }

  async deleteOverride(service: string, id: string): Promise<number> {
    const path = servicePaths.override(checkName('service', service), checkName('instance', id));
    const read = await this.zk.readText(path);
    if (!read) throw notFound(`no override for ${id} of ${service}`);
    await this.zk.run((client) => client.delete(path)).catch((error: unknown) => {
      if (!(error instanceof NoNodeError)) throw error;
    });
    return read.stat.version;
  }

  async getPolicy(service: string): Promise<StoredPolicy & { version: number }> {
    checkName('service', service);
    await this.zk.sync();
    await this.requireService(service);
    const read = await this.zk.readText(servicePaths.policy(service));
    return { ...this.parsePolicy(read?.text), version: read?.stat.version ?? -1 };
  }

  async putPolicy(service: string, body: PolicyDto, ifMatch: number | undefined): Promise<{ value: StoredPolicy & { version: number }; beforeVersion: number | null }> {
    checkName('service', service);
    await this.requireService(service);
    if (body.strategy !== 'consistent-hash' && (body.hashKey !== undefined || body.virtualNodes !== undefined)) {
      throw badRequest(`hashKey and virtualNodes apply to consistent-hash only, not ${body.strategy}`);
    }
    const policy: StoredPolicy = { strategy: body.strategy };
    if (body.hashKey !== undefined) policy.hashKey = body.hashKey;
    if (body.virtualNodes !== undefined) policy.virtualNodes = body.virtualNodes;
    const path = servicePaths.policy(service);
    const existing = await this.zk.readText(path);
    if (ifMatch !== undefined && ifMatch !== (existing?.stat.version ?? -1)) throw versionConflict(`the policy of ${service}`, existing?.stat.version ?? null);
    try {
      if (!existing) {
        const created = await this.zk.run((client) => client.create(path, JSON.stringify(policy)));
        return { value: { ...policy, version: created.stat?.version ?? 0 }, beforeVersion: null };
      }
      const stat = await this.zk.run((client) => client.setData(path, JSON.stringify(policy), ifMatch ?? -1));
      return { value: { ...policy, version: stat.version }, beforeVersion: existing.stat.version };
    } catch (error) {
      if (error instanceof BadVersionError || error instanceof NodeExistsError) throw versionConflict(`the policy of ${service}`, (await this.zk.readText(path))?.stat.version ?? null);
      throw error;
    }
  }

  /** Every HTTP-registered instance of every service, for the leader's expiry and health checks. */
  async httpInstances(): Promise<Array<{ service: string; id: string; record: InstanceRecord; version: number }>> {
    const found: Array<{ service: string; id: string; record: InstanceRecord; version: number }> = [];
    for (const service of (await this.zk.children(SERVICES_ROOT)).filter((name) => SAFE_SEGMENT.test(name))) {
      const ids = await this.zk.children(servicePaths.providers(service));
      const reads = await this.zk.readMany(ids.map((id) => `${servicePaths.providers(service)}/${id}`));
      reads.forEach((read, index) => {
        const record = read && (parseJsonObject(read.text) as InstanceRecord | undefined);
        if (read && record?.source === 'http') found.push({ service, id: ids[index], record, version: read.stat.version });
      });
    }
    return found;
  }

  async writeHealth(service: string, id: string, health: HealthRecord): Promise<void> {
    const path = healthPaths.instance(service, id);
    const text = JSON.stringify(health);
    try {
      await this.zk.run((client) => client.setData(path, text));
    } catch (error) {
      if (!(error instanceof NoNodeError)) throw error;
      await this.zk.ensurePath(healthPaths.health(service));
      await this.zk.createIfAbsent(path, text);
    }
  }

  async readHealth(service: string, id: string): Promise<HealthRecord | undefined> {
    return (await this.zk.readJson<HealthRecord>(healthPaths.instance(service, id)))?.value;
  }

  private async requireService(service: string): Promise<void> {
    if ((await this.zk.readText(servicePaths.service(service))) === undefined) throw notFound(`no service ${service}`);
  }

  private parsePolicy(text: string | undefined): StoredPolicy {
    const record = text === undefined ? undefined : parseJsonObject(text);
    return record && typeof record['strategy'] === 'string' ? (record as unknown as StoredPolicy) : DEFAULT_POLICY;
  }

  private async readService(name: string): Promise<ServiceDetail | undefined> {
    if ((await this.zk.readText(servicePaths.service(name))) === undefined) return undefined;
    const [providerIds, consumerIds, overrideIds, healthIds] = await Promise.all([
      this.zk.children(servicePaths.providers(name)),
      this.zk.children(servicePaths.consumers(name)),
      this.zk.children(servicePaths.overrides(name)),
      this.zk.children(healthPaths.health(name)),
    ]);
    const [providerReads, consumerReads, overrideReads, healthReads, policyRead] = await Promise.all([
      this.zk.readMany(providerIds.map((id) => `${servicePaths.providers(name)}/${id}`)),
      this.zk.readMany(consumerIds.map((id) => `${servicePaths.consumers(name)}/${id}`)),
      this.zk.readMany(overrideIds.map((id) => `${servicePaths.overrides(name)}/${id}`)),
      this.zk.readMany(healthIds.map((id) => healthPaths.instance(name, id))),
      this.zk.readText(servicePaths.policy(name)),
    ]);
    const overrides = new Map<string, InstanceOverride>();
    overrideReads.forEach((read, i) => {
      const record = read && parseJsonObject(read.text);
      if (record) overrides.set(overrideIds[i], record as InstanceOverride);
    });
    const health = new Map<string, HealthRecord>();
    healthReads.forEach((read, i) => {
      const record = read && parseJsonObject(read.text);
      if (record) health.set(healthIds[i], record as unknown as HealthRecord);
    });
    const now = Date.now();
    const providers = providerReads.flatMap((read, i) => {
      const provider = read && toProvider(providerIds[i], read.text, read.stat, overrides.get(providerIds[i]), health.get(providerIds[i]), now);
      return provider ? [provider] : [];
    });
    const consumers = consumerReads.flatMap((read, i): Consumer[] => {
      if (!read) return [];
      const record = parseJsonObject(read.text) ?? {};
      return [{
        id: consumerIds[i],
        host: typeof record['host'] === 'string' ? record['host'] : '',
        registeredAt: Number(read.stat.ctime),
        metadata: (record['metadata'] as Record<string, string> | undefined) ?? {},
      }];
    });
    return { name, providers, consumers, policy: this.parsePolicy(policyRead?.text) };
  }
}

export function defaultInstanceId(host: string, port: number): string {
  return `${host.replace(/[^A-Za-z0-9._-]/g, '-')}-${port}`.replace(/^[^A-Za-z0-9]+/, '').slice(0, 128);
}

function checkMetadata(metadata: Record<string, string> | undefined): void {
  if (metadata === undefined) return;
  const entries = Object.entries(metadata);
  if (entries.length > METADATA_KEYS_MAX) throw badRequest(`metadata has ${entries.length} keys; at most ${METADATA_KEYS_MAX}`);
  for (const [key, value] of entries) {
    if (typeof value !== 'string' || key.length > 128 || value.length > 1024) throw badRequest(`metadata.${key} must be a string of at most 1024 characters (keys at most 128)`);
  }
}

function checkSpec(check: { type: 'http' | 'tcp'; target?: string; intervalMs?: number }, host: string, port: number): CheckSpec {
  const intervalMs = check.intervalMs ?? DEFAULT_CHECK_INTERVAL_MS;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  if (check.type === 'http') {
    const target = check.target ?? `http://${hostPart}:${port}/health`;
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw badRequest(`check.target ${JSON.stringify(target)} is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badRequest('check.target must be an http:// or https:// URL');
    return { type: 'http', target: url.toString(), intervalMs };
  }
  const target = check.target ?? `${hostPart}:${port}`;
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(target);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) throw badRequest(`check.target ${JSON.stringify(target)} must be host:port for a tcp check`);
  return { type: 'tcp', target, intervalMs };
}
