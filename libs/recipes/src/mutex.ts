// A distributed mutex (Curator's InterProcessMutex): each contender creates an ephemeral-sequential node;
// the lowest holds the lock; every other contender watches only its predecessor, so a release wakes one
// client, never the herd. Reentrant per Mutex object; lost with the session, and the holder is told.
import { joinPath, NoNodeError, type StateEvent, type ZooKeeperClient } from '@zk/sdk';
import { createProtectedSequential } from './protected-create';
import { sortBySequence } from './sequential-nodes';

/** Contender names are `_c_{uuid}-lock-{sequence}`: the uuid finds our node again if a create's reply is lost. */
const NODE_PREFIX = 'lock-';

export interface MutexOptions {
  /** Called when a held lock is lost: the session expired or the client closed. */
  onLost?: (reason: StateEvent) => void;
  /** Called with the predecessor's path each time this contender is woken (metrics; the no-herd test). */
  onWakeUp?: (predecessorPath: string) => void;
}

export interface AcquireOptions {
  /** Give up after this long and return false (the contender's node is removed). Default: wait forever. */
  timeoutMs?: number;
}

export class LockLostError extends Error {
  override readonly name = 'LockLostError';
}

export class Mutex {
  private ownPath: string | undefined;
  private holdCount = 0;
  private wakeUpCount = 0;
  /** Fails the wait in progress when the session is gone (its watch will never fire). */
  private abortWait: ((error: Error) => void) | undefined;
  private readonly stopListening: () => void;

  constructor(
    private readonly client: ZooKeeperClient,
    /** The lock's node, e.g. "/locks/orders"; contenders are its children. */
    readonly lockPath: string,
    private readonly options: MutexOptions = {},
  ) {
    const onSessionGone = (reason: StateEvent): void => {
      this.abortWait?.(new LockLostError(`${this.lockPath}: session ${reason} while waiting for the lock`));
      if (this.ownPath === undefined) return;
      const wasHeld = this.holdCount > 0;
      this.ownPath = undefined;
      this.holdCount = 0;
      if (wasHeld) this.options.onLost?.(reason);
    };
    const offExpired = client.on('expired', () => onSessionGone('expired'));
    const offClosed = client.on('closed', () => onSessionGone('closed'));
    this.stopListening = () => {
      offExpired();
      offClosed();
    };
  }

  /** True while this object holds the lock (as far as this client knows; see onLost). */
  get isHeld(): boolean {
    return this.holdCount > 0;
  }

  /** Watch events this contender received: one per predecessor release it waited for (no herd). */
  get wakeUps(): number {
    return this.wakeUpCount;
  }

  /** Waits for the lock; resolves true when held, false on timeout. Reentrant: each acquire needs a release. */
  async acquire(options: AcquireOptions = {}): Promise<boolean> {
    if (this.holdCount > 0) {
      this.holdCount += 1;
      return true;
    }
    const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
    const ownPath = await this.createContenderNode();
    this.ownPath = ownPath;
    try {
      const acquired = await this.waitForTurn(ownPath, deadline);
      if (acquired) {
        this.holdCount = 1;
        return true;
      }
    } catch (error) {
      await this.deleteOwnNode(ownPath);
      throw error;
    }
    await this.deleteOwnNode(ownPath);
    return false;
  }

  /** Releases one hold; the last release deletes the contender node and wakes the successor. */
  async release(): Promise<void> {
    if (this.holdCount === 0) throw new LockLostError(`${this.lockPath}: release() without holding the lock`);
    this.holdCount -= 1;
    if (this.holdCount > 0) return;
    const ownPath = this.ownPath as string;
    await this.deleteOwnNode(ownPath);
  }

  /** Acquires, runs `action`, releases (also when it throws). */
  async withLock<T>(action: () => Promise<T>, options: AcquireOptions = {}): Promise<T> {
    if (!(await this.acquire(options))) throw new Error(`${this.lockPath}: not acquired within ${options.timeoutMs} ms`);
    try {
      return await action();
    } finally {
      await this.release();
    }
  }

  /** Stops listening to the client's state; call when the Mutex is no longer used. */
  dispose(): void {
    this.stopListening();
  }

  private createContenderNode(): Promise<string> {
    return createProtectedSequential(this.client, this.lockPath, NODE_PREFIX);
  }

  private async waitForTurn(ownPath: string, deadline: number | undefined): Promise<boolean> {
    const ownName = ownPath.slice(ownPath.lastIndexOf('/') + 1);
    for (;;) {
      const contenders = sortBySequence(await this.client.getChildren(this.lockPath), NODE_PREFIX);
      const index = contenders.indexOf(ownName);
      if (index < 0) throw new LockLostError(`${ownPath} vanished while waiting (session expired?)`);
      if (index === 0) return true;
      const predecessor = joinPath(this.lockPath, contenders[index - 1]);
      let wake: () => void = () => undefined;
      const woken = new Promise<void>((resolve, reject) => {
        wake = resolve;
        this.abortWait = reject;
      });
      // Marked handled now; the rejection is still seen by the await in waitUntil.
      woken.catch(() => undefined);
      try {
        // getData, not exists: on NoNode it leaves no watch behind.
        await this.client.getData(predecessor, () => {
          this.wakeUpCount += 1;
          this.options.onWakeUp?.(predecessor);
          wake();
        });
      } catch (error) {
        if (error instanceof NoNodeError) continue;
        throw error;
      }
      try {
        if (!(await this.waitUntil(woken, deadline))) return false;
      } finally {
        this.abortWait = undefined;
      }
    }
  }

  private async waitUntil(woken: Promise<void>, deadline: number | undefined): Promise<boolean> {
    if (deadline === undefined) {
      await woken;
      return true;
    }
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) return false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), remainingMs);
    });
    const result = await Promise.race([woken.then(() => true as const), timedOut]);
    clearTimeout(timer);
    return result;
  }

  private async deleteOwnNode(ownPath: string): Promise<void> {
    if (this.ownPath === ownPath) this.ownPath = undefined;
    try {
      await this.client.delete(ownPath);
    } catch (error) {
      if (!(error instanceof NoNodeError)) throw error;
    }
  }
}
