// Watch events as an async iterator: a bounded buffer between the session (which pushes) and a
// `for await` loop (which pulls). Overflow and session end are explicit errors, never silent drops.
import type { WatchEvent } from './watch-registry';

export const WATCH_STREAM_BUFFER_MAX_DEFAULT = 10_000;

export class WatchStreamOverflowError extends Error {
  override readonly name = 'WatchStreamOverflowError';
}

export class WatchStream implements AsyncIterableIterator<WatchEvent> {
  private readonly buffered: WatchEvent[] = [];
  private waiting: { resolve: (result: IteratorResult<WatchEvent>) => void; reject: (error: unknown) => void } | undefined;
  private ended = false;
  private failure: unknown;

  constructor(
    private readonly onClose: () => void,
    private readonly bufferMax = WATCH_STREAM_BUFFER_MAX_DEFAULT,
  ) {}

  /** Called by the session for every event. */
  push(event: WatchEvent): void {
    if (this.ended) return;
    if (this.waiting !== undefined) {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting.resolve({ value: event, done: false });
      return;
    }
    if (this.buffered.length >= this.bufferMax) {
      this.fail(new WatchStreamOverflowError(`more than ${this.bufferMax} watch events waiting: the consumer is too slow`));
      return;
    }
    this.buffered.push(event);
  }

  /** Ends the stream with an error (session expired, client closed, overflow); buffered events are still read first. */
  fail(error: unknown): void {
    if (this.ended) return;
    this.failure = error;
    this.end();
  }

  /** Stops watching; pending and later `next()` calls report done. */
  close(): void {
    this.end();
  }

  next(): Promise<IteratorResult<WatchEvent>> {
    const event = this.buffered.shift();
    if (event !== undefined) return Promise.resolve({ value: event, done: false });
    if (this.ended) {
      if (this.failure !== undefined) {
        const failure = this.failure;
        this.failure = undefined;
        return Promise.reject(failure);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    if (this.waiting !== undefined) return Promise.reject(new Error('WatchStream: next() called while another next() is pending'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<WatchEvent>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<WatchEvent> {
    return this;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onClose();
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting === undefined) return;
    if (this.failure !== undefined && this.buffered.length === 0) {
      const failure = this.failure;
      this.failure = undefined;
      waiting.reject(failure);
    } else {
      waiting.resolve({ value: undefined, done: true });
    }
  }
}
