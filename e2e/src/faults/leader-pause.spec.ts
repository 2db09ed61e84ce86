// The leader stopped with SIGSTOP for longer than the session timeout, under load: the others elect a new
// leader, which expires the sessions of the paused leader's clients (their ephemerals go on every member);
// after SIGCONT the old leader must not bring those sessions back, and follows with the same tree.
import * as zookeeper from 'node-zookeeper-client';
import { sleep } from '../support/wait';
import { phaseMs, SESSION_TIMEOUT_MS } from './config';
import { describeFaultScenario } from './scenario-suite';
import { childrenAfterSync, withMemberClients } from './verify';
import { create, openSession, sessionIdOf } from './zk-ops';

/** After the resume, how long the probe client may take to reconnect and be told its session expired. */
const EXPIRY_NOTICE_BOUND_MS = 15_000;

describeFaultScenario(
  'faults: the leader paused (SIGSTOP) longer than the session timeout',
  { ensemble: { participants: 3, withProxies: true }, baseSeed: 707 },
  {
    name: 'leader-pause',
    workersPerMember: 2,
    warmupMs: phaseMs(1_500),
    afterHealMs: phaseMs(1_500),
    async faults(context) {
      const leader = await context.leader();
      const rest = context.ensemble.members.map((m) => m.id).filter((id) => id !== leader.id);
      // A probe session on the leader alone that, unlike the workers, never gives up: it must hear of its expiry
      // from a server after the resume, and never be told it is connected again.
      const probe = await openSession(leader.connectString, SESSION_TIMEOUT_MS, 10_000);
      const probeName = `probe-${sessionIdOf(probe)}`;
      await create(probe, `${context.root}/${probeName}`, '', zookeeper.CreateMode.EPHEMERAL, 5_000);
      const probeStates: Array<{ state: string; atMs: number }> = [];
      probe.on('state', (state: zookeeper.State) => probeStates.push({ state: state.getName(), atMs: context.workload.now() }));
      const sessionsOnLeader = context.workload.liveSessions(leader.id).map((s) => ({ ...s }));

      leader.pause();
      const pausedAtMs = context.workload.now();
      context.fault(`SIGSTOP leader ${leader.id} (its sessions: ${[sessionIdOf(probe), ...sessionsOnLeader.map((s) => s.sessionId)].join(' ')})`);
      const successor = await context.leader({ among: rest, timeoutMs: 15_000 });
      context.fault(`member ${successor.id} leads [${rest.join(',')}]`);
      // Past the session timeout counted from the new leader's start (it gives every session a full timeout).
      await sleep(Math.max(0, pausedAtMs + phaseMs(SESSION_TIMEOUT_MS + 3_000) - context.workload.now()));
      leader.resume();
      const resumedAtMs = context.workload.now();
      context.fault(`SIGCONT ${leader.id}`);

      context.afterHeal(async () => {
        const violations: string[] = [];
        const deadline = Date.now() + EXPIRY_NOTICE_BOUND_MS;
        while (!probeStates.some((s) => s.state === 'EXPIRED') && Date.now() < deadline) await sleep(100);
        const afterResume = probeStates.filter((s) => s.atMs >= resumedAtMs);
        const seen = afterResume.map((s) => `${s.state}@${s.atMs}`).join(' ') || 'nothing';
        if (!afterResume.some((s) => s.state === 'EXPIRED')) violations.push(`the probe session on the paused leader was not told it expired within ${EXPIRY_NOTICE_BOUND_MS} ms of the resume (it saw: ${seen})`);
        const revived = afterResume.findIndex((s) => s.state === 'SYNC_CONNECTED');
        const expired = afterResume.findIndex((s) => s.state === 'EXPIRED');
        if (revived !== -1 && (expired === -1 || revived < expired)) violations.push(`the probe session, expired by the new leader, was accepted again after the resume (it saw: ${seen})`);
        probe.close();
        // Right now, with no grace: these sessions expired during the pause, and every member has converged.
        violations.push(
          ...(await withMemberClients(context.ensemble, async (clients) => {
            const found: string[] = [];
            for (const { id, client } of clients) {
              if ((await childrenAfterSync(client, context.root)).has(probeName)) found.push(`member ${id} still has the probe's ephemeral ${context.root}/${probeName}`);
              const eph = await childrenAfterSync(client, `${context.root}/eph`);
              for (const s of sessionsOnLeader) if (eph.has(s.clientId)) found.push(`member ${id} still has ${s.ephemeralPath} of session ${s.sessionId} (homed on the paused leader)`);
            }
            return found;
          })),
        );
        return violations;
      });
    },
  },
);
