// One ZooKeeper and one coordinator at a time on this 2-core machine: spec files that start servers take this
// cross-process lock first (vitest runs files in parallel workers).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep, TimeoutError } from './wait';

const LOCK_DIR = join(tmpdir(), 'zk-e2e-servers.lock');

function ownerAlive(): boolean {
  try {
    const pid = Number(readFileSync(join(LOCK_DIR, 'owner'), 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface ServerLock {
  release(): void;
}

export async function acquireServerLock(timeoutMs: number): Promise<ServerLock> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'owner'), String(process.pid));
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        rmSync(LOCK_DIR, { recursive: true, force: true });
      };
      process.once('exit', release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // A holder that died without releasing leaves the directory; give a new holder time to write its pid.
    await sleep(200);
    if (!ownerAlive()) {
      await sleep(300);
      if (!ownerAlive()) rmSync(LOCK_DIR, { recursive: true, force: true });
    }
    if (Date.now() >= deadline) throw new TimeoutError('the e2e server lock (another spec file holds its servers)', timeoutMs);
  }
}
