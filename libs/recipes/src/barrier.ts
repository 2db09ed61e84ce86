// Barriers. Barrier (Curator's DistributedBarrier): clients wait while a node exists; removing it releases
// them all. DoubleBarrier (DistributedDoubleBarrier): `memberCount` clients enter together and leave together.
import { joinPath, NodeExistsError, NoNodeError, type ZooKeeperClient } from '@zk/sdk';

/** Resolves when `wake` is called or after `remainingMs`; true if woken. */
async function sleepUntilWoken(woken: Promise<void>, remainingMs: number | undefined): Promise<boolean> {
  if (remainingMs !== undefined && remainingMs <= 0) return false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const result = await Promise.race([
    woken.then(() => true),
    new Promise<boolean>((resolve) => {
      if (remainingMs !== undefined) timer = setTimeout(() => resolve(false), remainingMs);
    }),
  ]);
  clearTimeout(timer);
  return result;
}

function remaining(deadline: number | undefined): number | undefined {
  return deadline === undefined ? undefined : deadline - Date.now();
}

export class Barrier {
  constructor(
    private readonly client: ZooKeeperClient,
    readonly path: string,
  ) {}

  /** Raises the barrier (idempotent). */
  async set(): Promise<void> {
    try {
      await this.client.create(this.path);
    } catch (error) {
      if (error instanceof NodeExistsError) return;
      if (!(error instanceof NoNodeError)) throw error;
      await this.client.mkdirp(this.path);
    }
  }

  /** Lowers the barrier, releasing every waiter (idempotent). */
  async remove(): Promise<void> {
    try {
      await this.client.delete(this.path);
    } catch (error) {
      if (!(error instanceof NoNodeError)) throw error;
    }
  }

  /** Waits while the barrier is raised; true once it is down, false after `timeoutMs`. */
  async wait(timeoutMs?: number): Promise<boolean> {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    for (;;) {
      let wake: () => void = () => undefined;
      const woken = new Promise<void>((resolve) => {
        wake = resolve;
      });
      if ((await this.client.exists(this.path, () => wake())) === null) return true;
      if (!(await sleepUntilWoken(woken, remaining(deadline)))) return false;
    }
  }
}

const READY_NODE = 'ready';

export class DoubleBarrier {
  private ownPath: string | undefined;

  constructor(
    private readonly client: ZooKeeperClient,
    readonly path: string,
    readonly memberCount: number,
    private readonly memberId: string,
  ) {
    if (!Number.isInteger(memberCount) || memberCount < 1) throw new RangeError(`memberCount ${memberCount} must be a positive integer`);
  }

  /** Joins and waits until `memberCount` members have joined; false after `timeoutMs` (then it leaves again). */
  async enter(timeoutMs?: number): Promise<boolean> {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    await this.client.mkdirp(this.path);
    const readyPath = joinPath(this.path, READY_NODE);
    let wake: () => void = () => undefined;
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
    });
    // Watch "ready" before joining, so its creation cannot be missed.
    const readyAlready = (await this.client.exists(readyPath, () => wake())) !== null;
    this.ownPath = (await this.client.create(joinPath(this.path, this.memberId), null, { mode: 'ephemeral' })).path;
    if (readyAlready) return true;
    const members = (await this.client.getChildren(this.path)).filter((name) => name !== READY_NODE);
    if (members.length >= this.memberCount) {
      try {
        await this.client.create(readyPath);
      } catch (error) {
        if (!(error instanceof NodeExistsError)) throw error;
      }
      return true;
    }
    if (await sleepUntilWoken(woken, remaining(deadline))) return true;
    if ((await this.client.exists(readyPath)) !== null) return true;
    await this.leave(0).catch(() => undefined);
    return false;
  }

  /** Leaves and waits until every member has left; false after `timeoutMs`. The last one out removes "ready". */
  async leave(timeoutMs?: number): Promise<boolean> {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    if (this.ownPath !== undefined) {
      try {
        await this.client.delete(this.ownPath);
      } catch (error) {
        if (!(error instanceof NoNodeError)) throw error;
      }
      this.ownPath = undefined;
    }
    for (;;) {
      let wake: () => void = () => undefined;
      const woken = new Promise<void>((resolve) => {
        wake = resolve;
      });
      let children: string[];
      try {
        children = await this.client.getChildren(this.path, () => wake());
      } catch (error) {
        if (error instanceof NoNodeError) return true;
        throw error;
      }
      if (children.every((name) => name === READY_NODE)) {
        if (children.length > 0) await this.client.delete(joinPath(this.path, READY_NODE)).catch(() => undefined);
        return true;
      }
      if (!(await sleepUntilWoken(woken, remaining(deadline)))) return false;
    }
  }
}
