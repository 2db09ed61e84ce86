// Failover: on a running ensemble, SIGKILL the leader and time until a write through a survivor succeeds;
// then restart the old leader, wait until every member serves again, and repeat. One client (node-zookeeper-
// client, from this process) connected to the survivors retries a sequential create every few ms; the figure
// is from the kill to the first acknowledged create.
import * as zookeeper from 'node-zookeeper-client';
import { log } from './scenarios';
import { fourLetterWord, type Cluster, type Member } from './servers';
import { median, type Figure } from './stats';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How long one run may take before it counts as a failure of the system under test. */
const RUN_DEADLINE_MS = 60_000;
const RETRY_PAUSE_MS = 5;

async function modeOf(member: Member): Promise<string | undefined> {
  const text = await fourLetterWord(member.clientPort, 'srvr').catch(() => '');
  return /^Mode: (\S+)/m.exec(text)?.[1];
}

/** The leader, once every member serves (one leader, the rest following). */
async function settledLeader(cluster: Cluster, timeoutMs: number): Promise<Member> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const modes = await Promise.all(cluster.members.map(modeOf));
    const leaders = cluster.members.filter((_, index) => modes[index] === 'leader');
    if (leaders.length === 1 && modes.every((mode) => mode === 'leader' || mode === 'follower')) return leaders[0] as Member;
    if (Date.now() > deadline) throw new Error(`${cluster.system}: no settled leader within ${timeoutMs} ms (modes ${modes.join(', ')})`);
    await sleep(50);
  }
}

function connected(connectString: string): Promise<zookeeper.Client> {
  // spinDelay: the pause between reconnect attempts (default 1 s, which would dominate the figure).
  const client = zookeeper.createClient(connectString, { sessionTimeout: 20_000, spinDelay: 20, retries: 0 });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.close();
      reject(new Error(`no session with ${connectString}`));
    }, 20_000);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.connect();
  });
}

function createSequential(client: zookeeper.Client, path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    client.create(path, Buffer.alloc(100), zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT_SEQUENTIAL, (error) => {
      clearTimeout(timer);
      resolve(!error);
    });
  });
}

/** One kill: ms from SIGKILL of the leader to the first acknowledged write through a survivor. */
async function oneFailover(cluster: Cluster, run: number): Promise<number> {
  const leader = await settledLeader(cluster, RUN_DEADLINE_MS);
  const survivors = cluster.members.filter((member) => member !== leader);
  const client = await connected(survivors.map((member) => member.connectString).join(','));
  try {
    if (!(await createSequential(client, '/failover-', 5_000))) throw new Error('no write before the kill');
    const killedAt = performance.now();
    const killed = leader.stop('SIGKILL');
    for (;;) {
      if (await createSequential(client, '/failover-', 2_000)) break;
      if (performance.now() - killedAt > RUN_DEADLINE_MS) throw new Error(`${cluster.system}: no write within ${RUN_DEADLINE_MS} ms of the kill`);
      await sleep(RETRY_PAUSE_MS);
    }
    const elapsedMs = performance.now() - killedAt;
    await killed;
    log(`${cluster.system}: failover ${run}: ${elapsedMs.toFixed(0)} ms (killed server ${leader.myid})`);
    return elapsedMs;
  } finally {
    client.close();
    // The old leader comes back as a follower before the next run.
    await leader.start();
  }
}

export async function failover(cluster: Cluster, runs: number): Promise<Figure[]> {
  const times: number[] = [];
  for (let run = 1; run <= runs; run++) times.push(await oneFailover(cluster, run));
  const row = `failover: leader SIGKILL → first successful write through a survivor, ${runs} runs`;
  return [
    { row, metric: `time to first write, median of ${runs}`, unit: 'ms', better: 'lower', value: median(times) },
    { row, metric: `time to first write, worst of ${runs}`, unit: 'ms', better: 'lower', value: Math.max(...times) },
  ];
}
