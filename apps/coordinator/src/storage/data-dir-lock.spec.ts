import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLock, LOCK_FILE_NAME } from './data-dir-lock';
import { StorageRefusedError } from './errors';

describe('DataDirLock', () => {
  const dirs: string[] = [];
  const fresh = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('writes our pid and removes the file on release', () => {
    const dir = fresh();
    const lock = DataDirLock.acquire(dir);
    expect(readFileSync(join(dir, LOCK_FILE_NAME), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(false);
  });

  it('refuses a directory held by a live process, naming it', async () => {
    const dir = fresh();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    try {
      writeFileSync(join(dir, LOCK_FILE_NAME), `${other.pid}\n`);
      expect(() => DataDirLock.acquire(dir)).toThrowError(StorageRefusedError);
      expect(() => DataDirLock.acquire(dir)).toThrowError(new RegExp(`pid ${other.pid}`));
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('takes over a lock left by a process that died', async () => {
    const dir = fresh();
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => dead.on('exit', resolve));
    writeFileSync(join(dir, LOCK_FILE_NAME), `${dead.pid}\n`);
    const lock = DataDirLock.acquire(dir);
    expect(readFileSync(join(dir, LOCK_FILE_NAME), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });
});

describe('DataDirLock and zombies', () => {
  it('takes over a lock whose owner is a zombie (killed, not yet reaped)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    try {
      // A child that is killed but whose exit this process does not reap until later: a zombie meanwhile.
      const child = spawn('sh', ['-c', 'sleep 30']);
      writeFileSync(join(dir, LOCK_FILE_NAME), `${child.pid}\n`);
      process.kill(child.pid as number, 'SIGKILL');
      // Wait until the kernel shows it as a zombie (or gone).
      for (let i = 0; i < 100; i++) {
        const stat = existsSync(`/proc/${child.pid}/stat`) ? readFileSync(`/proc/${child.pid}/stat`, 'utf8') : '';
        if (stat === '' || / Z /.test(stat)) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const lock = DataDirLock.acquire(dir);
      lock.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
