// A shared integer (Curator's SharedCount / DistributedAtomicLong): the value is the node's decimal text;
// every change is a versioned compare-and-set, so concurrent increments never lose an update.
import { BadVersionError, NodeExistsError, NoNodeError, toText, type ZooKeeperClient } from '@zk/sdk';

export interface VersionedValue {
  value: number;
  /** The znode version the value was read at; pass it to trySetCount. */
  version: number;
}

const CAS_ATTEMPTS_MAX = 1_000;

export class SharedCounter {
  constructor(
    private readonly client: ZooKeeperClient,
    readonly path: string,
    private readonly initialValue = 0,
  ) {}

  /** The current value and its version; creates the node with the initial value if it is missing. */
  async get(): Promise<VersionedValue> {
    try {
      const { data, stat } = await this.client.getData(this.path);
      return { value: parseCount(toText(data), this.path), version: stat.version };
    } catch (error) {
      if (!(error instanceof NoNodeError)) throw error;
      try {
        await this.client.mkdirp(this.path.slice(0, this.path.lastIndexOf('/')) || '/');
        await this.client.create(this.path, String(this.initialValue));
      } catch (createError) {
        if (!(createError instanceof NodeExistsError)) throw createError;
      }
      return this.get();
    }
  }

  /** Sets `value` only if the node is still at `version`; false if someone changed it first. */
  async trySetCount(value: number, version: number): Promise<boolean> {
    checkInteger(value);
    try {
      await this.client.setData(this.path, String(value), version);
      return true;
    } catch (error) {
      if (error instanceof BadVersionError) return false;
      throw error;
    }
  }

  /** Adds `delta` atomically (compare-and-set, retried); returns the new value. */
  async add(delta: number): Promise<number> {
    checkInteger(delta);
    for (let attempt = 0; attempt < CAS_ATTEMPTS_MAX; attempt++) {
      const current = await this.get();
      const next = current.value + delta;
      if (await this.trySetCount(next, current.version)) return next;
    }
    throw new Error(`${this.path}: no compare-and-set succeeded in ${CAS_ATTEMPTS_MAX} attempts`);
  }

  increment(): Promise<number> {
    return this.add(1);
  }
}

function parseCount(text: string, path: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(value)) throw new Error(`${path}: ${JSON.stringify(text)} is not an integer`);
  return value;
}

function checkInteger(value: number): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a safe integer`);
}
