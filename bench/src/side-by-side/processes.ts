// Server processes the benchmark starts: each in its own process group with its log in a file, always
// stopped — by the run's own clean-up, by this process's exit and signal handlers.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';

export interface ServerProcess {
  readonly pid: number;
  readonly logPath: string;
  /** Why the process is gone (exit code or signal), or undefined while it runs. */
  deathOf(): string | undefined;
  /** SIGKILL (a crash) or SIGTERM then SIGKILL after `graceMs`, to the whole process group. */
  stop(signal?: 'SIGTERM' | 'SIGKILL', graceMs?: number): Promise<void>;
  logTail(lines?: number): string;
}

const running = new Set<ChildProcess>();
let handlersInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Kills every server still running; called on exit and on SIGINT/SIGTERM/SIGHUP. */
export function killAllServers(): void {
  for (const child of running) killGroup(child, 'SIGKILL');
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllServers);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAllServers();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** No server outlives this, even if the benchmark is killed with SIGKILL and cannot clean up. */
const MAX_LIFETIME_S = Number(process.env['BENCH_SERVER_MAX_LIFETIME_S'] ?? 7_200);

/**
 * Starts `command args…` under coreutils `timeout` (the lifetime cap) in a new process group; `pid` is the
 * server's own pid (timeout's child), for RSS.
 */
export function startServerProcess(options: { command: string; args: string[]; logPath: string; cwd: string; env?: NodeJS.ProcessEnv }): ServerProcess {
  installExitHandlers();
  const logFd = openSync(options.logPath, 'a');
  const child = spawn('timeout', ['--kill-after=5', String(MAX_LIFETIME_S), options.command, ...options.args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  if (child.pid === undefined) throw new Error(`could not start ${options.command}`);
  const timeoutPid = child.pid;
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));
  const logTail = (lines = 30): string =>
    existsSync(options.logPath) ? readFileSync(options.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '';
  const managed: ServerProcess = {
    get pid() {
      const children = readFileSync(`/proc/${timeoutPid}/task/${timeoutPid}/children`, 'utf8').trim().split(' ');
      const pid = Number(children[0]);
      if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no server process under timeout (pid ${timeoutPid})`);
      return pid;
    },
    logPath: options.logPath,
    deathOf() {
      if (child.exitCode !== null) return `pid ${timeoutPid} exited with code ${child.exitCode}\n${logTail()}`;
      if (child.signalCode !== null) return `pid ${timeoutPid} was killed by ${child.signalCode}\n${logTail()}`;
      return undefined;
    },
    async stop(signal = 'SIGTERM', graceMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (signal === 'SIGKILL') {
        // The server alone: `timeout` reaps it before exiting, so once timeout has exited the server's pid is
        // gone too (a restart's data-dir lock check must not see it alive).
        try {
          process.kill(managed.pid, 'SIGKILL');
        } catch {
          killGroup(child, 'SIGKILL');
        }
      } else {
        killGroup(child, signal);
      }
      const stopped = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!stopped) {
        killGroup(child, 'SIGKILL');
        await Promise.race([exited, sleep(2_000)]);
      }
    },
    logTail,
  };
  return managed;
}

/**
 * RSS of a server: its process and every process under it (ours builds snapshots in a child process that lives
 * for one snapshot; its memory counts while it runs, as ZooKeeper's snapshot thread's does inside its JVM).
 */
export function rssBytes(pid: number): number {
  return ownRssBytes(pid) + childrenOf(pid).reduce((sum, child) => sum + childRssBytes(child), 0);
}

function childRssBytes(pid: number): number {
  try {
    return rssBytes(pid);
  } catch {
    return 0; // exited between listing and reading
  }
}

/** Resident set size of one process, from /proc (Linux). */
function ownRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (match === null) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8')
        .split(' ')
        .filter((word) => word.trim() !== '')
        .map(Number),
    );
  } catch {
    return []; // the process (or a child) exited meanwhile
  }
}
