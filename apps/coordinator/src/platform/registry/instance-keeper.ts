// What the current leader does for HTTP-registered instances: removes those whose heartbeats stopped (their
// expiry time is in the node), and runs the health checks they declared, writing results to the tree so every
// member and SDK discovery see them. Runs only on the leader (PlatformState.onLeader).
import { connect } from 'node:net';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ROOT_LOGGER } from '../../tokens';
import type { Logger } from '../../util/logger';
import { AuditService } from '../access/audit.service';
import { PlatformState } from '../shared/platform-state';
import type { CheckSpec, HealthRecord } from './registry-records';
import { RegistryService } from './registry.service';

const SWEEP_EVERY_MS = 500;
const CHECK_TIMEOUT_MS = 2_000;
/** A health record is rewritten when the result changes, or at least this often (lastCheckedAt stays useful). */
const HEALTH_REFRESH_MS = 30_000;

@Injectable()
export class InstanceKeeper implements OnModuleInit {
  private readonly lastCheckMs = new Map<string, number>();
  private readonly checksRunning = new Set<string>();
  private readonly log: Logger;

  constructor(
    @Inject(RegistryService) private readonly registry: RegistryService,
    @Inject(PlatformState) private readonly state: PlatformState,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'registry' });
  }

  onModuleInit(): void {
    this.state.onLeader('http-instances', SWEEP_EVERY_MS, () => this.sweep());
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    const seen = new Set<string>();
    for (const { service, id, record, version } of await this.registry.httpInstances()) {
      const key = `${service}/${id}`;
      seen.add(key);
      if (typeof record.expiresAt === 'number' && record.expiresAt < now) {
        // Version-conditioned: a heartbeat that lands meanwhile wins.
        await this.registry.removeInstance(service, id, version).catch(() => undefined);
        this.log.info('removed an HTTP-registered instance: no heartbeat within its TTL', { service, instance: id, ttlSeconds: record.ttlSeconds ?? 0 });
        await this.audit.record({ user: 'system', action: 'instance.expire', target: `service:${service}/instance:${id}`, beforeVersion: version, afterVersion: null, detail: `no heartbeat within ${record.ttlSeconds ?? 0} s` });
        continue;
      }
      if (record.check && !this.checksRunning.has(key) && now - (this.lastCheckMs.get(key) ?? 0) >= record.check.intervalMs) {
        this.lastCheckMs.set(key, now);
        this.checksRunning.add(key);
        void this.check(service, id, record.check).finally(() => this.checksRunning.delete(key));
      }
    }
    for (const key of [...this.lastCheckMs.keys()]) if (!seen.has(key)) this.lastCheckMs.delete(key);
  }

  private async check(service: string, id: string, spec: CheckSpec): Promise<void> {
    const result = await runCheck(spec, CHECK_TIMEOUT_MS);
    const previous = await this.registry.readHealth(service, id);
    const now = Date.now();
    if (previous && previous.healthy === result.healthy && previous.lastResult === result.lastResult && now - previous.lastCheckedAt < HEALTH_REFRESH_MS) return;
    const record: HealthRecord = { ...result, lastCheckedAt: now };
    await this.registry.writeHealth(service, id, record);
    if (previous?.healthy !== result.healthy) this.log.info('health check result changed', { service, instance: id, healthy: result.healthy, result: result.lastResult });
  }
}

/** One active check: http (2xx/3xx is healthy) or tcp (a connection is healthy). */
export async function runCheck(spec: CheckSpec, timeoutMs: number): Promise<{ healthy: boolean; lastResult: string }> {
  if (spec.type === 'http') {
    try {
      const response = await fetch(spec.target, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
      await response.body?.cancel().catch(() => undefined);
      const healthy = response.status >= 200 && response.status < 400;
      return { healthy, lastResult: `HTTP ${response.status}` };
    } catch (error) {
      return { healthy: false, lastResult: `HTTP check failed: ${(error as Error).message}` };
    }
  }
  const match = /^\[?([^\]]+)\]?:(\d+)$/.exec(spec.target);
  if (!match) return { healthy: false, lastResult: `bad tcp target ${spec.target}` };
  return new Promise((resolve) => {
    const socket = connect({ host: match[1], port: Number(match[2]) });
    const done = (healthy: boolean, lastResult: string): void => {
      socket.destroy();
      clearTimeout(timer);
      resolve({ healthy, lastResult });
    };
    const timer = setTimeout(() => done(false, `TCP connect timed out after ${timeoutMs} ms`), timeoutMs);
    socket.once('connect', () => done(true, 'TCP connect ok'));
    socket.once('error', (error) => done(false, `TCP connect failed: ${error.message}`));
  });
}
