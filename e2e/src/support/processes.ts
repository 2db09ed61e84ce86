// Child processes the suite starts: each in its own process group, logged to a file, always stopped —
// by the test's afterAll, by this process's exit/signal handlers, and at worst by a lifetime cap.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { sleep } from './wait';

/** No server outlives this, even if the test process is killed with SIGKILL and cannot clean up. */
const MAX_LIFETIME_SECONDS = Number(process.env['E2E_SERVER_MAX_LIFETIME_S'] ?? 900);

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logPath: string;
  /** Why the process is gone (exit code or signal), or undefined while it runs. */
  deathOf(): string | undefined;
  /** SIGTERM to the process group, SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** The last lines of its log, for failure messages. */
  logTail(lines?: number): string;
}

const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone: nothing to stop.
  }
}

let handlersInstalled = false;
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const child of running) killGroup(child, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      for (const child of running) killGroup(child, 'SIGKILL');
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/** SIGTERM, then SIGKILL after `graceMs`, for a child started without its own process group. */
export async function killChild(child: ChildProcess, graceMs = 2_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!stopped) {
    child.kill('SIGKILL');
    await Promise.race([exited, sleep(graceMs)]);
  }
}

/** Puts a child started elsewhere (e.g. with piped stdin) under the same exit-time clean-up. */
export function trackChild(child: ChildProcess): void {
  installExitHandlers();
  if (child.exitCode !== null || child.signalCode !== null) return;
  running.add(child);
  child.once('exit', () => running.delete(child));
}

/**
 * Starts `command args…` under coreutils `timeout` (the lifetime cap) in a new process group, with stdout and
 * stderr appended to `logPath`.
 */
export function startProcess(options: {
  name: string;
  command: string;
  args: string[];
  logPath: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}): ManagedProcess {
  installExitHandlers();
  const logFd = openSync(options.logPath, 'a');
  const child = spawn(
    'timeout',
    ['--kill-after=5', String(MAX_LIFETIME_SECONDS), options.command, ...options.args],
    { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', logFd, logFd] },
  );
  closeSync(logFd);
  if (child.pid === undefined) throw new Error(`${options.name}: could not start ${options.command}`);
  running.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
  });
  child.once('error', () => running.delete(child));

  const managed: ManagedProcess = {
    name: options.name,
    pid: child.pid,
    logPath: options.logPath,
    deathOf() {
      if (child.exitCode !== null) return `${options.name} exited with code ${child.exitCode}\n${managed.logTail()}`;
      if (child.signalCode !== null) return `${options.name} was killed by ${child.signalCode}\n${managed.logTail()}`;
      return undefined;
    },
    async stop(graceMs = 4_000) {
      if (managed.deathOf() !== undefined) return;
      killGroup(child, 'SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!stopped) {
        killGroup(child, 'SIGKILL');
        await Promise.race([exited, sleep(2_000)]);
      }
    },
    logTail(lines = 30) {
      if (!existsSync(options.logPath)) return '';
      const text = readFileSync(options.logPath, 'utf8').trimEnd().split('\n');
      return text.slice(-lines).join('\n');
    },
  };
  return managed;
}
