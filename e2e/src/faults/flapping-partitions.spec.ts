// Partitions that come and go on a seeded schedule, under load: an isolated member, a single cut link, a
// one-way cut, or a heal, each held for a fraction of a second to a little over a second.
import { sleep } from '../support/wait';
import { isNightly, phaseMs } from './config';
import { describeFaultScenario } from './scenario-suite';

describeFaultScenario(
  'faults: flapping partitions on a seeded schedule',
  { ensemble: { participants: 3, withProxies: true }, baseSeed: 404 },
  {
    name: 'flapping-partitions',
    workersPerMember: 2,
    warmupMs: phaseMs(1_000),
    afterHealMs: phaseMs(2_000),
    async faults(context) {
      const network = context.network();
      const ids = context.ensemble.members.map((m) => m.id);
      const steps = isNightly ? 16 : 8;
      for (let step = 0; step < steps; step++) {
        const [x, y] = context.shuffled(ids);
        const kind = Math.floor(context.random() * 4);
        network.healAll();
        if (kind === 0) {
          network.isolate(x);
          context.fault(`isolate ${x}`);
        } else if (kind === 1) {
          network.cutPairs([[x, y]]);
          context.fault(`cut ${x}↔${y}`);
        } else if (kind === 2) {
          network.cutOneWay(x, y);
          context.fault(`cut ${x}→${y}`);
        } else {
          context.fault('heal');
        }
        await sleep(300 + Math.floor(context.random() * 1_000));
      }
    },
  },
);
