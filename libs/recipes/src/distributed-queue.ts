// A distributed FIFO queue (ZooKeeper's queue recipe): put() creates a persistent-sequential item, take()
// claims the lowest by deleting it (the delete decides who got it); an empty queue is waited on with a
// child watch. A priority variant orders by a priority prefix first, then by sequence.
import { NoNodeError, type ZooKeeperClient } from '@zk/sdk';
import { sequenceOf } from './sequential-nodes';

const ITEM_PREFIX = 'item-';

export interface QueueOptions {
  /** Items with a lower priority number are taken first (0..99); default: plain FIFO. */
  priorities?: boolean;
}

export class DistributedQueue {
  constructor(
    private readonly client: ZooKeeperClient,
    readonly path: string,
    private readonly options: QueueOptions = {},
  ) {}

  /** Appends an item; `priority` (0..99, lower first) only with `priorities: true`. */
  async put(data: Uint8Array | string, priority = 0): Promise<string> {
    if (!Number.isInteger(priority) || priority < 0 || priority > 99) throw new RangeError(`priority ${priority} is not in 0..99`);
    const name = this.options.priorities ? `${ITEM_PREFIX}${String(priority).padStart(2, '0')}-` : ITEM_PREFIX;
    try {
      return (await this.client.create(`${this.path}/${name}`, data, { mode: 'persistentSequential' })).path;
    } catch (error) {
      if (!(error instanceof NoNodeError)) throw error;
      await this.client.mkdirp(this.path);
      return (await this.client.create(`${this.path}/${name}`, data, { mode: 'persistentSequential' })).path;
    }
  }

  /** Removes and returns the head, or undefined if the queue is empty. */
  async poll(): Promise<Uint8Array | undefined> {
    for (;;) {
      const items = await this.items();
      if (items.length === 0) return undefined;
      const taken = await this.claimFirst(items);
      if (taken !== undefined) return taken;
    }
  }

  /** Removes and returns the head, waiting (up to `timeoutMs`, default forever) while the queue is empty. */
  async take(timeoutMs?: number): Promise<Uint8Array | undefined> {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    for (;;) {
      let changed: () => void = () => undefined;
      const childrenChanged = new Promise<void>((resolve) => {
        changed = resolve;
      });
      const items = await this.items(() => changed());
      if (items.length > 0) {
        const taken = await this.claimFirst(items);
        if (taken !== undefined) return taken;
        continue;
      }
      const remainingMs = deadline === undefined ? undefined : deadline - Date.now();
      if (remainingMs !== undefined && remainingMs <= 0) return undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        childrenChanged,
        new Promise<void>((resolve) => {
          if (remainingMs !== undefined) timer = setTimeout(resolve, remainingMs);
        }),
      ]);
      clearTimeout(timer);
    }
  }

  /** Item names in the order they will be taken. */
  private async items(watcher?: () => void): Promise<string[]> {
    let children: string[];
    try {
      children = await this.client.getChildren(this.path, watcher);
    } catch (error) {
      if (!(error instanceof NoNodeError)) throw error;
      await this.client.mkdirp(this.path);
      children = await this.client.getChildren(this.path, watcher);
    }
    return children.filter((name) => name.startsWith(ITEM_PREFIX)).sort((a, b) => orderKey(a) - orderKey(b));
  }

  /** Tries the items in order: the first one this client manages to read and delete is its. */
  private async claimFirst(items: string[]): Promise<Uint8Array | undefined> {
    for (const name of items) {
      const path = `${this.path}/${name}`;
      try {
        const { data, stat } = await this.client.getData(path);
        await this.client.delete(path, stat.version);
        return data;
      } catch (error) {
        if (!(error instanceof NoNodeError)) throw error;
      }
    }
    return undefined;
  }
}

/** Priority (when present) then sequence: "item-03-0000000007" → 3e10 + 7. */
function orderKey(name: string): number {
  const priority = /^item-(\d{2})-/.exec(name);
  return (priority === null ? 0 : Number(priority[1]) * 1e10) + sequenceOf(name);
}
