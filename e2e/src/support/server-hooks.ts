// Shared set-up for spec files that need servers: take the cross-file lock, start one server per selected
// target before the file's tests, stop them all after (also when a test failed).
import { afterAll, beforeAll } from 'vitest';
import { acquireServerLock, type ServerLock } from '@zk/sdk/testing';
import { selectedTargets, startServer, type RunningServer, type ServerOptions, type TargetName } from './servers';

export interface ServersHandle {
  readonly targets: TargetName[];
  /** The running server of `target`; throws if set-up has not run or failed. */
  get(target: TargetName): RunningServer;
}

/** Registers beforeAll/afterAll in the current describe block (or file) and returns the servers. */
export function useServers(options: ServerOptions = {}): ServersHandle {
  const targets = selectedTargets();
  const servers = new Map<TargetName, RunningServer>();
  let lock: ServerLock | undefined;

  beforeAll(async () => {
    lock = await acquireServerLock(240_000);
    for (const target of targets) servers.set(target, await startServer(target, options));
  }, 300_000);

  afterAll(async () => {
    for (const server of servers.values()) await server.stop();
    servers.clear();
    lock?.release();
  }, 30_000);

  return {
    targets,
    get(target) {
      const server = servers.get(target);
      if (server === undefined) throw new Error(`${target} is not running (its start-up failed or has not run)`);
      return server;
    },
  };
}
