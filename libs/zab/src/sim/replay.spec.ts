// Replays one simulator seed with its full trace: ZAB_SEED=123 npx vitest run libs/zab -t replay.
// The same environment a failing seed file prints selects its options: ZAB_DISCONNECTS=1,
// ZAB_COUNTER_MAX=n, ZAB_NO_LIVENESS=1; ZAB_MUTATION=skipTrunc replays against a broken protocol;
// ZAB_TRACE_MESSAGES=1 traces every message.
import { expect, it } from 'vitest';
import { simulate } from './cluster';
import { formatFailure } from './seed-runner';

it('replay ZAB_SEED (default 1) with its trace', () => {
  const env = process.env;
  const mutation = env.ZAB_MUTATION;
  const result = simulate({
    seed: Number(env.ZAB_SEED ?? 1),
    traceLimit: 100_000,
    traceMessages: env.ZAB_TRACE_MESSAGES === '1',
    disconnectNotices: env.ZAB_DISCONNECTS === '1',
    peerLimits: env.ZAB_COUNTER_MAX ? { zxidCounterMax: BigInt(env.ZAB_COUNTER_MAX) } : undefined,
    mutations: mutation ? { [mutation]: true } : undefined,
    checkLiveness: !mutation && env.ZAB_NO_LIVENESS !== '1',
  });
  if (env.ZAB_SEED) console.log(result.trace.join('\n'));
  expect(result.ok, formatFailure(result)).toBe(true);
});
