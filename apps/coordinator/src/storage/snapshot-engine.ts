// Where snapshots are built: in a child process (the default: the serving thread never pauses for
// serialization) or inline on the caller's thread (tests, and to measure what the child saves).
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SerialQueue } from './database';
import { SnapshotBuilder, type SnapshotBuilderConfig, type SnapshotBuilt, type SnapshotSerialized } from './snapshot-builder';
import { startChildProcess } from './child-launch';

type Worker = ChildProcess;

export interface SnapshotEngine {
  build(zxidTarget: bigint, nowMs: number): Promise<SnapshotBuilt>;
  /** The tree's bytes as of zxidTarget (durable in the log), not written: for ZAB's requestSnapshot. */
  serialize(zxidTarget: bigint): Promise<SnapshotSerialized>;
  /** The log was truncated: the replica must be rebuilt. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export type SnapshotWorkerRequest =
  | { type: 'build'; requestId: number; zxidTarget: bigint; nowMs: number }
  | { type: 'serialize'; requestId: number; zxidTarget: bigint }
  | { type: 'reset'; requestId: number }
  | { type: 'close'; requestId: number };

export type SnapshotWorkerReply =
  | { type: 'ready' }
  | { type: 'built'; requestId: number; built: SnapshotBuilt }
  | { type: 'serialized'; requestId: number; serialized: SnapshotSerialized }
  | { type: 'done'; requestId: number }
  | { type: 'failed'; requestId: number; message: string };

export class InlineSnapshotEngine implements SnapshotEngine {
  private builder: Promise<SnapshotBuilder> | undefined;
  /** One request at a time, as in the worker: they share the replica. */
  private readonly queue = new SerialQueue();

  constructor(private readonly config: SnapshotBuilderConfig) {}

  build(zxidTarget: bigint, nowMs: number): Promise<SnapshotBuilt> {
    return this.queue.run(async () => (await this.open()).build(zxidTarget, nowMs));
  }

  serialize(zxidTarget: bigint): Promise<SnapshotSerialized> {
    return this.queue.run(async () => (await this.open()).serialize(zxidTarget));
  }

  reset(): Promise<void> {
    return this.queue.run(async () => {
      if (this.builder) (await this.builder).reset();
    });
  }

  close(): Promise<void> {
    return this.queue.run(async () => {
      if (this.builder) await (await this.builder).close();
      this.builder = undefined;
    });
  }

  private open(): Promise<SnapshotBuilder> {
    this.builder ??= SnapshotBuilder.open(this.config);
    return this.builder;
  }
}

interface Outstanding {
  worker: Worker;
  resolve: (reply: SnapshotWorkerReply) => void;
  reject: (error: Error) => void;
}

/**
 * The builder in a child process, started for a snapshot and stopped once no request is left: the replica
 * it loads (the newest snapshot plus the log after it) is as large as the serving tree. A worker thread kept
 * between snapshots held it all the time (twice the memory per znode); one stopped after each snapshot still
 * left its freed malloc arenas in the server's RSS (+70–100 MiB at 100,000 znodes). A process gives it all
 * back when it exits. Loading again for each snapshot costs the child some CPU every snapCount txns.
 */
export class WorkerSnapshotEngine implements SnapshotEngine {
  private worker: Worker | undefined;
  /** A worker being stopped after its last request (a new request starts a new one meanwhile). */
  private retiring: Promise<void> = Promise.resolve();
  private nextRequestId = 1;
  private readonly outstanding = new Map<number, Outstanding>();

  constructor(private readonly config: SnapshotBuilderConfig) {}

  async build(zxidTarget: bigint, nowMs: number): Promise<SnapshotBuilt> {
    const reply = await this.request((requestId) => ({ type: 'build', requestId, zxidTarget, nowMs }));
    if (reply.type !== 'built') throw new Error(`snapshot worker answered ${reply.type}`);
    return reply.built;
  }

  async serialize(zxidTarget: bigint): Promise<SnapshotSerialized> {
    const reply = await this.request((requestId) => ({ type: 'serialize', requestId, zxidTarget }));
    if (reply.type !== 'serialized') throw new Error(`snapshot worker answered ${reply.type}`);
    return reply.serialized;
  }

  async reset(): Promise<void> {
    if (this.worker) await this.request((requestId) => ({ type: 'reset', requestId }));
  }

  /** Closes the worker's files, waiting at most closeWaitMs for a snapshot under way (SQLite rolls an unfinished one back). */
  async close(closeWaitMs = 2_000): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await this.stop(worker, closeWaitMs);
    await this.retiring;
  }

  /** Whether a snapshot process is running now (tests: none between snapshots). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  private async stop(worker: Worker, closeWaitMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, closeWaitMs);
      });
      await Promise.race([this.requestOf(worker, (requestId) => ({ type: 'close', requestId })).catch(() => undefined), waited]);
    } finally {
      clearTimeout(timer);
      worker.kill('SIGKILL');
    }
  }

  private request(make: (requestId: number) => SnapshotWorkerRequest): Promise<SnapshotWorkerReply> {
    const answered = this.requestOf(this.ensureWorker(), make);
    const retireIfIdle = (): void => {
      const worker = this.worker;
      if (worker === undefined || [...this.outstanding.values()].some((waiting) => waiting.worker === worker)) return;
      this.worker = undefined;
      this.retiring = this.retiring.then(() => this.stop(worker, 60_000));
    };
    answered.then(retireIfIdle, retireIfIdle);
    return answered;
  }

  private requestOf(worker: Worker, make: (requestId: number) => SnapshotWorkerRequest): Promise<SnapshotWorkerReply> {
    const requestId = this.nextRequestId++;
    return new Promise<SnapshotWorkerReply>((resolve, reject) => {
      this.outstanding.set(requestId, { worker, resolve, reject });
      worker.send(make(requestId));
    }).then((reply) => {
      if (reply.type === 'failed') throw new Error(reply.message);
      return reply;
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startChildProcess(join(__dirname, 'snapshot-worker'), this.config);
    // Neither the process nor its channel keeps the server alive.
    worker.unref();
    (worker.channel as { unref?: () => void } | null | undefined)?.unref?.();
    worker.on('message', (reply: SnapshotWorkerReply) => {
      if (reply.type === 'ready') return;
      const waiting = this.outstanding.get(reply.requestId);
      this.outstanding.delete(reply.requestId);
      waiting?.resolve(reply);
    });
    // A worker that dies fails the requests it had; one being retired meanwhile leaves its successor's alone.
    const failAll = (error: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      for (const [requestId, waiting] of this.outstanding) {
        if (waiting.worker !== worker) continue;
        this.outstanding.delete(requestId);
        waiting.reject(error);
      }
    };
    worker.on('error', (error) => failAll(error));
    worker.on('exit', (code, signal) => failAll(new Error(`snapshot worker exited with ${signal ?? `code ${code}`}`)));
    this.worker = worker;
    return worker;
  }
}
