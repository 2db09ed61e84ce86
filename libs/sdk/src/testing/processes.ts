// Server processes started by SDK tests: own process group, log file, a lifetime cap (coreutils timeout),
// and killed by stop(), by this process's exit/signal handlers, or at worst by the cap.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

const LIFETIME_MAX_SECONDS = 900;
const running = new Set<ChildProcess>();
let handlersInstalled = false;

export interface ServerProcess {
  readonly pid: number;
  /** Why the process is gone, or undefined while it runs. */
  deathOf(): string | undefined;
  stop(): Promise<void>;
  /** SIGKILL to the whole process group (a crash); resolves once it is gone. */
  kill(): Promise<void>;
  logTail(lines?: number): string;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

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

export function startProcess(options: { name: string; command: string; args: string[]; logPath: string; cwd: string }): ServerProcess {
  installExitHandlers();
  const logFd = openSync(options.logPath, 'a');
  const child = spawn('timeout', ['--kill-after=5', String(LIFETIME_MAX_SECONDS), options.command, ...options.args], {
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  if (child.pid === undefined) throw new Error(`${options.name}: could not start ${options.command}`);
  const pid = child.pid;
  running.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
  });
  const logTail = (lines = 30): string =>
    existsSync(options.logPath) ? readFileSync(options.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '';
  const deathOf = (): string | undefined => {
    if (child.exitCode !== null) return `${options.name} exited with code ${child.exitCode}\n${logTail()}`;
    if (child.signalCode !== null) return `${options.name} was killed by ${child.signalCode}\n${logTail()}`;
    return undefined;
  };
  return {
    pid,
    deathOf,
    logTail,
    async stop() {
      if (deathOf() !== undefined) return;
      killGroup(child, 'SIGTERM');
      if (!(await within(exited, 4_000))) {
        killGroup(child, 'SIGKILL');
        await within(exited, 2_000);
      }
    },
    async kill() {
      if (deathOf() !== undefined) return;
      killGroup(child, 'SIGKILL');
      await within(exited, 5_000);
    },
  };
}

async function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    promise.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]);
  clearTimeout(timer);
  return result;
}
