// Liveness of one connection, as ZooKeeper's client keeps it: ping after a third of the session timeout
// without sending (readTimeout/2, readTimeout = 2/3 of the timeout), give the server up after two thirds of
// it without hearing anything. Timers are re-armed lazily, not per frame.

export class Heartbeat {
  private lastSendMs = Date.now();
  private lastReceiveMs = Date.now();
  private pingTimer: ReturnType<typeof setTimeout> | undefined;
  private readTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly pingIntervalMs: number;
  private readonly readTimeoutMs: number;

  constructor(
    sessionTimeoutMs: number,
    private readonly sendPing: () => void,
    private readonly onSilent: () => void,
  ) {
    this.pingIntervalMs = Math.max(1, Math.floor(sessionTimeoutMs / 3));
    this.readTimeoutMs = Math.max(1, Math.floor((sessionTimeoutMs * 2) / 3));
    this.armPing();
    this.armRead();
  }

  noteSent(): void {
    this.lastSendMs = Date.now();
  }

  noteReceived(): void {
    this.lastReceiveMs = Date.now();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.pingTimer);
    clearTimeout(this.readTimer);
  }

  private armPing(): void {
    const dueMs = this.lastSendMs + this.pingIntervalMs - Date.now();
    this.pingTimer = unrefTimer(
      setTimeout(() => {
        if (this.stopped) return;
        if (Date.now() - this.lastSendMs >= this.pingIntervalMs) {
          this.sendPing();
          this.noteSent();
        }
        if (!this.stopped) this.armPing();
      }, Math.max(0, dueMs)),
    );
  }

  private armRead(): void {
    const dueMs = this.lastReceiveMs + this.readTimeoutMs - Date.now();
    this.readTimer = unrefTimer(
      setTimeout(() => {
        if (this.stopped) return;
        if (Date.now() - this.lastReceiveMs >= this.readTimeoutMs) {
          this.stop();
          this.onSilent();
          return;
        }
        this.armRead();
      }, Math.max(0, dueMs)),
    );
  }
}

/** Timers never keep a process alive by themselves (the socket does); unref does not exist in browsers. */
export function unrefTimer<T>(timer: T): T {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}
