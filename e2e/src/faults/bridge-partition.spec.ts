// Five members split into two sides that cannot reach each other but both reach a middle member (the
// bridge), under load: whichever side the leader is on, at most one leader serves, and after the heal
// every member holds the same tree with every acknowledged write.
import { sleep } from '../support/wait';
import { phaseMs } from './config';
import { describeFaultScenario } from './scenario-suite';

describeFaultScenario(
  'faults: a bridge partition (two sides that both see a middle member)',
  { ensemble: { participants: 5, withProxies: true }, baseSeed: 303 },
  {
    name: 'bridge-partition',
    workersPerMember: 1,
    warmupMs: phaseMs(1_500),
    afterHealMs: phaseMs(2_000),
    async faults(context) {
      const leader = await context.leader();
      const [bridge, a1, a2, b1, b2] = context.shuffled(context.ensemble.members.map((m) => m.id));
      const pairs = [a1, a2].flatMap((a) => [b1, b2].map((b): [number, number] => [a, b]));
      context.network().cutPairs(pairs);
      context.fault(`bridge ${bridge} between [${a1},${a2}] and [${b1},${b2}] (leader was ${leader.id})`);
      await sleep(phaseMs(2_000));
      context.fault(`modes during the bridge: ${await context.ensemble.modes()}`);
      await sleep(phaseMs(2_000 + Math.floor(context.random() * 1_000)));
    },
  },
);
