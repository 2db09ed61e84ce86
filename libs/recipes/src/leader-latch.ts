// Leader election as a latch (Curator's LeaderLatch): every candidate creates an ephemeral-sequential node,
// the lowest leads, the others watch only their predecessor. Leadership is given up as soon as the connection
// is suspended (another candidate may take over when the session expires) and re-checked on reconnection.
import { basename, NoNodeError, type ZooKeeperClient } from '@zk/sdk';
import { createProtectedSequential } from './protected-create';
import { sortBySequence } from './sequential-nodes';

const NODE_PREFIX = 'latch-';

export interface LeaderLatchOptions {
  /** Stored in the candidate's node, so others can see who leads (participants()). */
  id?: string;
  /** Called on every change: true when this candidate becomes leader, false when it stops being leader. */
  onLeadershipChange?: (isLeader: boolean) => void;
}

export class LeaderLatch {
  private ownPath: string | undefined;
  private leader = false;
  private running = false;
  private work: Promise<void> = Promise.resolve();
  private readonly waiters = new Set<() => void>();
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly client: ZooKeeperClient,
    readonly latchPath: string,
    private readonly options: LeaderLatchOptions = {},
  ) {}

  get hasLeadership(): boolean {
    return this.leader;
  }

  /** Joins the election; resolves once this candidate's node exists (not when it leads: see awaitLeadership). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.offs.push(
      this.client.on('suspended', () => this.setLeader(false)),
      this.client.on('expired', () => {
        this.ownPath = undefined;
        this.setLeader(false);
      }),
      this.client.on('reconnected', () => void this.schedule()),
      this.client.on('connected', () => void this.schedule()),
    );
    await this.schedule();
  }

  /** Resolves true once leader, false after `timeoutMs` (default: wait as long as it takes) or on close. */
  awaitLeadership(timeoutMs?: number): Promise<boolean> {
    if (this.leader) return Promise.resolve(true);
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(this.leader);
      };
      this.waiters.add(done);
      if (timeoutMs !== undefined) timer = setTimeout(done, timeoutMs);
    });
  }

  /** The candidates' ids in election order (the first leads). */
  async participants(): Promise<string[]> {
    const names = sortBySequence(await this.client.getChildren(this.latchPath), NODE_PREFIX);
    const ids = await Promise.all(
      names.map(async (name) => {
        try {
          return new TextDecoder().decode((await this.client.getData(`${this.latchPath}/${name}`)).data);
        } catch (error) {
          if (error instanceof NoNodeError) return undefined;
          throw error;
        }
      }),
    );
    return ids.filter((id): id is string => id !== undefined);
  }

  /** Leaves the election: deletes the node; leadership (if held) passes to the next candidate. */
  async close(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const off of this.offs.splice(0)) off();
    await this.work.catch(() => undefined);
    const ownPath = this.ownPath;
    this.ownPath = undefined;
    this.setLeader(false);
    for (const waiter of [...this.waiters]) waiter();
    if (ownPath === undefined) return;
    const deletion = this.client.delete(ownPath).catch((error: unknown) => {
      if (!(error instanceof NoNodeError)) throw error;
    });
    if (this.client.state === 'connected') await deletion;
    // Suspended: the client sends the delete once it reconnects (a node left behind would block the election while
    // the session lives); if the session expires instead, the node is gone anyway.
    else deletion.catch(() => undefined);
  }

  private schedule(): Promise<void> {
    const next = this.work.then(() => this.check());
    this.work = next.catch(() => undefined);
    return next;
  }

  private readonly onPredecessorEvent = (): void => {
    void this.schedule();
  };

  private async check(): Promise<void> {
    for (;;) {
      if (!this.running || this.client.state !== 'connected') return;
      if (this.ownPath === undefined) {
        this.ownPath = await createProtectedSequential(this.client, this.latchPath, NODE_PREFIX, this.options.id ?? '');
      }
      const ownName = basename(this.ownPath);
      const names = sortBySequence(await this.client.getChildren(this.latchPath), NODE_PREFIX);
      const index = names.indexOf(ownName);
      if (index < 0) {
        // Our node is gone (deleted by someone, or the session was replaced): stand again.
        this.ownPath = undefined;
        continue;
      }
      if (index === 0) {
        this.setLeader(true);
        return;
      }
      this.setLeader(false);
      try {
        await this.client.getData(`${this.latchPath}/${names[index - 1]}`, this.onPredecessorEvent);
        return;
      } catch (error) {
        if (!(error instanceof NoNodeError)) throw error;
      }
    }
  }

  private setLeader(leader: boolean): void {
    if (this.leader === leader) return;
    this.leader = leader;
    this.options.onLeadershipChange?.(leader);
    if (leader) for (const waiter of [...this.waiters]) waiter();
  }
}
