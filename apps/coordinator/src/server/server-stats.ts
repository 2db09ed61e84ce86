// Counters behind srvr/stat/mntr and /metrics: packets, latency, outstanding requests.

/** A list of listeners of one kind of event. */
export class Listeners<A extends unknown[]> {
  private readonly listeners: Array<(...args: A) => void> = [];

  on(listener: (...args: A) => void): void {
    this.listeners.push(listener);
  }

  emit(...args: A): void {
    for (const listener of this.listeners) listener(...args);
  }
}

export class ServerStats {
  packetsReceived = 0;
  packetsSent = 0;
  private latencyMinMs = Number.POSITIVE_INFINITY;
  private latencyMaxMs = 0;
  private latencyTotalMs = 0;
  private latencyCount = 0;
  readonly startedAtMs: number;
  /** Hears every answered request (op name, ZooKeeper error code, latency): the Prometheus metrics use it. */
  private readonly requestListeners: Array<(op: string, err: number, ms: number) => void> = [];

  constructor(nowMs: number) {
    this.startedAtMs = nowMs;
  }

  onRequest(listener: (op: string, err: number, ms: number) => void): void {
    this.requestListeners.push(listener);
  }

  /** Hears every durable log batch (flush ms, txns): fsync time in /metrics. */
  readonly logFlushes = new Listeners<[flushMs: number, txns: number]>();
  /** Hears, on the leader, each proposal's time from propose to commit (delivery) in ms. */
  readonly proposalsCommitted = new Listeners<[commitMs: number]>();

  recordLatency(ms: number, op?: string, err = 0): void {
    if (op !== undefined) for (const listener of this.requestListeners) listener(op, err, ms);
    this.latencyCount++;
    this.latencyTotalMs += ms;
    if (ms < this.latencyMinMs) this.latencyMinMs = ms;
    if (ms > this.latencyMaxMs) this.latencyMaxMs = ms;
  }

  get latency(): { min: number; avg: number; max: number; count: number } {
    if (this.latencyCount === 0) return { min: 0, avg: 0, max: 0, count: 0 };
    return { min: this.latencyMinMs, avg: this.latencyTotalMs / this.latencyCount, max: this.latencyMaxMs, count: this.latencyCount };
  }

  /** srst: counters start again. */
  reset(): void {
    this.packetsReceived = 0;
    this.packetsSent = 0;
    this.latencyMinMs = Number.POSITIVE_INFINITY;
    this.latencyMaxMs = 0;
    this.latencyTotalMs = 0;
    this.latencyCount = 0;
  }
}
