// Discovering a service: a live cache of /services/{name} (providers, overrides, policy) kept by one
// persistent recursive watch, fully re-read after every reconnect and new session, and a pick() by the
// service's stored load-balancing policy. A cache that has been cut off longer than a session timeout refuses
// to answer rather than return providers that may have expired. Providers the config center's active health
// checks mark unhealthy (/services/{name}/health/{id} with healthy: false) are left out unless asked for.
import { basename, ConnectionLossError, NoNodeError, SessionExpiredError, toText, type PersistentWatch, type WatchEvent, type ZooKeeperClient } from '@zk/sdk';
import { LoadBalancer, type PickContext } from './load-balancer';
import { parseInstance, parseOverride, parsePolicy, servicePaths, type InstanceOverride, type LoadBalancingPolicy, type ServiceInstance } from './service-layout';

export interface DiscoveryOptions {
  /** Used when the service stores no policy (or an invalid one). Default: random. */
  defaultPolicy?: LoadBalancingPolicy;
  /** Called after every change of the visible instances. */
  onChange?: (instances: ServiceInstance[]) => void;
  /** Records that cannot be parsed (they are left out); default: console.warn. */
  onInvalidRecord?: (path: string, error: unknown) => void;
  random?: () => number;
  /** Also return providers whose health check failed. Default false. */
  includeUnhealthy?: boolean;
}

/** Where the platform's health checks write their results (one node per checked instance). */
const healthFolder = (service: string): string => `${servicePaths.service(service)}/health`;

export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';
}

export class ServiceCache {
  private readonly providers = new Map<string, ServiceInstance>();
  private readonly overrides = new Map<string, InstanceOverride>();
  /** Instance id → healthy, for instances with a health record. */
  private readonly health = new Map<string, boolean>();
  private storedPolicy: LoadBalancingPolicy | undefined;
  private readonly balancer: LoadBalancer;
  private watch: PersistentWatch | undefined;
  private suspendedSinceMs: number | undefined;
  /** Bumped by every applied change; a reload only drops entries untouched since it began. */
  private changeSeq = 0;
  private readonly touchedAt = new Map<string, number>();
  private readonly stopListening: () => void;
  private closed = false;

  private constructor(
    private readonly client: ZooKeeperClient,
    readonly service: string,
    private readonly options: DiscoveryOptions,
  ) {
    this.balancer = new LoadBalancer(options.random);
    const offs = [
      client.on('suspended', () => {
        this.suspendedSinceMs ??= Date.now();
      }),
      client.on('reconnected', () => this.resyncInBackground(false)),
      client.on('connected', () => this.resyncInBackground(true)),
      client.on('expired', () => {
        this.watch = undefined;
      }),
    ];
    this.stopListening = () => offs.forEach((off) => off());
  }

  /** Starts watching `service` and resolves once the first full read is done. */
  static async start(client: ZooKeeperClient, service: string, options: DiscoveryOptions = {}): Promise<ServiceCache> {
    const cache = new ServiceCache(client, service, options);
    await cache.resync(true);
    return cache;
  }

  /** The policy in effect: the service's stored one, else the default. */
  get policy(): LoadBalancingPolicy {
    return this.storedPolicy ?? this.options.defaultPolicy ?? { strategy: 'random' };
  }

  /** True when the client has been disconnected for longer than its session timeout: providers may be gone. */
  get isStale(): boolean {
    return this.suspendedSinceMs !== undefined && Date.now() - this.suspendedSinceMs > this.client.sessionTimeoutMs;
  }

