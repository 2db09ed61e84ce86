// Runs ranges of simulator seeds and formats failures so that each names its seed and its replay.

import { replayHint, type SimOptions, type SimResult, simulate } from './cluster';

export function runSeeds(first: number, count: number, options: Omit<SimOptions, 'seed'> = {}): Array<SimResult & { replay?: string }> {
  const failures: Array<SimResult & { replay?: string }> = [];
  for (let seed = first; seed < first + count; seed++) {
    const result = simulate({ traceLimit: 0, ...options, seed });
    if (result.ok) continue;
    // Run it again with a trace: a seed replays bit for bit.
    const traced = simulate({ ...options, seed, traceLimit: 60 });
    failures.push({ ...traced, replay: replayHint(seed, options) });
  }
  return failures;
}

export function formatFailure(result: SimResult & { replay?: string }): string {
  const v = result.violation;
  return [
    `seed ${result.seed} (${result.voters} voters, ${result.observers} observers, ${result.profile} faults) at tick ${result.ticks}: ${v?.message ?? 'ok'}`,
    `replay: ${result.replay ?? replayHint(result.seed)}`,
    ...result.trace.slice(-40).map((l) => `  ${l}`),
  ].join('\n');
}
