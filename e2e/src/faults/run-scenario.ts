// One run of a fault scenario: load on, the scenario's seeded faults, heal everything, load a little longer,
// load off, then every invariant (verify.ts) checked and the run's summary printed and recorded.
// A scenario only says what to break and when; setting up, healing and checking are the same for all.
import { expect } from 'vitest';
import type { EnsembleMember, RealEnsemble } from '../support/ensemble';
import { seededRandom } from '../support/fault-proxy';
import type { FaultNetwork } from '../support/fault-network';
import { sleep } from '../support/wait';
import { OPERATION_TIMEOUT_MS, SESSION_TIMEOUT_MS } from './config';
import { recordRun, type RunSummary } from './results';
import { checkAcknowledgedCreates, checkConvergence, checkEphemerals, checkLinearizable, checkSequentialNames, withMemberClients } from './verify';
import { scenarioPaths, Workload } from './workload';
import { create, ErrorCodes, errorCodeOf, openSession } from './zk-ops';

export interface FaultContext {
  readonly ensemble: RealEnsemble;
  readonly seed: number;
  /** The run's root znode (registers, seq/ and eph/ are under it; a scenario may add its own nodes). */
  readonly root: string;
  /** Seeded: the scenario's choices (whom to cut, for how long) come from here, so a seed replays them. */
  readonly random: () => number;
  readonly workload: Workload;
  /** The fault network; throws if the ensemble has none. */
  network(): FaultNetwork;
  /** Notes a fault in the run's report, with the history clock's time (to read next to a failing window). */
  fault(what: string): void;
  /** A check to run once everything has healed and converged; returns violations. */
  afterHeal(check: () => Promise<string[]>): void;
  leader(options?: { among?: readonly number[]; except?: number | readonly number[]; timeoutMs?: number }): Promise<EnsembleMember>;
  /** Members' ids in a seeded order. */
  shuffled(ids: readonly number[]): number[];
}

export interface ScenarioDefinition {
  /** The spec file's name without .spec.ts; also the results table's row. */
  name: string;
  /** Workers (sessions) per member; each connects to its member only. */
  workersPerMember: number;
  /** Load before the first fault. */
  warmupMs: number;
  /** Load after the heal, before the load stops and the checks run. */
  afterHealMs: number;
  faults(context: FaultContext): Promise<void>;
}

const SETUP_ATTEMPTS = 20;
let runCounter = 0;

async function createRunTree(ensemble: RealEnsemble, root: string): Promise<void> {
  const client = await openSession(ensemble.connectString(), SESSION_TIMEOUT_MS, 15_000);
  try {
    const paths = scenarioPaths(root);
    for (const path of [root, ...paths.registers, paths.seq, paths.eph]) {
      for (let attempt = 1; ; attempt++) {
        try {
          await create(client, path, '', 0, OPERATION_TIMEOUT_MS);
          break;
        } catch (error) {
          if (errorCodeOf(error) === ErrorCodes.NODE_EXISTS) break; // an earlier attempt went through
          if (attempt >= SETUP_ATTEMPTS) throw error;
          await sleep(250);
        }
      }
    }
  } finally {
    client.close();
  }
}

/** Undoes every fault the scenario may have left: network healed, paused members resumed, stopped ones started. */
function healEverything(ensemble: RealEnsemble, note: (what: string) => void): string[] {
  const violations: string[] = [];
  ensemble.network?.healAll();
  for (const member of ensemble.members) {
    if (member.state === 'paused') member.resume();
    const death = member.deathOf();
    if (member.state === 'running' && death !== undefined) {
      violations.push(`member ${member.id} died without being killed: ${death}`);
      member.start();
    }
    if (member.state === 'stopped') member.start();
  }
  note('heal all (network healed, every member running)');
  return violations;
}

