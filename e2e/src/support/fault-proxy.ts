// A loopback TCP proxy for one directed link between two processes, with faults a real network has: a cut
// (black hole or reset), added latency that keeps byte order, and connection resets at a seeded rate.
// FaultNetwork (fault-network.ts) puts one of these on every ordered pair of ensemble members.
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * How a cut link behaves.
 * - `blackhole` (default, closest to a pulled cable): live connections stay open but go silent — bytes either
 *   way are read and discarded, nobody sees a FIN or RST — and new connections are accepted and treated the
 *   same. A sender only finds out through its own timeouts. On heal these connections are reset (their streams
 *   lost bytes, so they cannot carry frames any more) and the sender's redial gets a working link.
 * - `reset`: live connections are reset at once and new ones are reset as soon as they are accepted (a fast,
 *   loud failure, like a firewall answering with RST).
 */
export type CutMode = 'blackhole' | 'reset';

export interface FaultProxyOptions {
  /** For logs, e.g. "1→2 quorum". */
  label: string;
  targetPort: number;
  targetHost?: string;
  /** 0 (the default) lets the kernel pick. */
  listenPort?: number;
  /** Used by `cut()` without an argument. */
  defaultCutMode?: CutMode;
  /** Bytes held in one direction's delay queue before the proxy stops reading that side (backpressure). */
  queuedBytesMax?: number;
}

export interface FaultProxyStats {
  accepted: number;
  forwardedBytes: number;
  discardedBytes: number;
  /** Connections reset by the drop rate. */
  dropResets: number;
}

const QUEUED_BYTES_MAX_DEFAULT = 16 * 1024 * 1024;

/** A small seeded PRNG (mulberry32): the same seed gives the same drop decisions. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One direction of one connection: chunks leave in arrival order, each no earlier than its arrival + delay. */
class DelayedPipe {
  private readonly queue: Array<{ dueAtMs: number; chunk: Buffer | 'end' }> = [];
  private queuedBytes = 0;
  private lastDueAtMs = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly source: Socket,
    private readonly destination: Socket,
    private readonly proxy: FaultProxy,
    private readonly queuedBytesMax: number,
  ) {}

  push(chunk: Buffer | 'end', delayMs: number): void {
    const dueAtMs = Math.max(Date.now() + delayMs, this.lastDueAtMs);
    this.lastDueAtMs = dueAtMs;
    if (this.queue.length === 0 && dueAtMs <= Date.now()) {
      this.write(chunk);
      return;
    }
    this.queue.push({ dueAtMs, chunk });
    if (chunk !== 'end') {
      this.queuedBytes += chunk.length;
      if (this.queuedBytes > this.queuedBytesMax) this.source.pause();
    }
    this.schedule();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.queuedBytes = 0;
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return;
    this.timer = setTimeout(() => this.flush(), Math.max(0, this.queue[0].dueAtMs - Date.now()));
  }

  private flush(): void {
    this.timer = undefined;
    const nowMs = Date.now();
    while (this.queue.length > 0 && this.queue[0].dueAtMs <= nowMs) {
      const { chunk } = this.queue.shift() as { chunk: Buffer | 'end' };
      if (chunk !== 'end') this.queuedBytes -= chunk.length;
      this.write(chunk);
    }
    if (this.queuedBytes <= this.queuedBytesMax && this.source.isPaused()) this.source.resume();
    this.schedule();
  }

  private write(chunk: Buffer | 'end'): void {
    if (this.destination.destroyed || this.destination.writableEnded) return;
    if (chunk === 'end') {
      this.destination.end();
      return;
    }
    this.proxy.countForwarded(chunk.length);
    this.destination.write(chunk);
  }
}

/** One accepted connection and, unless it is black-holed from the start, its upstream connection. */
class ProxiedConnection {
  blackholed = false;
  private readonly toTarget?: DelayedPipe;
  private readonly toClient?: DelayedPipe;

