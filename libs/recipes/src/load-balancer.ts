// Load-balancing strategies over a list of instances, pure (no I/O): random, round robin, weighted random,
// least outstanding, consistent hash by key, sticky. `random` is injectable so tests are deterministic.
import { DEFAULT_WEIGHT, type LoadBalancingPolicy, type ServiceInstance } from './service-layout';

export interface PickContext {
  /** The key consistent-hash routes by (e.g. a user id); other strategies ignore it. */
  key?: string;
}

export class LoadBalancer {
  private roundRobinNext = 0;
  private readonly outstanding = new Map<string, number>();
  private stickyId: string | undefined;
  private ring: { instancesKey: string; points: { hash: number; id: string }[] } | undefined;

  constructor(private readonly random: () => number = Math.random) {}

  /** Picks one of `instances` (already filtered: enabled, effective weights applied) by `policy`. */
  pick(instances: readonly ServiceInstance[], policy: LoadBalancingPolicy, context: PickContext = {}): ServiceInstance | undefined {
    if (instances.length === 0) return undefined;
    switch (policy.strategy) {
      case 'random':
        return instances[Math.floor(this.random() * instances.length)];
      case 'round-robin':
        return instances[this.roundRobinNext++ % instances.length];
      case 'weighted':
        return this.weighted(instances);
      case 'least-outstanding':
        return this.leastOutstanding(instances);
      case 'consistent-hash':
        return this.consistentHash(instances, context.key ?? '', policy.virtualNodes ?? 160);
      case 'sticky': {
        const current = instances.find((instance) => instance.id === this.stickyId);
        if (current !== undefined) return current;
        const chosen = this.weighted(instances);
        this.stickyId = chosen.id;
        return chosen;
      }
    }
  }

  /** Marks a call to `id` as started (least-outstanding); returns the function that marks it done. */
  begin(id: string): () => void {
    this.outstanding.set(id, (this.outstanding.get(id) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const count = (this.outstanding.get(id) ?? 1) - 1;
      if (count <= 0) this.outstanding.delete(id);
      else this.outstanding.set(id, count);
    };
  }

  outstandingOf(id: string): number {
    return this.outstanding.get(id) ?? 0;
  }

  private weighted(instances: readonly ServiceInstance[]): ServiceInstance {
    const weights = instances.map((instance) => instance.weight ?? DEFAULT_WEIGHT);
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    if (total <= 0) return instances[Math.floor(this.random() * instances.length)];
    let point = this.random() * total;
    for (let i = 0; i < instances.length; i++) {
      point -= weights[i];
      if (point < 0) return instances[i];
    }
    return instances[instances.length - 1];
  }

  private leastOutstanding(instances: readonly ServiceInstance[]): ServiceInstance {
    let lowest = Infinity;
    let candidates: ServiceInstance[] = [];
    for (const instance of instances) {
      const count = this.outstandingOf(instance.id);
      if (count < lowest) {
        lowest = count;
        candidates = [instance];
      } else if (count === lowest) {
        candidates.push(instance);
      }
    }
    return candidates[Math.floor(this.random() * candidates.length)];
  }

  private consistentHash(instances: readonly ServiceInstance[], key: string, virtualNodes: number): ServiceInstance {
    const instancesKey = `${virtualNodes}|${instances.map((instance) => instance.id).sort().join(',')}`;
    if (this.ring?.instancesKey !== instancesKey) {
      const points = instances.flatMap((instance) => Array.from({ length: virtualNodes }, (_, v) => ({ hash: fnv1a(`${instance.id}#${v}`), id: instance.id })));
      points.sort((a, b) => a.hash - b.hash);
      this.ring = { instancesKey, points };
    }
    const points = this.ring.points;
    const hash = fnv1a(key);
    let low = 0;
    let high = points.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (points[mid].hash < hash) low = mid + 1;
      else high = mid;
    }
    const id = points[low % points.length].id;
    return instances.find((instance) => instance.id === id) as ServiceInstance;
  }
}

/** 32-bit FNV-1a over UTF-16 code units, then a murmur-style finaliser so nearby keys spread over the ring. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}
