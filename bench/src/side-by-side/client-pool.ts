// The driver's side of the client processes: forks them, sends commands, waits (bounded) for replies.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ClientLibrary, WorkerCommand, WorkerReply } from './protocol';

type ReplyOf<T extends WorkerReply['type']> = Extract<WorkerReply, { type: T }>;

const REPLY_TIMEOUT_MS = 300_000;

export class ClientProcess {
  private readonly inbox: WorkerReply[] = [];
  private waiter: (() => void) | undefined;
  private exitReason: string | undefined;

  private constructor(private readonly child: ChildProcess, readonly index: number) {
    child.on('message', (reply: WorkerReply) => {
      this.inbox.push(reply);
      this.waiter?.();
    });
    child.once('exit', (code, signal) => {
      this.exitReason = `client process ${index} exited (code ${code}, signal ${signal})`;
      this.waiter?.();
    });
  }

  static async start(index: number): Promise<ClientProcess> {
    const child = fork(join(__dirname, 'client-worker.js'), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const worker = new ClientProcess(child, index);
    await worker.next('ready');
    return worker;
  }

  /** The next reply of `type` (earlier replies of other types stay queued); a 'failed' reply throws. */
  async next<T extends WorkerReply['type']>(type: T, timeoutMs = REPLY_TIMEOUT_MS): Promise<ReplyOf<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const failed = this.inbox.findIndex((reply) => reply.type === 'failed');
      if (failed >= 0) {
        const reply = this.inbox.splice(failed, 1)[0] as ReplyOf<'failed'>;
        throw new Error(`client process ${this.index}: ${reply.error}`);
      }
      const found = this.inbox.findIndex((reply) => reply.type === type);
      if (found >= 0) return this.inbox.splice(found, 1)[0] as ReplyOf<T>;
      if (this.exitReason !== undefined) throw new Error(this.exitReason);
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) throw new Error(`client process ${this.index}: no '${type}' reply within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remainingMs);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }

  send(command: WorkerCommand): void {
    this.child.send(command);
  }

  async request<T extends WorkerReply['type']>(command: WorkerCommand, type: T, timeoutMs?: number): Promise<ReplyOf<T>> {
    this.send(command);
    return this.next(type, timeoutMs);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await this.request({ type: 'close' }, 'closed', 10_000);
    } catch {
      // Closing sessions is a courtesy; the process goes either way.
    }
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  }
}

/** A fixed number of client processes, sessions spread evenly over them. */
export class ClientPool {
  private constructor(readonly processes: readonly ClientProcess[]) {}

  static async start(count: number): Promise<ClientPool> {
    const processes = await Promise.all(Array.from({ length: count }, (_, index) => ClientProcess.start(index)));
    return new ClientPool(processes);
  }

  /** How many of `total` sessions process `index` holds. */
  share(total: number, index: number): number {
    return Math.floor(total / this.processes.length) + (index < total % this.processes.length ? 1 : 0);
  }

  /** Opens `total` sessions over the processes (a process may hold none); sessions spread over the servers. */
  async connect(connectStrings: string[], total: number, library?: ClientLibrary): Promise<void> {
    let first = 0;
    await Promise.all(
      this.processes.map((worker, index) => {
        const sessions = this.share(total, index);
        const command: WorkerCommand = { type: 'connect', connectStrings, sessions, sessionIndexFirst: first, library };
        first += sessions;
        return worker.request(command, 'connected');
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.processes.map((worker) => worker.request({ type: 'close' }, 'closed', 30_000)));
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((worker) => worker.stop()));
  }
}
