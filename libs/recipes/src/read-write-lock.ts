// A distributed read-write lock (Curator's InterProcessReadWriteLock): readers share, writers exclude.
// Contenders are ephemeral-sequential "read-"/"write-" nodes under one parent; a writer waits for its
// predecessor, a reader only for the nearest writer before it — each watches one node, so no herd.
import { basename, joinPath, NoNodeError, type ZooKeeperClient } from '@zk/sdk';
import { createProtectedSequential } from './protected-create';
import { sequenceOf } from './sequential-nodes';

type Side = 'read' | 'write';

/** One side of the lock; reentrant per object. */
export class LockSide {
  private ownPath: string | undefined;
  private holdCount = 0;

  constructor(
    private readonly client: ZooKeeperClient,
    readonly lockPath: string,
    private readonly side: Side,
  ) {}

  get isHeld(): boolean {
    return this.holdCount > 0;
  }

  /** Resolves true when held, false after `timeoutMs`. */
  async acquire(timeoutMs?: number): Promise<boolean> {
    if (this.holdCount > 0) {
      this.holdCount += 1;
      return true;
    }
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    const ownPath = await createProtectedSequential(this.client, this.lockPath, `${this.side}-`);
    this.ownPath = ownPath;
    let acquired = false;
    try {
      acquired = await this.waitForTurn(basename(ownPath), deadline);
    } finally {
      if (!acquired) await this.deleteOwn();
    }
    if (acquired) this.holdCount = 1;
    return acquired;
  }

  async release(): Promise<void> {
    if (this.holdCount === 0) throw new Error(`${this.lockPath}: ${this.side} lock released without being held`);
    this.holdCount -= 1;
    if (this.holdCount === 0) await this.deleteOwn();
  }

  private async waitForTurn(ownName: string, deadline: number | undefined): Promise<boolean> {
    for (;;) {
      const names = (await this.client.getChildren(this.lockPath)).filter((name) => /(read|write)-\d{10}$/.test(name)).sort((a, b) => sequenceOf(a) - sequenceOf(b));
      const index = names.indexOf(ownName);
      if (index < 0) throw new Error(`${this.lockPath}: our ${this.side} node vanished (session expired?)`);
      const blocker = this.side === 'write' ? names[index - 1] : names.slice(0, index).reverse().find((name) => /write-\d{10}$/.test(name));
      if (blocker === undefined) return true;
      let wake: () => void = () => undefined;
      const woken = new Promise<void>((resolve) => {
        wake = resolve;
      });
      try {
        await this.client.getData(joinPath(this.lockPath, blocker), () => wake());
      } catch (error) {
        if (error instanceof NoNodeError) continue;
        throw error;
      }
      const remainingMs = deadline === undefined ? undefined : deadline - Date.now();
      if (remainingMs !== undefined && remainingMs <= 0) return false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const wokeUp = await Promise.race([
        woken.then(() => true),
        new Promise<boolean>((resolve) => {
          if (remainingMs !== undefined) timer = setTimeout(() => resolve(false), remainingMs);
        }),
      ]);
      clearTimeout(timer);
      if (!wokeUp) return false;
    }
  }

  private async deleteOwn(): Promise<void> {
    const ownPath = this.ownPath;
    this.ownPath = undefined;
    if (ownPath === undefined) return;
    try {
      await this.client.delete(ownPath);
    } catch (error) {
      if (!(error instanceof NoNodeError)) throw error;
    }
  }
}

export class ReadWriteLock {
  readonly readLock: LockSide;
  readonly writeLock: LockSide;

  constructor(client: ZooKeeperClient, lockPath: string) {
    this.readLock = new LockSide(client, lockPath, 'read');
    this.writeLock = new LockSide(client, lockPath, 'write');
  }
}
