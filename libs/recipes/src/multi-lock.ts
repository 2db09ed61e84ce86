// A lock over several mutexes at once (Curator's InterProcessMultiLock): acquired in a fixed order (sorted by
// path, so two multi-locks can never deadlock), all or none; released in reverse.
import type { ZooKeeperClient } from '@zk/sdk';
import { Mutex } from './mutex';

export class MultiLock {
  private readonly mutexes: Mutex[];

  constructor(client: ZooKeeperClient, lockPaths: readonly string[]) {
    this.mutexes = [...new Set(lockPaths)].sort().map((path) => new Mutex(client, path));
  }

  /** True when every lock is held; false (holding none) if any is not acquired within `timeoutMs` overall. */
  async acquire(timeoutMs?: number): Promise<boolean> {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    const held: Mutex[] = [];
    try {
      for (const mutex of this.mutexes) {
        const remainingMs = deadline === undefined ? undefined : Math.max(0, deadline - Date.now());
        if (!(await mutex.acquire({ timeoutMs: remainingMs }))) {
          await this.releaseAll(held);
          return false;
        }
        held.push(mutex);
      }
      return true;
    } catch (error) {
      await this.releaseAll(held);
      throw error;
    }
  }

  async release(): Promise<void> {
    await this.releaseAll(this.mutexes.filter((mutex) => mutex.isHeld));
  }

  private async releaseAll(held: Mutex[]): Promise<void> {
    for (const mutex of [...held].reverse()) await mutex.release();
  }
}
