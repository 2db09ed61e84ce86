// Leader selector (Curator's LeaderSelector): when this candidate becomes leader, `takeLeadership` runs with
// an AbortSignal that fires if leadership is lost (suspension, expiry); when it returns, leadership is given
// up — and with `autoRequeue` the candidate stands again.
import { ConnectionLossError, type ZooKeeperClient } from '@zk/sdk';
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

  /**
   * Leaves the election: a running term is aborted and awaited before the candidate's node is deleted, so the
   * next leader cannot start while this term still runs (as Curator releases only after takeLeadership returns).
   */
  async close(): Promise<void> {
    this.running = false;
    this.abort?.abort();
    await this.term;
    await this.latch?.close();
    this.latch = undefined;
  }

  private async stand(): Promise<void> {
    const latch = new LeaderLatch(this.client, this.electionPath, {
      id: this.options.id,
      onLeadershipChange: (leader) => {
        // After close() began, leadership the latch still wins (its check was in flight) starts no term. Terms are
        // chained: one that ignores its abort delays the next, so two never run at once in this process.
        if (leader && this.running) this.term = this.term.then(() => this.runTerm(latch)).catch((error: unknown) => this.reportError(error));
        else if (!leader) this.abort?.abort();
      },
    });
    this.latch = latch;
    await latch.start();
  }

  private async runTerm(latch: LeaderLatch): Promise<void> {
    // Leadership may have been lost again while the previous term was finishing.
    if (!this.running || this.latch !== latch || !latch.hasLeadership) return;
    const abort = new AbortController();
    this.abort = abort;
    try {
      await this.takeLeadership(abort.signal);
    } catch (error) {
      if (!abort.signal.aborted) this.reportError(error);
    } finally {
      this.abort = undefined;
      // A term aborted because leadership was lost (suspension, expiry) keeps its place in line: the latch re-checks
      // on reconnection and, if it still leads, a new term starts. A term that ended by itself gives its place up.
      const lostLeadership = abort.signal.aborted && this.running;
      if (this.latch === latch && !lostLeadership) {
        this.latch = undefined;
        await latch.close();
        if (this.running && (this.options.autoRequeue ?? true)) await this.stand();
      }
    }
  }

  /** Errors of takeLeadership, and of giving up or standing again (a ConnectionLossError there is retried by the latch on reconnection). */
  private reportError(error: unknown): void {
    if (error instanceof ConnectionLossError) return;
    (this.options.onError ?? ((e: unknown) => console.error('leader selector:', e)))(error);
  }
}
