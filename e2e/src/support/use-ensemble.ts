// An ensemble for a whole spec file (or describe block): started before its tests, always stopped after,
// with the ensemble's report on stderr for every failed test.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { acquireServerLock, type ServerLock } from '@zk/sdk/testing';
import { startEnsemble, type EnsembleOptions, type RealEnsemble } from './ensemble';

/**
 * Starts an ensemble before the file's (or describe block's) tests and stops it after, also when a test
 * failed; a failed test gets the ensemble's report on stderr. Takes the cross-file server lock first, so
 * test files that start servers take turns on this small machine.
 */
export function useEnsemble(options: EnsembleOptions): () => RealEnsemble {
  let ensemble: RealEnsemble | undefined;
  let lock: ServerLock | undefined;
  beforeAll(async () => {
    lock = await acquireServerLock(240_000);
    ensemble = await startEnsemble(options);
  }, 300_000);
  afterEach((context) => {
    if (context.task.result?.state === 'fail' && ensemble) process.stderr.write(`${context.task.name} failed:\n${ensemble.report()}\n`);
  });
  afterAll(async () => {
    await ensemble?.stopAll();
    lock?.release();
  }, 30_000);
  return () => {
    if (!ensemble) throw new Error('the ensemble is not running (its start failed or has not run)');
    return ensemble;
  };
}
