// What sizes a fault run: the CI size by default, the nightly size with FAULTS_NIGHTLY=1, one seed with
// FAULTS_SEED=n (replay). Every scenario reads its seeds, phase lengths and limits from here.

/** The ensemble's tick: short, so that elections and expiries happen within a few seconds. */
export const TICK_MS = 200;
/** Within [2, 20] ticks, the coordinator's session timeout bounds for this tick. */
export const SESSION_TIMEOUT_MS = 3_000;
/** The harness stops waiting for one operation after this and records it as unknown. */
export const OPERATION_TIMEOUT_MS = 2 * SESSION_TIMEOUT_MS;
/** vitest's bound on one scenario run (one seed), set on every test. */
export const RUN_TIMEOUT_MS = 120_000;

const nightly = process.env['FAULTS_NIGHTLY'] === '1';
const replaySeed = process.env['FAULTS_SEED'];
const runsOverride = process.env['FAULTS_RUNS'];

export const isNightly = nightly;

/** How much longer the load and the faults last in the nightly run. */
export const DURATION_FACTOR = nightly ? Number(process.env['FAULTS_DURATION_FACTOR'] ?? 2) : 1;

/**
 * The seeds a scenario runs with: FAULTS_SEED alone when set (a replay), else `runs` seeds from the
 * scenario's base (1 in CI, FAULTS_RUNS or 4 in the nightly run).
 */
export function seedsFor(baseSeed: number): number[] {
  if (replaySeed !== undefined) {
    const seed = Number(replaySeed);
    if (!Number.isSafeInteger(seed)) throw new Error(`FAULTS_SEED must be an integer, got ${replaySeed}`);
    return [seed];
  }
  const runs = runsOverride !== undefined ? Number(runsOverride) : nightly ? 4 : 1;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`FAULTS_RUNS must be a positive integer, got ${runsOverride}`);
  return Array.from({ length: runs }, (_, i) => baseSeed + i * 7919);
}

/** A phase length scaled for the nightly run. */
export function phaseMs(ms: number): number {
  return Math.round(ms * DURATION_FACTOR);
}