export async function runScenario(ensemble: RealEnsemble, definition: ScenarioDefinition, seed: number): Promise<RunSummary> {
  const startedAtMs = Date.now();
  runCounter += 1;
  const root = `/${definition.name}-s${seed}-r${runCounter}`;
  await ensemble.waitForLeader({ timeoutMs: 30_000 });
  await createRunTree(ensemble, root);
  const homes = ensemble.members.flatMap((m) => Array.from({ length: definition.workersPerMember }, () => m.id));
  const workload = new Workload({ ensemble, root, homes, seed, sessionTimeoutMs: SESSION_TIMEOUT_MS, operationTimeoutMs: OPERATION_TIMEOUT_MS });
  const faults: string[] = [];
  const deferred: Array<() => Promise<string[]>> = [];
  const random = seededRandom(seed);
  const note = (what: string): void => {
    faults.push(`+${(workload.now() / 1000).toFixed(1)} s ${what}`);
  };
  const context: FaultContext = {
    ensemble,
    seed,
    root,
    random,
    workload,
    network() {
      if (!ensemble.network) throw new Error(`${definition.name} needs an ensemble started withProxies`);
      return ensemble.network;
    },
    fault: note,
    afterHeal: (check) => deferred.push(check),
    leader: (options) => ensemble.waitForLeader({ timeoutMs: 30_000, ...options }),
    shuffled(ids) {
      const copy = [...ids];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [copy[i], copy[j]] = [copy[j], copy[i]];
      }
      return copy;
    },
  };

  const violations: string[] = [];
  workload.start();
  try {
    await sleep(definition.warmupMs);
    await definition.faults(context);
  } finally {
    violations.push(...healEverything(ensemble, note));
  }
  await ensemble.waitForLeader({ timeoutMs: 30_000 });
  await sleep(definition.afterHealMs);
  await workload.stop();
  note('load stopped');

  const paths = scenarioPaths(root);
  violations.push(...(await checkConvergence(ensemble, 20_000)).violations);
  violations.push(
    ...(await withMemberClients(ensemble, async (clients) => [
      ...(await checkAcknowledgedCreates(clients, paths.seq, workload.acked)),
      ...(await checkEphemerals(clients, paths.eph, workload.sessions, { settleMs: 2 * SESSION_TIMEOUT_MS + 2_000 })),
    ])),
  );
  violations.push(...checkSequentialNames(workload.acked));
  for (const check of deferred) violations.push(...(await check()));
  const linearizability = checkLinearizable(workload.history);
  violations.push(...linearizability.violations);

  // Closed sessions take their ephemerals with them, on every member; then the trees must agree once more.
  workload.closeSessions();
  violations.push(...(await withMemberClients(ensemble, (clients) => checkEphemerals(clients, paths.eph, workload.sessions, { settleMs: 5_000 }))));
  violations.push(...(await checkConvergence(ensemble, 20_000)).violations);

  const summary: RunSummary = {
    scenario: definition.name,
    seed,
    runMs: Date.now() - startedAtMs,
    registerOps: workload.counts.registerOps,
    creates: workload.counts.creates,
    unknown: workload.counts.unknown,
    sessions: workload.counts.sessions,
    expiredSessions: workload.counts.expired,
    faults: faults.filter((f) => !f.endsWith('load stopped')),
    violations,
    verdict: linearizability.result.verdict,
  };
  process.stdout.write(
    `[faults] ${definition.name} seed ${seed}: ${summary.registerOps} register ops + ${summary.creates} creates (${summary.unknown} unknown), ` +
      `${summary.sessions} sessions (${summary.expiredSessions} expired), checker: ${summary.verdict}, ${violations.length} violation(s), ${(summary.runMs / 1000).toFixed(1)} s\n` +
      `  timeline: ${faults.join(' | ')}\n` +
      `  replay: FAULTS_SEED=${seed} npx vitest run e2e/src/faults/${definition.name}.spec.ts\n`,
  );
  recordRun(summary);
  return summary;
}

/** The assertion every scenario test ends with: no violation, and the load actually did something. */
export function expectClean(summary: RunSummary): void {
  expect(summary.violations, `violations in ${summary.scenario} seed ${summary.seed} (replay: FAULTS_SEED=${summary.seed})`).toEqual([]);
  expect(summary.registerOps, 'register operations run').toBeGreaterThan(20);
}
