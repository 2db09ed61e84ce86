// The two targets SDK tests run against: our coordinator as a 3-member ensemble (node bin/coordinator.js, after
// npm run build; see ensemble.ts) and Apache ZooKeeper 3.8 standalone (Debian's jar), on free loopback ports
// with their data in a temp dir.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCoordinatorEnsemble } from './ensemble';
import { freePorts } from './ports';
import { isroOf, modeOf, waitUntilServing } from './probes';
import { startProcess, type ServerProcess } from './processes';
import { zooCfg } from './zoo-cfg';

export { fourLetterWord } from './probes';

export type TargetName = 'coordinator' | 'zookeeper';
export const ALL_TARGETS: readonly TargetName[] = ['coordinator', 'zookeeper'];

const JAVA = '/usr/bin/java';
const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
const SLF4J_SIMPLE_JAR = '/usr/share/java/slf4j-simple.jar';

/** SDK_TARGETS=coordinator (or zookeeper) runs one side only; the default is both. */
export function selectedTargets(): TargetName[] {
  const raw = process.env['SDK_TARGETS'];
  if (raw === undefined || raw.trim() === '') return [...ALL_TARGETS];
  const names = raw.split(',').map((name) => name.trim());
  for (const name of names) if (!ALL_TARGETS.includes(name as TargetName)) throw new Error(`SDK_TARGETS: unknown target ${name}`);
  return names as TargetName[];
}

export interface ServerOptions {
  tickTimeMs?: number;
  maxSessionTimeoutMs?: number;
  /** DigestAuthenticationProvider.superDigest: `user:base64(sha1(user:password))`. */
  superDigest?: string;
  /** Coordinator only: also serve the admin HTTP port (and its WebSocket gateway at /zk) on a free loopback port, on every member. */
  admin?: boolean;
  /** Coordinator only: members in the ensemble (default 3; 1 runs it standalone). */
  members?: number;
  /** Coordinator ensembles only: readonlymode.enabled=true (a member without a quorum serves reads). */
  readOnlyMode?: boolean;
}

/** One server process of a target: an ensemble member, or the standalone server itself. */
export interface TestMember {
  /** myid (1 for a standalone server). */
  readonly id: number;
  readonly port: number;
  /** "127.0.0.1:port". */
  readonly connectString: string;
  /** With `admin`: this member's admin HTTP port. */
  readonly adminPort?: number;
  /** False after stop() or kill() until start(). */
  readonly isRunning: boolean;
  /** Starts the process again after stop() or kill() (same config and data); does not wait for it to serve. */
  start(): void;
  /** SIGTERM, SIGKILL after a grace period; resolves once it is gone. */
  stop(): Promise<void>;
  /** SIGKILL to its process group (a crash); resolves once it is gone. */
  kill(): Promise<void>;
  /** srvr's Mode (leader, follower, standalone, looking…), or undefined if it does not answer. */
  mode(): Promise<string | undefined>;
  /** isro's answer: "rw", "ro", "null", or undefined if it does not answer. */
  isro(): Promise<string | undefined>;
  logTail(lines?: number): string;
}

export interface TestServer {
  readonly target: TargetName;
  /** The first member's client port (for proxies and four-letter words). */
  readonly port: number;
  /** Every member's "127.0.0.1:port", comma-separated. */
  readonly connectString: string;
  /** With `admin`: the first member's admin HTTP port and its gateway's URL, ws://127.0.0.1:adminPort/zk. */
  readonly adminPort?: number;
  readonly webSocketUrl?: string;
  /** The ensemble's members (one for a standalone server). */
  readonly members: readonly TestMember[];
  /** Waits (bounded) until one running member leads (or the standalone server serves) and every running member serves. */
  waitForLeader(timeoutMs?: number): Promise<TestMember>;
  /** The first member's last log lines. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

function zookeeperCommand(cfgPath: string, options: ServerOptions): { command: string; args: string[] } {
  if (!existsSync(JAVA) || !existsSync(ZOOKEEPER_JAR)) throw new Error('Apache ZooKeeper is not installed (java and /usr/share/java/zookeeper.jar)');
  const classPath = [ZOOKEEPER_JAR, ...(existsSync(SLF4J_SIMPLE_JAR) ? [SLF4J_SIMPLE_JAR] : [])].join(':');
  // Properties ZooKeeper reads only from the JVM, not from zoo.cfg.
  const flags = [
    '-Xms32m',
    '-Xmx192m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-Djava.net.preferIPv4Stack=true',
    '-Dzookeeper.extendedTypesEnabled=true',
    '-Dzookeeper.4lw.commands.whitelist=*',
    '-Dzookeeper.admin.enableServer=false',
  ];
  if (options.superDigest !== undefined) flags.push(`-Dzookeeper.DigestAuthenticationProvider.superDigest=${options.superDigest}`);
  return { command: JAVA, args: [...flags, '-cp', classPath, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', cfgPath] };
}

/** Starts the target (coordinator: a 3-member ensemble by default) and waits (bounded) until it serves requests. */
export async function startServer(target: TargetName, options: ServerOptions = {}): Promise<TestServer> {
  if (target === 'coordinator') return startCoordinatorEnsemble(options);
  if (options.admin === true || options.members !== undefined || options.readOnlyMode !== undefined) {
    throw new Error(`${target}: the admin, members and readOnlyMode options are the coordinator's`);
  }
  const dir = mkdtempSync(join(tmpdir(), `zk-sdk-${target}-`));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const [port] = await freePorts(1);
  const cfgPath = join(dir, 'zoo.cfg');
  writeFileSync(cfgPath, zooCfg(options, { clientPort: port, dataDir }));
  const spec = zookeeperCommand(cfgPath, options);
  const logPath = join(dir, 'server.log');
  let server: ServerProcess | undefined;
  const launch = (): void => {
    server = startProcess({ name: `${target}@${port}`, command: spec.command, args: spec.args, cwd: dir, logPath });
  };
  launch();
  const current = (): ServerProcess => server as ServerProcess;
  let running = true;
  const member: TestMember = {
    id: 1,
    port,
    connectString: `127.0.0.1:${port}`,
    get isRunning() {
      return running;
    },
    start() {
      if (running) throw new Error(`${target}@${port} is already running`);
      launch();
      running = true;
    },
    async stop() {
      await current().stop();
      running = false;
    },
    async kill() {
      await current().kill();
      running = false;
    },
    mode: () => modeOf(port),
    isro: () => isroOf(port),
    logTail: (lines) => current().logTail(lines),
  };
  const stop = async (): Promise<void> => {
    await current().stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(port, 30_000, () => current().deathOf());
  } catch (error) {
    const tail = current().logTail();
    await stop();
    throw new Error(`${target} did not start: ${(error as Error).message}\n--- log tail ---\n${tail}`);
  }
  return {
    target,
    port,
    connectString: member.connectString,
    members: [member],
    async waitForLeader(timeoutMs = 30_000) {
      await waitUntilServing(port, timeoutMs, () => current().deathOf());
      return member;
    },
    logTail: (lines) => current().logTail(lines),
    stop,
  };
}
