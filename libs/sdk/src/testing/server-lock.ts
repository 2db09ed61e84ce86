// One server per target at a time on this 2-core machine: test files that start servers take this
// cross-process lock first. It is the same lock directory e2e's harness uses, so the suites take turns.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
        process.removeListener('exit', release);
        rmSync(LOCK_DIR, { recursive: true, force: true });
      };
      process.once('exit', release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (!ownerAlive()) {
      // A holder that died leaves the directory; give a fresh holder time to write its pid before breaking it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (!ownerAlive()) rmSync(LOCK_DIR, { recursive: true, force: true });
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for the server lock ${LOCK_DIR}`);
  }
}
