// Vitest hooks for spec files that need a server: take the shared lock, start the `target` (coordinator: a 3-member ensemble)
// before the block's tests, stop it after (also when a test failed). Only one server runs at a time.
import { afterAll, beforeAll } from 'vitest';
import { acquireServerLock } from './server-lock';
import { startServer, type ServerOptions, type TargetName, type TestServer } from './servers';

export interface ServerHandle {
  readonly target: TargetName;
  /** The running server; throws if start-up has not run or failed. */
  get(): TestServer;
}

export function useServer(target: TargetName, options: ServerOptions = {}): ServerHandle {
  let server: TestServer | undefined;
  let lock: { release(): void } | undefined;
  beforeAll(async () => {
    lock = await acquireServerLock(300_000);
    try {
      server = await startServer(target, options);
    } catch (error) {
      lock.release();
      lock = undefined;
      throw error;
    }
  }, 330_000);
  afterAll(async () => {
    await server?.stop();
    server = undefined;
    lock?.release();
  }, 30_000);
  return {
    target,
    get() {
      if (server === undefined) throw new Error(`${target} is not running (its start-up failed or has not run)`);
      return server;
    },
  };
}
