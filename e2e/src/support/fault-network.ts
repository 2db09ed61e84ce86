// Every ordered pair of ensemble members behind its own FaultProxy, per channel (quorum, election): member i
// dials portFor(i, j, channel) to reach j, so partitions, one-way cuts and delays are set per directed link.
import { FaultProxy, type CutMode } from './fault-proxy';

export interface FaultNetworkMember {
  id: number;
  /** Channel name → the port the member itself listens on, e.g. { quorum: 4001, election: 4002 }. */
  ports: Record<string, number>;
}

/** A directed link, sender first. */
export type Link = readonly [from: number, to: number];

export class FaultNetwork {
  /** "from→to" → channel → proxy. */
  private readonly links = new Map<string, Map<string, FaultProxy>>();
  private readonly startedAtMs = Date.now();
  /** What was done to the network and when, for failure messages. */
  readonly history: string[] = [];

  private constructor(
    readonly memberIds: readonly number[],
    private readonly cutMode: CutMode,
  ) {}

  /** Starts one proxy per ordered pair and channel, each forwarding to the receiver's own port. */
  static async start(members: readonly FaultNetworkMember[], options: { cutMode?: CutMode } = {}): Promise<FaultNetwork> {
    const network = new FaultNetwork(
      members.map((m) => m.id),
      options.cutMode ?? 'blackhole',
    );
    try {
      for (const from of members) {
        for (const to of members) {
          if (from.id === to.id) continue;
          const channels = new Map<string, FaultProxy>();
          network.links.set(key(from.id, to.id), channels);
          for (const [channel, targetPort] of Object.entries(to.ports)) {
            channels.set(channel, await FaultProxy.start({ label: `${from.id}→${to.id} ${channel}`, targetPort, defaultCutMode: network.cutMode }));
          }
        }
      }
    } catch (error) {
      await network.close();
      throw error;
    }
    return network;
  }

  /** The port `from` must dial to reach `to` on `channel`. */
  portFor(from: number, to: number, channel: string): number {
    const proxy = this.proxiesOf(from, to).get(channel);
    if (!proxy) throw new Error(`no ${channel} channel on link ${from}→${to}`);
    return proxy.port;
  }

  /** Cuts both directions between every member of `groupA` and every member of `groupB`. */
  partition(groupA: readonly number[], groupB: readonly number[]): void {
    const links: Link[] = [];
    for (const a of groupA) for (const b of groupB) links.push([a, b], [b, a]);
    this.apply(links, (proxy) => proxy.cut(), `partition [${groupA.join(',')}] | [${groupB.join(',')}]`);
  }

  /** Cuts `id` off from every other member, both directions. */
  isolate(id: number): void {
    this.partition(
      [id],
      this.memberIds.filter((other) => other !== id),
    );
  }

  /** Cuts `from`→`to` only: `to` still reaches `from`. */
  cutOneWay(from: number, to: number): void {
    this.apply([[from, to]], (proxy) => proxy.cut(), `cut ${from}→${to}`);
  }

  /**
   * Cuts both directions of each pair; anything not listed keeps working. A bridge (member 3 the only path
   * between {1,2} and {4,5}) is cutPairs([[1,4],[1,5],[2,4],[2,5]]).
   */
  cutPairs(pairs: ReadonlyArray<readonly [number, number]>): void {
    const links = pairs.flatMap(([a, b]): Link[] => [
      [a, b],
      [b, a],
    ]);
    this.apply(links, (proxy) => proxy.cut(), `cut pairs ${pairs.map(([a, b]) => `${a}↔${b}`).join(' ')}`);
  }

  /** Restores `from`→`to` (one direction). */
  heal(from: number, to: number): void {
    this.apply([[from, to]], (proxy) => proxy.heal(), `heal ${from}→${to}`);
  }

  /** Latency on `from`→`to` (both directions of its TCP connections), order kept; 0 removes it. */
  delay(from: number, to: number, ms: number): void {
    this.apply([[from, to]], (proxy) => proxy.setDelay(ms), `delay ${from}→${to} ${ms} ms`);
  }

  /** Resets `from`→`to`'s connections at rate `p` per chunk (see FaultProxy.setDropRate); 0 removes it. */
  dropRate(from: number, to: number, p: number, random?: () => number): void {
    this.apply([[from, to]], (proxy) => proxy.setDropRate(p, random), `reset rate ${from}→${to} ${p}`);
  }

  /** Heals every cut and removes every delay and drop rate. */
  healAll(): void {
    this.apply(this.allLinks(), (proxy) => {
      proxy.heal();
      proxy.setDelay(0);
      proxy.setDropRate(0);
    }, 'heal all');
  }

  /** Every link with a fault in force (one line each), or a line saying there is none; then the history. */
  describe(): string {
    const faulty = [...this.links.values()].flatMap((channels) => [...channels.values()]).filter((proxy) => proxy.hasFault);
    const state = faulty.length > 0 ? faulty.map((proxy) => `  ${proxy.describe()}`).join('\n') : '  every link ok';
    return `network faults:\n${state}\nnetwork history:\n${this.history.map((line) => `  ${line}`).join('\n') || '  (none)'}`;
  }

  async close(): Promise<void> {
    await Promise.all([...this.links.values()].flatMap((channels) => [...channels.values()].map((proxy) => proxy.close())));
  }

  private apply(links: readonly Link[], change: (proxy: FaultProxy) => void, what: string): void {
    for (const [from, to] of links) for (const proxy of this.proxiesOf(from, to).values()) change(proxy);
    this.history.push(`+${((Date.now() - this.startedAtMs) / 1000).toFixed(1)} s ${what}`);
  }

  private proxiesOf(from: number, to: number): Map<string, FaultProxy> {
    const channels = this.links.get(key(from, to));
    if (!channels) throw new Error(`no link ${from}→${to} (members: ${this.memberIds.join(', ')})`);
    return channels;
  }

  private allLinks(): Link[] {
    return this.memberIds.flatMap((from) => this.memberIds.filter((to) => to !== from).map((to): Link => [from, to]));
  }
}

function key(from: number, to: number): string {
  return `${from}→${to}`;
}
