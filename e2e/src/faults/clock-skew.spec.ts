// Clock skew does not matter: members 1 and 2 run with their wall clocks 90 s ahead and 90 s behind
// (libfaketime, Debian's `faketime` package; monotonic clocks untouched), member 3 on time, under load, and
// leadership moves from one clock to another. What is checked, and why it is what matters: every time the
// coordinator acts on comes from the leader alone — a txn's time (ctime/mtime) is the leader's clock when it
// proposes, and session expiry is decided by the leader's tracker against its own clock, relative to when it
// last heard from the session (a new leader gives every session a full timeout). So a node's ctime is the
// same on every member, and a session cut off expires one timeout later whichever member it was on and
// whichever member leads. Not checked here: TTL nodes across a leader change (mtime stamped by one leader's
// clock, compared with the next leader's), which no ZooKeeper-compatible design makes skew-free.
// Without libfaketime the scenario runs unskewed and says so.
import { existsSync } from 'node:fs';
import * as zookeeper from 'node-zookeeper-client';
import { FaultProxy } from '../support/fault-proxy';
import { sleep } from '../support/wait';
import { phaseMs, SESSION_TIMEOUT_MS } from './config';
import type { FaultContext } from './run-scenario';
import { describeFaultScenario } from './scenario-suite';
import { withMemberClients } from './verify';
import { create, ErrorCodes, errorCodeOf, getData, openSession, syncPath } from './zk-ops';

const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const SKEW_BY_MEMBER: Record<number, string> = { 1: '+90s', 2: '-90s' };
const skewed = existsSync(LIBFAKETIME);
if (!skewed) process.stderr.write(`clock-skew: ${LIBFAKETIME} is missing (apt-get install faketime): running with every clock on time\n`);

/** A session expires at most this long after it was cut off (a timeout, plus ticks and a leader's start). */
const EXPIRY_AFTER_CUT_MAX_MS = SESSION_TIMEOUT_MS + 3_000;
/** …and not before this (the client pinged at most a third of a timeout before the cut). */
const EXPIRY_AFTER_CUT_MIN_MS = SESSION_TIMEOUT_MS / 2;

/** Cuts a session on `memberId` off (through a proxy of its own) and measures how long its ephemeral lives on. */
async function expiryAfterCut(context: FaultContext, memberId: number, label: string): Promise<string[]> {
  const member = context.ensemble.member(memberId);
  const proxy = await FaultProxy.start({ label: `client→${memberId}`, targetPort: member.clientPort });
  const watcher = await openSession(context.ensemble.connectString(), SESSION_TIMEOUT_MS, 10_000);
  try {
    const victim = await openSession(`127.0.0.1:${proxy.port}`, SESSION_TIMEOUT_MS, 10_000);
    const path = await create(victim, `${context.root}/expiry-${label}`, '', zookeeper.CreateMode.EPHEMERAL, 5_000);
    proxy.cut('blackhole');
    const cutAtMs = performance.now();
    for (;;) {
      const elapsedMs = performance.now() - cutAtMs;
      if (elapsedMs > EXPIRY_AFTER_CUT_MAX_MS + 5_000) break;
      const gone = await syncPath(watcher, path, 2_000)
        .then(() => getData(watcher, path, 2_000))
        .then(
          () => false,
          (error: unknown) => errorCodeOf(error) === ErrorCodes.NO_NODE,
        );
      if (gone) {
        context.fault(`session on ${memberId} (${label}) expired ${Math.round(elapsedMs)} ms after its cut`);
        victim.close();
        if (elapsedMs < EXPIRY_AFTER_CUT_MIN_MS || elapsedMs > EXPIRY_AFTER_CUT_MAX_MS) {
          return [`${label}: a ${SESSION_TIMEOUT_MS} ms session on member ${memberId} expired ${Math.round(elapsedMs)} ms after it was cut off (expected ${EXPIRY_AFTER_CUT_MIN_MS}–${EXPIRY_AFTER_CUT_MAX_MS} ms)`];
        }
        return [];
      }
      await sleep(100);
    }
    victim.close();
    return [`${label}: a ${SESSION_TIMEOUT_MS} ms session on member ${memberId} had not expired ${EXPIRY_AFTER_CUT_MAX_MS + 5_000} ms after it was cut off`];
  } finally {
    watcher.close();
    await proxy.close();
  }
}

/** Creates a node through the leader's txn and reads its ctime on every member: one value everywhere. */
async function ctimeEverywhere(context: FaultContext, label: string): Promise<string[]> {
  const writer = await openSession(context.ensemble.connectString(), SESSION_TIMEOUT_MS, 10_000);
  const path = `${context.root}/time-${label}`;
  try {
    await create(writer, path, '', zookeeper.CreateMode.PERSISTENT, 5_000);
  } finally {
    writer.close();
  }
  const ctimes = await withMemberClients(context.ensemble, async (clients) => {
    const seen: string[] = [];
    for (const { id, client } of clients) {
      await syncPath(client, path, 5_000);
      const { stat } = await getData(client, path, 5_000);
      seen.push(`${id}=${stat.ctime.readBigInt64BE()}`);
    }
    return seen;
  });
  const values = new Set(ctimes.map((c) => c.split('=')[1]));
  context.fault(`ctime of ${label}: ${ctimes.join(' ')} (real clock ${Date.now()})`);
  return values.size === 1 ? [] : [`${path}: ctime differs between members: ${ctimes.join(' ')}`];
}

describeFaultScenario(
  'faults: clock skew does not matter (times only come from the leader)',
  {
    ensemble: {
      participants: 3,
      withProxies: true,
      memberEnv: (id) => (skewed && SKEW_BY_MEMBER[id] ? { LD_PRELOAD: LIBFAKETIME, FAKETIME: SKEW_BY_MEMBER[id], FAKETIME_DONT_FAKE_MONOTONIC: '1' } : undefined),
    },
    baseSeed: 808,
  },
  {
    name: 'clock-skew',
    workersPerMember: 2,
    warmupMs: phaseMs(1_000),
    afterHealMs: phaseMs(1_500),
    async faults(context) {
      const violations: string[] = [];
      context.afterHeal(() => Promise.resolve(violations));
      const clocks = context.ensemble.members.map((m) => `${m.id}:${(skewed && SKEW_BY_MEMBER[m.id]) || '±0'}`).join(' ');
      for (let round = 0; round < 2; round++) {
        const leader = await context.leader();
        context.fault(`round ${round}: leader ${leader.id} (clocks ${clocks})`);
        violations.push(...(await ctimeEverywhere(context, `round${round}`)));
        const [home] = context.shuffled(context.ensemble.members.map((m) => m.id).filter((id) => id !== leader.id));
        violations.push(...(await expiryAfterCut(context, home, `round${round}-on-${home}`)));
        // Move leadership to another clock: the old leader's link to everyone is cut until a successor serves.
        if (round === 0) {
          context.network().isolate(leader.id);
          context.fault(`isolate leader ${leader.id}`);
          const rest = context.ensemble.members.map((m) => m.id).filter((id) => id !== leader.id);
          await context.leader({ among: rest, timeoutMs: 15_000 });
          context.network().healAll();
          context.fault('heal');
          await sleep(phaseMs(500));
        }
      }
    },
  },
);