  /** Enabled providers with their effective weights (overrides applied), sorted by id. */
  instances(): ServiceInstance[] {
    const result: ServiceInstance[] = [];
    for (const [id, instance] of this.providers) {
      const override = this.overrides.get(id);
      if (override?.disabled === true) continue;
      if (this.health.get(id) === false && this.options.includeUnhealthy !== true) continue;
      result.push(override?.weight === undefined ? instance : { ...instance, weight: override.weight });
    }
    return result.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** One provider chosen by the policy; throws ServiceUnavailableError when there is none (or the cache is stale). */
  pick(context: PickContext = {}): ServiceInstance {
    if (this.isStale) throw new ServiceUnavailableError(`${this.service}: disconnected longer than the session timeout; providers unknown`);
    const chosen = this.balancer.pick(this.instances(), this.policy, context);
    if (chosen === undefined) throw new ServiceUnavailableError(`${this.service}: no available provider`);
    return chosen;
  }

  /** Picks a provider and counts the call as outstanding until `release()` (for least-outstanding). */
  acquire(context: PickContext = {}): { instance: ServiceInstance; release: () => void } {
    const instance = this.pick(context);
    return { instance, release: this.balancer.begin(instance.id) };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopListening();
    await this.watch?.remove().catch(() => undefined);
  }

  // ---- keeping the cache ----

  /** A resync after a (re)connection; one cut short by another connection loss is redone on the next reconnection. */
  private resyncInBackground(newSession: boolean): void {
    this.resync(newSession).catch((error: unknown) => {
      if (!(error instanceof ConnectionLossError) && !(error instanceof SessionExpiredError) && !this.closed) console.error(`service cache ${this.service}:`, error);
    });
  }

  private async resync(newSession: boolean): Promise<void> {
    if (this.closed || this.client.state !== 'connected') return;
    if (newSession || this.watch === undefined) {
      this.watch = await this.client.addWatch(servicePaths.service(this.service), (event) => void this.onEvent(event), { recursive: true });
    }
    await this.reload();
    this.suspendedSinceMs = undefined;
  }

  private async reload(): Promise<void> {
    const startSeq = this.changeSeq;
    const [providerIds, overrideIds, healthIds] = await Promise.all([
      this.childrenOf(servicePaths.providers(this.service)),
      this.childrenOf(servicePaths.overrides(this.service)),
      this.childrenOf(healthFolder(this.service)),
    ]);
    this.dropUntouched(this.providers, 'p:', new Set(providerIds), startSeq);
    this.dropUntouched(this.overrides, 'o:', new Set(overrideIds), startSeq);
    this.dropUntouched(this.health, 'h:', new Set(healthIds), startSeq);
    await Promise.all([
      ...providerIds.map((id) => this.readProvider(id)),
      ...overrideIds.map((id) => this.readOverride(id)),
      ...healthIds.map((id) => this.readHealth(id)),
      this.readPolicy(),
    ]);
    this.changed();
  }

  private async onEvent(event: WatchEvent): Promise<void> {
    const { path } = event;
    const id = basename(path);
    const parent = path.slice(0, path.length - id.length - 1);
    try {
      if (parent === servicePaths.providers(this.service)) await this.readProvider(id);
      else if (parent === servicePaths.overrides(this.service)) await this.readOverride(id);
      else if (parent === healthFolder(this.service)) await this.readHealth(id);
      else if (path === servicePaths.policy(this.service)) await this.readPolicy();
      else if (path === servicePaths.providers(this.service) || path === servicePaths.overrides(this.service) || path === servicePaths.service(this.service)) {
        await this.reload();
        return;
      } else return;
    } catch (error) {
      this.options.onInvalidRecord?.(path, error);
      return;
    }
    this.changed();
  }

  private async childrenOf(path: string): Promise<string[]> {
    try {
      return await this.client.getChildren(path);
    } catch (error) {
      if (error instanceof NoNodeError) return [];
      throw error;
    }
  }

  private async readProvider(id: string): Promise<void> {
    const text = await this.read(servicePaths.provider(this.service, id));
    this.touch(`p:${id}`);
    if (text === undefined) {
      this.providers.delete(id);
      return;
    }
    try {
      this.providers.set(id, parseInstance(text, id));
    } catch (error) {
      this.providers.delete(id);
      this.invalid(servicePaths.provider(this.service, id), error);
    }
  }

  private async readOverride(id: string): Promise<void> {
    const text = await this.read(servicePaths.override(this.service, id));
    this.touch(`o:${id}`);
    if (text === undefined) {
      this.overrides.delete(id);
      return;
    }
    try {
      this.overrides.set(id, parseOverride(text, id));
    } catch (error) {
      this.overrides.delete(id);
      this.invalid(servicePaths.override(this.service, id), error);
    }
  }

  private async readHealth(id: string): Promise<void> {
    const text = await this.read(`${healthFolder(this.service)}/${id}`);
    this.touch(`h:${id}`);
    let healthy: unknown;
    try {
      healthy = text === undefined ? undefined : (JSON.parse(text) as { healthy?: unknown }).healthy;
    } catch {
      healthy = undefined;
    }
    if (typeof healthy === 'boolean') this.health.set(id, healthy);
    else this.health.delete(id);
  }

  private async readPolicy(): Promise<void> {
    const text = await this.read(servicePaths.policy(this.service));
    if (text === undefined || text === '') {
      this.storedPolicy = undefined;
      return;
    }
    try {
      this.storedPolicy = parsePolicy(text);
    } catch (error) {
      this.storedPolicy = undefined;
      this.invalid(servicePaths.policy(this.service), error);
    }
  }

  /** The node's data as text, or undefined if it does not exist. */
  private async read(path: string): Promise<string | undefined> {
    try {
      return toText((await this.client.getData(path)).data);
    } catch (error) {
      if (error instanceof NoNodeError) return undefined;
      throw error;
    }
  }

  private touch(key: string): void {
    this.touchedAt.set(key, ++this.changeSeq);
  }

  private dropUntouched<V>(map: Map<string, V>, prefix: string, present: Set<string>, sinceSeq: number): void {
    for (const id of [...map.keys()]) {
      if (!present.has(id) && (this.touchedAt.get(`${prefix}${id}`) ?? 0) <= sinceSeq) map.delete(id);
    }
  }

  private invalid(path: string, error: unknown): void {
    (this.options.onInvalidRecord ?? ((p: string, e: unknown) => console.warn(`service record ${p} ignored:`, e)))(path, error);
  }

  private changed(): void {
    this.options.onChange?.(this.instances());
  }
}

/** Starts a live cache of `service`'s providers; `pick()` chooses one by the service's policy. */
export function discover(client: ZooKeeperClient, service: string, options: DiscoveryOptions = {}): Promise<ServiceCache> {
  return ServiceCache.start(client, service, options);
}
