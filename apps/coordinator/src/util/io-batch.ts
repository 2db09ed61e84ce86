// Writes made while the event loop handles one batch of I/O leave together: the stream is corked at the first
// write and uncorked in the check phase (setImmediate), after every ready socket and disk completion of this
// turn was handled. Uncorking after each callback instead (process.nextTick) cost the leader a writev per
// follower for every client packet and every ACK it read: 17 % of its thread at 8 × 64 setData. `release`
// lets a writer send early what must not wait for the rest of the turn (a leader's COMMITs before it applies).
export interface Corkable {
  cork(): void;
  uncork(): void;
}

/** One per stream (or per link whose socket may change): remembers whether this turn already corked. */
export class IoBatch {
  private corked: Corkable | undefined;
  private releaseScheduled = false;

  /** Corks `stream` until the check phase of this turn, once however many writes follow. */
  hold(stream: Corkable): void {
    if (this.corked) return;
    this.corked = stream;
    stream.cork();
    if (this.releaseScheduled) return;
    this.releaseScheduled = true;
    setImmediate(() => {
      this.releaseScheduled = false;
      this.release();
    });
  }

  /** Sends what this turn held so far now rather than at the check phase; later writes are held again. */
  release(): void {
    const stream = this.corked;
    if (!stream) return;
    this.corked = undefined;
    stream.uncork();
  }
}
