// The differential runner: a scenario records what it observes; it runs once against ZooKeeper and once
// against the coordinator, each transcript is normalised, and the two must be equal line for line. ZooKeeper's
// transcript is also kept as a golden file (e2e/golden/), so the coordinator can be checked alone and the
// server author can read what ZooKeeper does.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fourLetterWord } from './four-letter';
import { normaliseTranscript, type Entry } from './normalise';
import { NzkClient } from './nzk';
import { RawClient, type RawConnectOptions } from './raw-client';
import { useServers, type ServersHandle } from './server-hooks';
import { REPO_ROOT, type RunningServer, type ServerOptions, type TargetName } from './servers';
import { sleep, withTimeout } from './wait';

export const GOLDEN_DIR = join(REPO_ROOT, 'e2e/golden');
/** Per target, for scenarios that do not wait for timers (TTL, containers, reconnects set their own). */
const DEFAULT_SCENARIO_TIMEOUT_MS = 15_000;

export interface ScenarioContext {
  /** This scenario's own subtree, e.g. /create-modes; it exists (persistent, open ACL) when `run` starts. */
  readonly root: string;
  /** `${root}${suffix}` */
  path(suffix: string): string;
  readonly port: number;
  readonly connectString: string;
  /** A node-zookeeper-client session; its id becomes the next S<n>. */
  client(options?: { sessionTimeoutMs?: number }): Promise<NzkClient>;
  /** A raw client on our wire codec; its id becomes the next S<n>. */
  raw(options?: RawConnectOptions): Promise<RawClient>;
  /** Records an observation; the label says what was done. */
  rec(label: string, value: unknown): void;
  sleep(ms: number): Promise<void>;
}

export interface Scenario {
  /** Also the root path and the golden file's name: lower-case words and dashes. */
  slug: string;
  /** The behaviour, as the test's name. */
  title: string;
  run(context: ScenarioContext): Promise<void>;
  /** Per-target bound; the default suits scenarios that do not wait for timers. */
  timeoutMs?: number;
}

interface RunResult {
  lines: string[];
  failure?: string;
}

async function runOnce(scenario: Scenario, server: RunningServer): Promise<RunResult> {
  const entries: Entry[] = [];
  const sessionIds: bigint[] = [];
  const closers: Array<() => Promise<void>> = [];
  const root = `/${scenario.slug}`;
  const startedAtMs = Date.now();

  try {
    const setup = await NzkClient.connect(server.connectString);
    try {
      const created = await setup.create(root);
      if ('error' in created) throw new Error(`could not create the scenario root ${root}: ${created.error}`);
    } finally {
      await setup.close();
    }
  } catch (error) {
    throw new Error(`${server.target}: scenario set-up failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  const context: ScenarioContext = {
    root,
    path: (suffix) => `${root}${suffix}`,
    port: server.port,
    connectString: server.connectString,
    async client(options) {
      const client = await NzkClient.connect(server.connectString, options);
      sessionIds.push(client.sessionId);
      closers.push(() => client.close());
      return client;
    },
    async raw(options) {
      const client = await RawClient.connect(server.port, options);
      sessionIds.push(client.sessionId);
      closers.push(() => client.close());
      return client;
    },
    rec(label, value) {
      entries.push({ label, value });
    },
    sleep,
  };

  let failure: string | undefined;
  try {
    await withTimeout(scenario.run(context), scenario.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS, `scenario ${scenario.slug} on ${server.target}`);
  } catch (error) {
    failure = error instanceof Error ? (error.stack ?? error.message) : String(error);
    entries.push({ label: '!! scenario stopped', value: error instanceof Error ? error.message : String(error) });
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
  const lines = normaliseTranscript(entries, { sessionIds, startedAtMs, endedAtMs: Date.now() });
  return { lines, failure };
}

function goldenPath(scenario: Scenario): string {
  return join(GOLDEN_DIR, `${scenario.slug}.txt`);
}

/**
 * Registers one vitest test per scenario, sharing one server per target for the whole describe block.
 * Targets come from DIFF_TARGETS (default: both, compared).
 */
export function describeScenarios(title: string, groups: Record<string, Scenario[]>, serverOptions: ServerOptions = {}): void {
  const slugs = new Set<string>();
  for (const scenario of Object.values(groups).flat()) {
    if (!/^[a-z0-9-]+$/.test(scenario.slug) || slugs.has(scenario.slug)) throw new Error(`bad or repeated slug ${scenario.slug}`);
    slugs.add(scenario.slug);
  }
  describe(title, () => {
    const servers = useServers(serverOptions);
    for (const [group, scenarios] of Object.entries(groups)) {
      describe(group, () => {
        for (const scenario of scenarios) registerScenario(scenario, servers);
      });
    }
  });
}

function registerScenario(scenario: Scenario, servers: ServersHandle): void {
  const perTargetMs = scenario.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS;
  const targets = servers.targets;
  it(
    scenario.title,
    async () => {
      const results = new Map<TargetName, RunResult>();
      for (const target of targets) {
        const server = servers.get(target);
        // A server that died earlier fails every later scenario at once, with its reason and log tail.
        const deathBefore = server.process.deathOf();
        if (deathBefore !== undefined) throw new Error(`${target} is not running: ${deathBefore}`);
        // …and one that stopped answering (a stalled event loop, a deadlock) fails at once too, with its log.
        const alive = await fourLetterWord(server.port, 'ruok', 2_000).catch((error: unknown) => String(error));
        if (alive !== 'imok') throw new Error(`${target} does not answer ruok (${alive})\n--- log tail ---\n${server.process.logTail()}`);
        const result = await runOnce(scenario, server);
        const deathDuring = server.process.deathOf();
        if (deathDuring !== undefined) result.failure = `${target} died during the scenario: ${deathDuring}\n${result.failure ?? ''}`;
        results.set(target, result);
      }
      const zookeeper = results.get('zookeeper');
      const coordinator = results.get('coordinator');
      if (zookeeper !== undefined) {
        // A scenario that cannot run on ZooKeeper is a broken scenario, whatever the coordinator does.
        if (zookeeper.failure !== undefined) {
          throw new Error(`scenario failed on ZooKeeper:\n${zookeeper.failure}\n\n${zookeeper.lines.join('\n')}`);
        }
        expect(zookeeper.lines.length, 'a scenario must observe something').toBeGreaterThan(0);
        await expect(`${zookeeper.lines.join('\n')}\n`).toMatchFileSnapshot(goldenPath(scenario));
      }
      if (coordinator !== undefined) {
        const expected = zookeeper !== undefined ? `${zookeeper.lines.join('\n')}\n` : readGolden(scenario);
        expect(`${coordinator.lines.join('\n')}\n`, 'coordinator transcript (received) vs ZooKeeper transcript (expected)').toBe(expected);
        if (coordinator.failure !== undefined) throw new Error(`scenario failed on the coordinator:\n${coordinator.failure}`);
      }
    },
    perTargetMs * targets.length + 10_000,
  );
}

function readGolden(scenario: Scenario): string {
  const path = goldenPath(scenario);
  if (!existsSync(path)) throw new Error(`no ZooKeeper transcript for ${scenario.slug}: run with ZooKeeper too, or add ${path}`);
  return readFileSync(path, 'utf8');
}
