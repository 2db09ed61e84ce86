// The leader cut off from every follower (black hole) under load: the majority elects a new leader and goes
// on; the old leader steps down and, after the heal, follows and holds exactly what the majority holds.
import { sleep } from '../support/wait';
import { phaseMs } from './config';
import { describeFaultScenario } from './scenario-suite';

describeFaultScenario(
  'faults: leader partitioned from the rest under load',
  { ensemble: { participants: 3, withProxies: true }, baseSeed: 101 },
  {
    name: 'leader-partition',
    workersPerMember: 2,
    warmupMs: phaseMs(1_500),
    afterHealMs: phaseMs(1_500),
    async faults(context) {
      const leader = await context.leader();
      const rest = context.ensemble.members.map((m) => m.id).filter((id) => id !== leader.id);
      context.network().isolate(leader.id);
      context.fault(`isolate leader ${leader.id}`);
      const successor = await context.leader({ among: rest, timeoutMs: 15_000 });
      context.fault(`member ${successor.id} leads [${rest.join(',')}]`);
      await sleep(phaseMs(1_500 + Math.floor(context.random() * 1_500)));
    },
  },
);
