// Debian's C client shell (cli_mt, zookeeper-bin) runs one scripted session against ZooKeeper and against the
// coordinator; the normalised outputs must be equal (and ZooKeeper's is kept as e2e/golden/cli-mt-session.txt).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseCliOutput, runCliMt } from './support/cli-mt';
import { GOLDEN_DIR } from './support/scenario';
import { useServers } from './support/server-hooks';
import type { TargetName } from './support/servers';

/** create's data is always "new" in cli_mt; `set` takes the data; flags: +e ephemeral, +s sequential, +c container, +t=ms TTL. */
const SESSION = [
  'create /cli',
  'create /cli/x',
  'ls /cli',
  'get /cli/x',
  'set /cli/x v2',
  'get /cli/x',
  'ls2 /cli',
  'create +e /cli/e',
  'get /cli/e',
  'create +s /cli/q-',
  'create +es /cli/eq-',
  'create +c /cli/box',
  'create +t=60000 /cli/ttl',
  'create /cli/x',
  'create /nope/child',
  'delete /cli/x',
  'get /cli/x',
  'exists /cli/x',
  'wexists /cli/w',
  'create /cli/w',
  'exists /cli/w',
  'create2 /cli/y',
  'ls /cli',
  'delete /cli',
  'delete /cli/e',
  'sync /cli',
  'myid',
];

describe('cli_mt: the same scripted session against ZooKeeper and the coordinator', () => {
  const servers = useServers();

  it('create, ls, get, set, delete, ephemeral and sequential nodes print the same output', async () => {
    const outputs = new Map<TargetName, string>();
    for (const target of servers.targets) {
      const server = servers.get(target);
      outputs.set(target, `${normaliseCliOutput(await runCliMt(server.port, SESSION), server.port)}\n`);
    }
    const golden = join(GOLDEN_DIR, 'cli-mt-session.txt');
    const zookeeper = outputs.get('zookeeper');
    if (zookeeper !== undefined) {
      expect(zookeeper, 'the session must reach the server').toContain('name = /cli/x');
      await expect(zookeeper).toMatchFileSnapshot(golden);
    }
    const coordinator = outputs.get('coordinator');
    if (coordinator !== undefined) {
      const expected = zookeeper ?? (existsSync(golden) ? readFileSync(golden, 'utf8') : undefined);
      if (expected === undefined) throw new Error(`no ZooKeeper output: run with ZooKeeper too, or add ${golden}`);
      expect(coordinator, 'cli_mt on the coordinator (received) vs on ZooKeeper (expected)').toBe(expected);
    }
  }, 90_000);
});
