// An atomic value (Curator's DistributedAtomicValue): bytes at one node, changed only by compare-and-set on
// the znode version, so concurrent updates through `update(fn)` never lose a write.
import { BadVersionError, NodeExistsError, NoNodeError, parentOf, type ZooKeeperClient } from '@zk/sdk';

const CAS_ATTEMPTS_MAX = 1_000;

export class AtomicValue {
  constructor(
    private readonly client: ZooKeeperClient,
    readonly path: string,
  ) {}

  /** The value and version; undefined while the node does not exist. */
  async get(): Promise<{ value: Uint8Array; version: number } | undefined> {
    try {
      const { data, stat } = await this.client.getData(this.path);
      return { value: data, version: stat.version };
    } catch (error) {
      if (error instanceof NoNodeError) return undefined;
      throw error;
    }
  }

  /** Sets `value` if the node is at `expectedVersion` (-1: only if it does not exist yet); false otherwise. */
  async compareAndSet(expectedVersion: number, value: Uint8Array | string): Promise<boolean> {
    try {
      if (expectedVersion === -1) await this.createWithParents(value);
      else await this.client.setData(this.path, value, expectedVersion);
      return true;
    } catch (error) {
      if (error instanceof BadVersionError || error instanceof NodeExistsError || error instanceof NoNodeError) return false;
      throw error;
    }
  }

  /** Applies `change` to the current value (undefined if missing) atomically, retrying on conflicts. */
  async update(change: (current: Uint8Array | undefined) => Uint8Array | string): Promise<Uint8Array | string> {
    for (let attempt = 0; attempt < CAS_ATTEMPTS_MAX; attempt++) {
      const current = await this.get();
      const next = change(current?.value);
      if (await this.compareAndSet(current?.version ?? -1, next)) return next;
    }
    throw new Error(`${this.path}: no compare-and-set succeeded in ${CAS_ATTEMPTS_MAX} attempts`);
  }

  /** The first value creates the node, and its missing parents (a NoNodeError here is not a conflict to retry). */
  private async createWithParents(value: Uint8Array | string): Promise<void> {
    try {
      await this.client.create(this.path, value);
    } catch (error) {
      if (!(error instanceof NoNodeError)) throw error;
      await this.client.mkdirp(parentOf(this.path) as string);
      await this.client.create(this.path, value);
    }
  }
}
