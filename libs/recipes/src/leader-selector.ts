// Leader selector (Curator's LeaderSelector): when this candidate becomes leader, `takeLeadership` runs with
// an AbortSignal that fires if leadership is lost (suspension, expiry); when it returns, leadership is given
// up — and with `autoRequeue` the candidate stands again.
import type { ZooKeeperClient } from '@zk/sdk';
import { LeaderLatch } from './leader-latch';

export interface LeaderSelectorOptions {
  id?: string;
  /** Stand again after each term. Default true. */
  autoRequeue?: boolean;
  /** Errors thrown by takeLeadership; default: console.error. */
  onError?: (error: unknown) => void;
}

export class LeaderSelector {
  private latch: LeaderLatch | undefined;
  private running = false;
  private abort: AbortController | undefined;
  private term: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: ZooKeeperClient,
    readonly electionPath: string,
    private readonly takeLeadership: (signal: AbortSignal) => Promise<void>,
    private readonly options: LeaderSelectorOptions = {},
  ) {}

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.stand();
  }

  /** Leaves the election; a running term is aborted. */
  async close(): Promise<void> {
    this.running = false;
    this.abort?.abort();
    await this.latch?.close();
    this.latch = undefined;
    await this.term;
  }

  private async stand(): Promise<void> {
    const latch = new LeaderLatch(this.client, this.electionPath, {
      id: this.options.id,
      onLeadershipChange: (leader) => {
        if (leader) this.term = this.runTerm(latch);
        else this.abort?.abort();
      },
    });
    this.latch = latch;
    await latch.start();
  }

  private async runTerm(latch: LeaderLatch): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    try {
      await this.takeLeadership(abort.signal);
    } catch (error) {
      if (!abort.signal.aborted) (this.options.onError ?? ((e: unknown) => console.error('leader selector:', e)))(error);
    } finally {
      this.abort = undefined;
      if (this.latch === latch) {
        this.latch = undefined;
        await latch.close();
        if (this.running && (this.options.autoRequeue ?? true)) await this.stand();
      }
    }
  }
}
