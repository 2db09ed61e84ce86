// Differential acceptance tests: each scenario runs against Apache ZooKeeper 3.8 and against the coordinator,
// and the normalised transcripts must be equal (DIFF_TARGETS=zookeeper|coordinator runs one side only).
import { aclScenarios } from './scenarios/acl';
import { SUPER_DIGEST } from './scenarios/common';
import { createModeScenarios } from './scenarios/create-modes';
import { errorScenarios } from './scenarios/errors';
import { lifecycleScenarios } from './scenarios/lifecycle';
import { multiScenarios } from './scenarios/multi';
import { sessionScenarios } from './scenarios/sessions';
import { statScenarios } from './scenarios/stat-and-versions';
import { watchScenarios } from './scenarios/watches';
import { describeScenarios } from './support/scenario';

describeScenarios(
  'differential: ZooKeeper 3.8 vs the coordinator',
  {
    'create modes': createModeScenarios,
    'stat and versions': statScenarios,
    errors: errorScenarios,
    multi: multiScenarios,
    acl: aclScenarios,
    watches: watchScenarios,
    lifecycle: lifecycleScenarios,
    sessions: sessionScenarios,
  },
  { superDigest: SUPER_DIGEST },
);
