// The shape every fault spec file shares: one ensemble for the file, one test per seed (one in CI, several in
// the nightly run, the given one with FAULTS_SEED), each test one bounded run of the scenario.
import { describe, it } from 'vitest';
import type { EnsembleOptions } from '../support/ensemble';
import { useEnsemble } from '../support/use-ensemble';
import { RUN_TIMEOUT_MS, seedsFor, TICK_MS } from './config';
import { expectClean, runScenario, type ScenarioDefinition } from './run-scenario';

export function describeFaultScenario(
  title: string,
  options: { ensemble: Omit<EnsembleOptions, 'name'>; baseSeed: number; fails?: boolean },
  definition: ScenarioDefinition,
): void {
  describe(title, () => {
    const ensemble = useEnsemble({ tickTimeMs: TICK_MS, initLimit: 10, syncLimit: 5, ...options.ensemble, name: `faults-${definition.name}` });
    for (const seed of seedsFor(options.baseSeed)) {
      const test = options.fails ? it.fails : it;
      test(`seed ${seed}: no acknowledged write lost, linearizable, sequential names ordered, ephemerals of ended sessions gone, one digest`, async () => {
        expectClean(await runScenario(ensemble(), definition, seed));
      }, RUN_TIMEOUT_MS);
    }
  });
}
