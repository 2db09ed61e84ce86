// Watch events in arrival order, with a bounded wait for "at least n have arrived": shared by both test clients.
import { withTimeout } from './wait';

export class EventLog<T> {
  readonly entries: T[] = [];
  private listeners: Array<() => void> = [];

  push(entry: T): void {
    this.entries.push(entry);
    for (const listener of [...this.listeners]) listener();
  }

  /** Returns and clears the log. */
  take(): T[] {
    return this.entries.splice(0, this.entries.length);
  }

  /** Waits (bounded) until at least `count` entries are logged; returns without throwing at the deadline. */
  async waitFor(count: number, timeoutMs: number): Promise<void> {
    if (this.entries.length >= count) return;
    await withTimeout(
      new Promise<void>((resolve) => {
        const listener = (): void => {
          if (this.entries.length >= count) {
            this.listeners = this.listeners.filter((other) => other !== listener);
            resolve();
          }
        };
        this.listeners.push(listener);
      }),
      timeoutMs,
      `${count} watch event(s)`,
    ).catch(() => undefined);
  }
}
