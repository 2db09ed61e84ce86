// A follower cut off from every other member for longer than the session timeout, under load, then healed:
// its clients' sessions expire (their ephemerals go everywhere), and it catches up to the same tree.
import { sleep } from '../support/wait';
import { phaseMs, SESSION_TIMEOUT_MS } from './config';
import { describeFaultScenario } from './scenario-suite';

describeFaultScenario(
  'faults: a follower partitioned and healed',
  { ensemble: { participants: 3, withProxies: true }, baseSeed: 202 },
  {
    name: 'follower-partition',
    workersPerMember: 2,
    warmupMs: phaseMs(1_500),
    afterHealMs: phaseMs(1_500),
    async faults(context) {
      const leader = await context.leader();
      const [follower] = context.shuffled(context.ensemble.members.map((m) => m.id).filter((id) => id !== leader.id));
      context.network().isolate(follower);
      context.fault(`isolate follower ${follower} (leader ${leader.id})`);
      await sleep(phaseMs(SESSION_TIMEOUT_MS + 1_000 + Math.floor(context.random() * 1_000)));
    },
  },
);
