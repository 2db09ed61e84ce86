// A node cache (Curator's NodeCache): a local mirror of one node's data and stat, kept by a data/exists
// watch, re-read after every reconnect (no change missed) and new session; listeners hear each change.
import { NoNodeError, type Stat, type WatchEvent, type ZooKeeperClient } from '@zk/sdk';

export interface CachedNode {
  data: Uint8Array;
  stat: Stat;
}

export class NodeCache {
  private current: CachedNode | undefined;
  private running = true;
  private work: Promise<void> = Promise.resolve();
  private readonly offs: (() => void)[];

  private constructor(
    private readonly client: ZooKeeperClient,
    readonly path: string,
    private readonly onChange: (node: CachedNode | undefined) => void,
  ) {
    this.offs = [client.on('reconnected', () => void this.schedule()), client.on('connected', () => void this.schedule())];
  }

  /** Reads the node, then mirrors it; `onChange` is called for each change after the first read. */
  static async start(client: ZooKeeperClient, path: string, onChange: (node: CachedNode | undefined) => void = () => undefined): Promise<NodeCache> {
    const cache = new NodeCache(client, path, onChange);
    await cache.schedule();
    return cache;
  }

  /** The node as last seen; undefined while it does not exist. */
  get node(): CachedNode | undefined {
    return this.current;
  }

  close(): void {
    this.running = false;
    for (const off of this.offs.splice(0)) off();
  }

  private readonly onWatch = (_event: WatchEvent): void => {
    void this.schedule();
  };

  private schedule(): Promise<void> {
    const next = this.work.then(() => this.refresh());
    this.work = next.catch(() => undefined);
    return next;
  }

  private async refresh(): Promise<void> {
    if (!this.running || this.client.state !== 'connected') return;
    let next: CachedNode | undefined;
    try {
      next = await this.client.getData(this.path, this.onWatch);
    } catch (error) {
      if (!(error instanceof NoNodeError)) throw error;
      if ((await this.client.exists(this.path, this.onWatch)) !== null) return this.refresh();
      next = undefined;
    }
    const previous = this.current;
    this.current = next;
    const same = previous?.stat.mzxid === next?.stat.mzxid && previous?.stat.czxid === next?.stat.czxid;
    if (!same && this.running) this.onChange(next);
  }
}
