// One server per data directory: a lock file holding the owner's pid. Two servers appending to one
// SQLite log would interleave their zxids; this refuses the second at start-up instead.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StorageRefusedError } from './errors';

export const LOCK_FILE_NAME = 'coordinator.lock';

export class DataDirLock {
  private constructor(private readonly path: string) {}

  /** Takes the lock, or refuses when a live process holds it; a lock left by a dead process is taken over. */
  static acquire(dir: string): DataDirLock {
    const path = join(dir, LOCK_FILE_NAME);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        return new DataDirLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = Number.parseInt(readLockOwner(path), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
        throw new StorageRefusedError(
          `${dir} is in use by another server (pid ${owner}, see ${path})`,
          'stop that server, or give this one its own dataDir/dataLogDir',
        );
      }
      // Stale: its owner is gone (a kill -9 leaves the file behind).
      unlinkSync(path);
    }
    throw new StorageRefusedError(`could not take the lock ${path}`, `remove ${path} if no server uses ${dir}`);
  }

  release(): void {
    try {
      if (readLockOwner(this.path).trim() === String(process.pid)) unlinkSync(this.path);
    } catch {
      // Already gone: nothing to release.
    }
  }
}

function readLockOwner(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  // A SIGKILLed server can linger as a zombie until its parent reaps it; it holds no files, so it is gone.
  const state = processState(pid);
  if (state !== undefined) return state !== 'Z' && state !== 'X';
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process's state letter from /proc (Linux), or undefined where /proc does not say. */
function processState(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    // No such entry on a system with /proc: no such process.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' && procAvailable() ? 'X' : undefined;
  }
  return stat.slice(stat.lastIndexOf(')') + 2).charAt(0) || undefined;
}

function procAvailable(): boolean {
  try {
    readFileSync('/proc/self/stat', 'utf8');
    return true;
  } catch {
    return false;
  }
}
