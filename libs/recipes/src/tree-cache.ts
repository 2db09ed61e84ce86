// A tree cache (Curator's TreeCache): a local mirror of a subtree (data and stat of every node), kept by one
// persistent recursive watch and re-read in full after every reconnect and new session, because ZooKeeper
// sends no catch-up events for persistent watches. Listeners hear each node added, updated or removed.
import { joinPath, NoNodeError, type PersistentWatch, type Stat, type WatchEvent, type ZooKeeperClient } from '@zk/sdk';

export interface TreeNode {
  data: Uint8Array;
  stat: Stat;
}

export type TreeChange = { type: 'added' | 'updated'; path: string; node: TreeNode } | { type: 'removed'; path: string };

const NODES_MAX_DEFAULT = 100_000;

export class TreeCache {
  private readonly nodes = new Map<string, TreeNode>();
  private watch: PersistentWatch | undefined;
  private running = true;
  private work: Promise<void> = Promise.resolve();
  private readonly offs: (() => void)[];

  private constructor(
    private readonly client: ZooKeeperClient,
    readonly rootPath: string,
    private readonly onChange: (change: TreeChange) => void,
    private readonly nodesMax: number,
  ) {
    this.offs = [
      client.on('reconnected', () => void this.schedule(() => this.rebuild(false))),
      client.on('connected', () => void this.schedule(() => this.rebuild(true))),
      client.on('expired', () => {
        this.watch = undefined;
      }),
    ];
  }

  static async start(client: ZooKeeperClient, rootPath: string, onChange: (change: TreeChange) => void = () => undefined, options: { nodesMax?: number } = {}): Promise<TreeCache> {
    const cache = new TreeCache(client, rootPath, onChange, options.nodesMax ?? NODES_MAX_DEFAULT);
    await cache.schedule(() => cache.rebuild(true));
    return cache;
  }

  /** The node at `path` as last seen. */
  get(path: string): TreeNode | undefined {
    return this.nodes.get(path);
  }

  /** Every cached path, sorted. */
  paths(): string[] {
    return [...this.nodes.keys()].sort();
  }

  /** The cached children names of `path`, sorted. */
  children(path: string): string[] {
    const prefix = path === '/' ? '/' : `${path}/`;
    return this.paths()
      .filter((p) => p.startsWith(prefix) && p !== path && !p.slice(prefix.length).includes('/'))
      .map((p) => p.slice(prefix.length));
  }

  async close(): Promise<void> {
    this.running = false;
    for (const off of this.offs.splice(0)) off();
    await this.watch?.remove().catch(() => undefined);
  }

  private schedule(job: () => Promise<void>): Promise<void> {
    const next = this.work.then(job);
    this.work = next.catch(() => undefined);
    return next;
  }

  private readonly onEvent = (event: WatchEvent): void => {
    void this.schedule(async () => {
      if (event.type === 'nodeDeleted') this.removeSubtree(event.path);
      else await this.load(event.path, event.type === 'nodeCreated');
    });
  };

  /** Reads the whole subtree again and reports the differences from what was cached. */
  private async rebuild(newSession: boolean): Promise<void> {
    if (!this.running || this.client.state !== 'connected') return;
    if (newSession || this.watch === undefined) this.watch = await this.client.addWatch(this.rootPath, this.onEvent, { recursive: true });
    const seen = new Set<string>();
    await this.load(this.rootPath, true, seen);
    for (const path of [...this.nodes.keys()]) {
      if (!seen.has(path)) {
        this.nodes.delete(path);
        this.onChange({ type: 'removed', path });
      }
    }
  }

  /** Reads `path` (and with `deep`, everything below it) into the cache. */
  private async load(path: string, deep: boolean, seen?: Set<string>): Promise<void> {
    let node: TreeNode;
    let children: string[] = [];
    try {
      node = await this.client.getData(path);
      if (deep) children = await this.client.getChildren(path);
    } catch (error) {
      if (!(error instanceof NoNodeError)) throw error;
      this.removeSubtree(path);
      return;
    }
    seen?.add(path);
    const previous = this.nodes.get(path);
    if (previous === undefined && this.nodes.size >= this.nodesMax) throw new Error(`${this.rootPath}: tree cache limit of ${this.nodesMax} nodes reached`);
    this.nodes.set(path, node);
    if (previous === undefined) this.onChange({ type: 'added', path, node });
    else if (previous.stat.mzxid !== node.stat.mzxid || previous.stat.czxid !== node.stat.czxid) this.onChange({ type: 'updated', path, node });
    await Promise.all(children.map((child) => this.load(joinPath(path, child), true, seen)));
  }

  private removeSubtree(path: string): void {
    for (const cached of [...this.nodes.keys()]) {
      if (cached === path || cached.startsWith(path === '/' ? '/' : `${path}/`)) {
        this.nodes.delete(cached);
        this.onChange({ type: 'removed', path: cached });
      }
    }
  }
}
