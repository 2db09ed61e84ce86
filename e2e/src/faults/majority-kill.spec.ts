// A majority killed with SIGKILL (the leader and one follower) under load, held down, then restarted: the
// survivor alone serves nothing, and after recovery every acknowledged write is there (fsync before ACK).
import { sleep } from '../support/wait';
import { phaseMs } from './config';
import { describeFaultScenario } from './scenario-suite';

describeFaultScenario(
  'faults: kill of a majority, then recovery',
  { ensemble: { participants: 3, withProxies: false }, baseSeed: 606 },
  {
    name: 'majority-kill',
    workersPerMember: 2,
    warmupMs: phaseMs(1_500),
    afterHealMs: phaseMs(1_500),
    async faults(context) {
      const leader = await context.leader();
      const [follower] = context.shuffled(context.ensemble.members.map((m) => m.id).filter((id) => id !== leader.id));
      await Promise.all([leader.kill(), context.ensemble.member(follower).kill()]);
      context.fault(`SIGKILL leader ${leader.id} and follower ${follower}`);
      await sleep(phaseMs(1_500 + Math.floor(context.random() * 1_000)));
      for (const id of context.shuffled([leader.id, follower])) {
        context.ensemble.member(id).start();
        context.fault(`start ${id}`);
        await sleep(Math.floor(context.random() * 500));
      }
      await context.leader({ timeoutMs: 30_000 });
      context.fault('ensemble serving again');
    },
  },
);
