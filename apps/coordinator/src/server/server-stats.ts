// Counters behind srvr/stat/mntr and /metrics: packets, latency, outstanding requests.

export class ServerStats {
  packetsReceived = 0;
  packetsSent = 0;
  private latencyMinMs = Number.POSITIVE_INFINITY;
  private latencyMaxMs = 0;
  private latencyTotalMs = 0;
  private latencyCount = 0;
  readonly startedAtMs: number;

  constructor(nowMs: number) {
    this.startedAtMs = nowMs;
  }

  recordLatency(ms: number): void {
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
