// The live-events WebSocket (/api/v1/events?token=…): keeps one socket to some coordinator, resubscribes its topics
// after every reconnect (moving to the next coordinator each time), and reports whether it is live so the
// pages can poll while it is not.
import { eventsUrl } from './runtime-config';

export type StreamStatus = 'connecting' | 'live' | 'offline' | 'unauthorized';

type Listener = (data: unknown) => void;

/** The part of the browser's WebSocket this uses (tests pass a fake). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: string): void;
  close(code?: number): void;
}

export interface EventStreamOptions {
  baseUrls: string[];
  token: string;
  openSocket?: (url: string) => SocketLike;
  onStatus?: (status: StreamStatus) => void;
  /** Delay before reconnect attempt n (0-based). */
  backoffMs?: (attempt: number) => number;
  schedule?: (callback: () => void, delayMs: number) => unknown;
  cancel?: (handle: unknown) => void;
}

const OPEN = 1;
/** The server closes with this when the token is bad or expired. */
export const CLOSE_UNAUTHORIZED = 4401;

export const defaultBackoffMs = (attempt: number): number => Math.min(10_000, 500 * 2 ** attempt);

export class EventStream {
  private readonly listeners = new Map<string, Set<Listener>>();
  private socket: SocketLike | undefined;
  private urlIndex = 0;
  private attempt = 0;
  private timer: unknown;
  private closed = false;
  private statusValue: StreamStatus = 'connecting';

  constructor(private readonly options: EventStreamOptions) {
    if (options.baseUrls.length === 0) this.setStatus('offline');
    else this.connect();
  }

  get status(): StreamStatus {
    return this.statusValue;
  }

  /** Calls `listener` with each event's data for `topic`; returns the function that stops it. */
  subscribe(topic: string, listener: Listener): () => void {
    let set = this.listeners.get(topic);
    if (!set) {
      set = new Set();
      this.listeners.set(topic, set);
      this.send({ type: 'subscribe', topic });
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(topic);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) {
        this.listeners.delete(topic);
        this.send({ type: 'unsubscribe', topic });
      }
    };
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) (this.options.cancel ?? clearTimeout)(this.timer as ReturnType<typeof setTimeout>);
    this.socket?.close(1000);
    this.socket = undefined;
    this.setStatus('offline');
  }

  /** Handles one text message from the server (public for tests). */
  handleMessage(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let message: { type?: string; topic?: string; data?: unknown };
    try {
      message = JSON.parse(raw) as typeof message;
    } catch {
      return;
    }
    if (message.type !== 'event' || typeof message.topic !== 'string') return;
    for (const listener of [...(this.listeners.get(message.topic) ?? [])]) listener(message.data);
  }

  private connect(): void {
    if (this.closed) return;
    const baseUrl = this.options.baseUrls[this.urlIndex % this.options.baseUrls.length];
    this.setStatus('connecting');
    let socket: SocketLike;
    try {
      const open = this.options.openSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
      socket = open(eventsUrl(baseUrl, this.options.token));
    } catch {
      this.retry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setStatus('live');
      for (const topic of this.listeners.keys()) socket.send(JSON.stringify({ type: 'subscribe', topic }));
    };
    socket.onmessage = (event) => this.handleMessage(event.data);
    socket.onerror = () => undefined; // onclose follows and decides
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (event.code === CLOSE_UNAUTHORIZED) {
        this.setStatus('unauthorized');
        return;
      }
      this.retry();
    };
  }

  private retry(): void {
    if (this.closed) return;
    this.setStatus('offline');
    this.urlIndex++;
    const delay = (this.options.backoffMs ?? defaultBackoffMs)(this.attempt++);
    this.timer = (this.options.schedule ?? setTimeout)(() => {
      this.timer = undefined;
      this.connect();
    }, delay);
  }

  private send(message: object): void {
    if (this.socket && this.socket.readyState === OPEN) this.socket.send(JSON.stringify(message));
  }

  private setStatus(status: StreamStatus): void {
    if (status === this.statusValue) return;
    this.statusValue = status;
    this.options.onStatus?.(status);
  }
}