  constructor(
    readonly client: Socket,
    readonly upstream: Socket | undefined,
    private readonly proxy: FaultProxy,
    queuedBytesMax: number,
  ) {
    if (upstream) {
      this.toTarget = new DelayedPipe(client, upstream, proxy, queuedBytesMax);
      this.toClient = new DelayedPipe(upstream, client, proxy, queuedBytesMax);
    }
  }

  /** Bytes from one side: discarded while black-holed, may reset the connection, else forwarded late. */
  onData(from: 'client' | 'upstream', chunk: Buffer): void {
    if (this.blackholed) {
      this.proxy.countDiscarded(chunk.length);
      return;
    }
    if (this.proxy.shouldDrop()) {
      this.proxy.countDropReset();
      this.reset();
      return;
    }
    (from === 'client' ? this.toTarget : this.toClient)?.push(chunk, this.proxy.delayMs);
  }

  onEnd(from: 'client' | 'upstream'): void {
    if (this.blackholed) return; // a partition hides the other side's FIN too
    (from === 'client' ? this.toTarget : this.toClient)?.push('end', this.proxy.delayMs);
  }

  goSilent(): void {
    this.blackholed = true;
    this.toTarget?.clear();
    this.toClient?.clear();
    // Keep reading (and discarding) even if backpressure had paused a side.
    this.client.resume();
    this.upstream?.resume();
  }

  reset(): void {
    this.toTarget?.clear();
    this.toClient?.clear();
    for (const socket of [this.client, this.upstream]) {
      if (socket && !socket.destroyed) socket.resetAndDestroy();
    }
  }
}

export class FaultProxy {
  readonly label: string;
  private readonly server: Server;
  private readonly connections = new Set<ProxiedConnection>();
  private readonly options: Required<Omit<FaultProxyOptions, 'listenPort'>>;
  private cutMode: CutMode | undefined;
  private dropRate = 0;
  private random: () => number = Math.random;
  private portValue = 0;
  private delayValue = 0;
  readonly stats: FaultProxyStats = { accepted: 0, forwardedBytes: 0, discardedBytes: 0, dropResets: 0 };

  private constructor(options: FaultProxyOptions) {
    this.label = options.label;
    this.options = {
      label: options.label,
      targetPort: options.targetPort,
      targetHost: options.targetHost ?? '127.0.0.1',
      defaultCutMode: options.defaultCutMode ?? 'blackhole',
      queuedBytesMax: options.queuedBytesMax ?? QUEUED_BYTES_MAX_DEFAULT,
    };
    this.server = createServer((client) => this.accept(client));
  }

