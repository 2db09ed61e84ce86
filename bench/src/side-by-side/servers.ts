// The two systems under test, started the same way from one typed configuration: the same zoo.cfg values
// (tickTime, limits, forceSync) on free loopback ports, data in a temp dir on a real disk; one server or an
// ensemble of several (server.N lines, myid), ours or Apache ZooKeeper's.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { rssBytes, startServerProcess, type ServerProcess } from './processes';

export type SystemName = 'coordinator' | 'zookeeper';

export const REPO_ROOT = resolve(__dirname, '../../..');
const COORDINATOR_BIN = join(REPO_ROOT, 'bin/coordinator.js');
const COORDINATOR_MAIN = join(REPO_ROOT, 'dist/apps/coordinator/src/main.js');
const JAVA = '/usr/bin/java';
const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
const SLF4J_SIMPLE_JAR = '/usr/share/java/slf4j-simple.jar';
export const ZOOKEEPER_HEAP = process.env['BENCH_ZOOKEEPER_HEAP'] ?? '2g';

/** The zoo.cfg values both systems get. */
export interface SharedConfig {
  tickTimeMs: number;
  initLimitTicks: number;
  syncLimitTicks: number;
  /** 0 = no limit: the fan-out row alone opens 100 sessions from 127.0.0.1. */
  maxClientCnxns: number;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  snapCount: number;
  juteMaxBufferBytes: number;
  /** ZooKeeper's default; ours is always synchronous (group commit, fsync before the reply). */
  forceSync: true;
}

export const SHARED_CONFIG: SharedConfig = {
  tickTimeMs: 2_000,
  initLimitTicks: 10,
  syncLimitTicks: 5,
  maxClientCnxns: 0,
  minSessionTimeoutMs: 4_000,
  maxSessionTimeoutMs: 40_000,
  snapCount: 100_000,
  juteMaxBufferBytes: 0xfffff,
  forceSync: true,
};

/** Where data dirs go: BENCH_DIR, else the OS temp dir. Must be a real disk (fsync), not tmpfs. */
export const BENCH_ROOT = process.env['BENCH_DIR'] ?? tmpdir();

/**
 * Ports the servers listen on come from below the kernel's ephemeral range (32768–60999 on Linux): a port the
 * kernel handed out and took back can meanwhile become the local end of some client's outgoing connection
 * (the bench makes thousands), and the server then fails with EADDRINUSE. Each candidate is tried by binding it.
 */
const LISTEN_PORT_MIN = 20_000;
const LISTEN_PORT_SPAN = 12_000;
let nextListenPort = LISTEN_PORT_MIN + Math.floor(Math.random() * LISTEN_PORT_SPAN);

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = nextListenPort;
    nextListenPort = LISTEN_PORT_MIN + ((nextListenPort - LISTEN_PORT_MIN + 1) % LISTEN_PORT_SPAN);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port in ${LISTEN_PORT_MIN}–${LISTEN_PORT_MIN + LISTEN_PORT_SPAN - 1}`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const server = createServer();
    server.once('error', () => ok(false));
    server.listen(port, '127.0.0.1', () => server.close(() => ok(true)));
  });
}

export function fourLetterWord(port: number, word: string, timeoutMs = 1_000): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(word));
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`${word}: no answer within ${timeoutMs} ms`)));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', fail);
    socket.once('close', () => ok(Buffer.concat(chunks).toString('utf8')));
  });
}

interface MemberPorts {
  clientPort: number;
  quorumPort: number;
  electionPort: number;
}

export interface Member {
  readonly myid: number;
  readonly clientPort: number;
  readonly connectString: string;
  readonly dir: string;
  process(): ServerProcess;
  /** Starts the process; resolves with ms from spawn until `srvr` says it serves. */
  start(): Promise<number>;
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  rssBytes(): number;
}

export interface Cluster {
  readonly system: SystemName;
  readonly members: readonly Member[];
  /** Stops every member and removes the data. */
  destroy(): Promise<void>;
}

function zooCfgText(config: SharedConfig, dataDir: string, ports: MemberPorts, ensemble: readonly MemberPorts[]): string {
  const lines = [
    `tickTime=${config.tickTimeMs}`,
    `initLimit=${config.initLimitTicks}`,
    `syncLimit=${config.syncLimitTicks}`,
    `dataDir=${dataDir}`,
    `clientPort=${ports.clientPort}`,
    'clientPortAddress=127.0.0.1',
    `maxClientCnxns=${config.maxClientCnxns}`,
    `minSessionTimeout=${config.minSessionTimeoutMs}`,
    `maxSessionTimeout=${config.maxSessionTimeoutMs}`,
    `snapCount=${config.snapCount}`,
    `jute.maxbuffer=${config.juteMaxBufferBytes}`,
    `forceSync=${config.forceSync ? 'yes' : 'no'}`,
    '4lw.commands.whitelist=*',
    'admin.enableServer=false',
  ];
  if (ensemble.length > 1) {
    ensemble.forEach((peer, index) => lines.push(`server.${index + 1}=127.0.0.1:${peer.quorumPort}:${peer.electionPort}:participant`));
  }
  return `${lines.join('\n')}\n`;
}

function requireFile(path: string, hint: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${hint}`);
}

