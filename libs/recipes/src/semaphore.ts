// A counting semaphore with leases (Curator's InterProcessSemaphoreV2): a lease is an ephemeral-sequential
// node under {path}/leases, so it ends with its session. Acquirers queue on a mutex at {path}/lock; only the
// one at the head watches the lease list, so a released lease wakes one client, not all of them.
import { basename, NoNodeError, type ZooKeeperClient } from '@zk/sdk';
import { Mutex } from './mutex';
import { createProtectedSequential } from './protected-create';
import { sortBySequence } from './sequential-nodes';

const LEASE_PREFIX = 'lease-';

export interface Lease {
  readonly path: string;
  release(): Promise<void>;
}

export class Semaphore {
  private readonly mutex: Mutex;
  private readonly leasesPath: string;

  constructor(
    private readonly client: ZooKeeperClient,
    readonly path: string,
    readonly maxLeases: number,
  ) {
    if (!Number.isInteger(maxLeases) || maxLeases < 1) throw new RangeError(`maxLeases ${maxLeases} must be a positive integer`);
    this.mutex = new Mutex(client, `${path}/lock`);
    this.leasesPath = `${path}/leases`;
  }

  /** A lease, or undefined after `timeoutMs`. */
  async acquire(timeoutMs?: number): Promise<Lease | undefined> {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    if (!(await this.mutex.acquire({ timeoutMs }))) return undefined;
    let leasePath: string | undefined;
    try {
      leasePath = await createProtectedSequential(this.client, this.leasesPath, LEASE_PREFIX);
      const ownName = basename(leasePath);
      for (;;) {
        let wake: () => void = () => undefined;
        const woken = new Promise<void>((resolve) => {
          wake = resolve;
        });
        const leases = sortBySequence(await this.client.getChildren(this.leasesPath, () => wake()), LEASE_PREFIX);
        const index = leases.indexOf(ownName);
        if (index < 0) throw new Error(`${leasePath} vanished while waiting (session expired?)`);
        if (index < this.maxLeases) return this.lease(leasePath);
        const remainingMs = deadline === undefined ? undefined : deadline - Date.now();
        if (remainingMs !== undefined && remainingMs <= 0) break;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const wokeUp = await Promise.race([
          woken.then(() => true),
          new Promise<boolean>((resolve) => {
            if (remainingMs !== undefined) timer = setTimeout(() => resolve(false), remainingMs);
          }),
        ]);
        clearTimeout(timer);
        if (!wokeUp) break;
      }
      await this.deleteLease(leasePath);
      return undefined;
    } catch (error) {
      if (leasePath !== undefined) await this.deleteLease(leasePath).catch(() => undefined);
      throw error;
    } finally {
      await this.mutex.release().catch(() => undefined);
    }
  }

  private lease(path: string): Lease {
    let released = false;
    return {
      path,
      release: async () => {
        if (released) return;
        released = true;
        await this.deleteLease(path);
      },
    };
  }

  private async deleteLease(path: string): Promise<void> {
    try {
      await this.client.delete(path);
    } catch (error) {
      if (!(error instanceof NoNodeError)) throw error;
    }
  }
}
