// Every member restarted in turn (SIGTERM, start, wait until the ensemble serves again), in a seeded order,
// under load: nothing acknowledged is lost across the restarts and the history stays linearizable.
import { sleep } from '../support/wait';
import { phaseMs } from './config';
import { describeFaultScenario } from './scenario-suite';

describeFaultScenario(
  'faults: rolling restart of every member under load',
  { ensemble: { participants: 3, withProxies: false }, baseSeed: 505 },
  {
    name: 'rolling-restart',
    workersPerMember: 2,
    warmupMs: phaseMs(1_000),
    afterHealMs: phaseMs(1_500),
    async faults(context) {
      for (const id of context.shuffled(context.ensemble.members.map((m) => m.id))) {
        const member = context.ensemble.member(id);
        const wasLeader = (await member.mode()) === 'leader';
        await member.stop();
        context.fault(`stop ${id}${wasLeader ? ' (leader)' : ''}`);
        await sleep(300 + Math.floor(context.random() * 700));
        member.start();
        await context.leader({ timeoutMs: 30_000 });
        context.fault(`${id} back, ensemble serving`);
        await sleep(phaseMs(500));
      }
    },
  },
);