function command(system: SystemName, config: SharedConfig, cfgPath: string): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  if (system === 'coordinator') {
    requireFile(COORDINATOR_MAIN, 'build the coordinator first: npm run build');
    // The CPU profile flag is for profiling runs only (BENCH_COORDINATOR_NODE_FLAGS="--cpu-prof --cpu-prof-dir=…").
    const nodeFlags = (process.env['BENCH_COORDINATOR_NODE_FLAGS'] ?? '').split(' ').filter((flag) => flag !== '');
    return { command: process.execPath, args: [...nodeFlags, COORDINATOR_BIN, cfgPath], env: { ...process.env, LOG_LEVEL: process.env['BENCH_COORDINATOR_LOG_LEVEL'] ?? 'warn' } };
  }
  requireFile(JAVA, 'install a JRE (apt-get install default-jre-headless)');
  requireFile(ZOOKEEPER_JAR, 'install Apache ZooKeeper (apt-get install zookeeper)');
  const classPath = [ZOOKEEPER_JAR, ...(existsSync(SLF4J_SIMPLE_JAR) ? [SLF4J_SIMPLE_JAR] : [])].join(':');
  // zkServer.sh's defaults (the JVM's own GC and JIT, no JMX) except the heap: its 1000 MB ran out of memory
  // on the 512 KiB setData rows (ZooKeeper keeps the last 500 committed proposals in memory, and G1 gives each
  // 512 KiB array a whole region), so ZooKeeper gets ZOOKEEPER_HEAP (2g). Logging at warn like ours.
  // forceSync is also in zoo.cfg (ZooKeeper turns unknown keys into zookeeper.* properties); stated twice
  // so that no reading of the config can leave it off.
  const args = [
    `-Xmx${ZOOKEEPER_HEAP}`,
    '-Djava.net.preferIPv4Stack=true',
    `-Dzookeeper.forceSync=${config.forceSync ? 'yes' : 'no'}`,
    `-Djute.maxbuffer=${config.juteMaxBufferBytes}`,
    '-Dzookeeper.4lw.commands.whitelist=*',
    '-Dzookeeper.admin.enableServer=false',
    '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
    '-cp',
    classPath,
    'org.apache.zookeeper.server.quorum.QuorumPeerMain',
    cfgPath,
  ];
  return { command: JAVA, args, env: process.env };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls ruok/srvr every 10 ms until the server serves (ZooKeeper answers imok before it does). */
async function untilServing(port: number, proc: ServerProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    const death = proc.deathOf();
    if (death !== undefined) throw new Error(death);
    try {
      if ((await fourLetterWord(port, 'ruok')) === 'imok') {
        const status = await fourLetterWord(port, 'srvr');
        // A member between leaders answers srvr too (ours says "Mode: looking", and "follower" while it still
        // syncs): only these modes serve, and only once isro says rw (both systems answer it).
        if (/^Mode: (leader|follower|observer|standalone)$/m.test(status) && (await fourLetterWord(port, 'isro')) === 'rw') return;
        last = status.trim();
      }
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) throw new Error(`port ${port} not serving after ${timeoutMs} ms (${last})\n${proc.logTail()}`);
    await sleep(10);
  }
}

/** Starts `servers` members of `system` (1 = standalone) and waits until every one serves. */
export async function startCluster(system: SystemName, servers: number, config: SharedConfig = SHARED_CONFIG): Promise<Cluster> {
  const root = mkdtempSync(join(BENCH_ROOT, `zk-bench-${system}-`));
  const ports: MemberPorts[] = [];
  for (let i = 0; i < servers; i++) ports.push({ clientPort: await freePort(), quorumPort: await freePort(), electionPort: await freePort() });
  const members: Member[] = ports.map((own, index) => {
    const myid = index + 1;
    const dir = join(root, `server${myid}`);
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    if (servers > 1) writeFileSync(join(dataDir, 'myid'), `${myid}\n`);
    const cfgPath = join(dir, 'zoo.cfg');
    writeFileSync(cfgPath, zooCfgText(config, dataDir, own, ports));
    let current: ServerProcess | undefined;
    const member: Member = {
      myid,
      clientPort: own.clientPort,
      connectString: `127.0.0.1:${own.clientPort}`,
      dir,
      process() {
        if (current === undefined) throw new Error(`${system} server ${myid} was never started`);
        return current;
      },
      async start() {
        const { command: cmd, args, env } = command(system, config, cfgPath);
        const startedMs = performance.now();
        current = startServerProcess({ command: cmd, args, env, cwd: system === 'coordinator' ? REPO_ROOT : dir, logPath: join(dir, `${system}.log`) });
        await untilServing(own.clientPort, current, 120_000);
        return performance.now() - startedMs;
      },
      async stop(signal = 'SIGTERM') {
        await current?.stop(signal);
      },
      rssBytes() {
        return rssBytes(member.process().pid);
      },
    };
    return member;
  });
  const cluster: Cluster = {
    system,
    members,
    async destroy() {
      await Promise.all(members.map((member) => member.stop()));
      if (!process.env['BENCH_KEEP_DATA']) rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(members.map((member) => member.start()));
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return cluster;
}