  /** Starts listening on 127.0.0.1 (`listenPort`, or a free port). */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const proxy = new FaultProxy(options);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(options.listenPort ?? 0, '127.0.0.1', () => {
        proxy.server.off('error', reject);
        resolve();
      });
    });
    const address = proxy.server.address();
    if (address === null || typeof address === 'string') throw new Error(`${options.label}: proxy has no port`);
    proxy.portValue = address.port;
    return proxy;
  }

  /** Where the sender dials to reach the target through this proxy. */
  get port(): number {
    return this.portValue;
  }

  get delayMs(): number {
    return this.delayValue;
  }

  get isCut(): boolean {
    return this.cutMode !== undefined;
  }

  /** A cut, a delay or a drop rate is in force. */
  get hasFault(): boolean {
    return this.cutMode !== undefined || this.delayValue > 0 || this.dropRate > 0;
  }

  /** Cuts the link: see CutMode. Cutting a cut link again only changes the mode for new connections. */
  cut(mode: CutMode = this.options.defaultCutMode): void {
    this.cutMode = mode;
    for (const connection of [...this.connections]) {
      if (mode === 'reset') {
        this.connections.delete(connection);
        connection.reset();
      } else {
        connection.goSilent();
      }
    }
  }

  /** Restores the link for new connections; connections black-holed by the cut are reset so senders redial. */
  heal(): void {
    this.cutMode = undefined;
    for (const connection of [...this.connections]) {
      if (!connection.blackholed) continue;
      this.connections.delete(connection);
      connection.reset();
    }
  }

  /** Latency added to every chunk, both directions; order is kept (a chunk never overtakes an earlier one). */
  setDelay(ms: number): void {
    if (!(ms >= 0)) throw new Error(`${this.label}: delay must be >= 0, got ${ms}`);
    this.delayValue = ms;
  }

  /**
   * Resets the connection carrying a chunk with probability `p` per chunk (either direction), deciding with
   * `random` (pass `seededRandom(seed)` for a replayable run). Dropping bytes inside a TCP stream would
   * corrupt its framing, which no real network does to TCP, so a "lost packet" here is a lost connection.
   */
  setDropRate(p: number, random: () => number = seededRandom(1)): void {
    if (!(p >= 0 && p <= 1)) throw new Error(`${this.label}: drop rate must be in [0, 1], got ${p}`);
    this.dropRate = p;
    this.random = random;
  }

  /** One line: the label and every fault in force, or "ok". */
  describe(): string {
    const faults: string[] = [];
    if (this.cutMode) faults.push(`cut (${this.cutMode})`);
    if (this.delayValue > 0) faults.push(`delay ${this.delayValue} ms`);
    if (this.dropRate > 0) faults.push(`reset rate ${this.dropRate}`);
    return `${this.label}: ${faults.length > 0 ? faults.join(', ') : 'ok'} (${this.connections.size} open, ${this.stats.accepted} accepted)`;
  }

  /** Stops listening and resets every connection. */
  async close(): Promise<void> {
    for (const connection of this.connections) connection.reset();
    this.connections.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** @internal used by the connections */
  shouldDrop(): boolean {
    return this.dropRate > 0 && this.random() < this.dropRate;
  }

  /** @internal */
  countForwarded(bytes: number): void {
    this.stats.forwardedBytes += bytes;
  }

  /** @internal */
  countDiscarded(bytes: number): void {
    this.stats.discardedBytes += bytes;
  }

  /** @internal */
  countDropReset(): void {
    this.stats.dropResets += 1;
  }

  private accept(client: Socket): void {
    this.stats.accepted += 1;
    client.setNoDelay(true);
    client.on('error', () => undefined);
    if (this.cutMode === 'reset') {
      client.resetAndDestroy();
      return;
    }
    let connection: ProxiedConnection;
    if (this.cutMode === 'blackhole') {
      connection = new ProxiedConnection(client, undefined, this, this.options.queuedBytesMax);
      connection.goSilent();
    } else {
      const upstream = connect({ host: this.options.targetHost, port: this.options.targetPort, noDelay: true });
      upstream.on('error', () => undefined);
      connection = new ProxiedConnection(client, upstream, this, this.options.queuedBytesMax);
      upstream.on('data', (chunk: Buffer) => connection.onData('upstream', chunk));
      upstream.on('end', () => connection.onEnd('upstream'));
      upstream.on('close', (hadError) => this.onClose(connection, client, hadError));
    }
    this.connections.add(connection);
    client.on('data', (chunk: Buffer) => connection.onData('client', chunk));
    client.on('end', () => connection.onEnd('client'));
    client.on('close', (hadError) => this.onClose(connection, connection.upstream, hadError));
  }

  /** One side closed: an error resets the other side at once; a clean close has already sent its FIN on. */
  private onClose(connection: ProxiedConnection, other: Socket | undefined, hadError: boolean): void {
    if (connection.blackholed) {
      // Nobody on the far side may learn of it until the heal resets the pair.
      if (connection.client.destroyed && (connection.upstream?.destroyed ?? true)) this.connections.delete(connection);
      return;
    }
    if (hadError) {
      this.connections.delete(connection);
      connection.reset();
      return;
    }
    if (other === undefined || other.destroyed) this.connections.delete(connection);
  }
}
