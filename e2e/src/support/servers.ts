// The two servers under test: Apache ZooKeeper 3.8 (Debian's package) and our coordinator, started the same
// way from the same typed config, each on a free loopback port with its data in a temp dir.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { waitUntilServing } from './four-letter';
import { freePort } from '@zk/sdk/testing';
import { startProcess, type ManagedProcess } from './processes';
import { makeTempDir } from './tmp';
import { writeZooCfg, type ServerConfig } from './zoo-cfg';

export type TargetName = 'zookeeper' | 'coordinator';
export const ALL_TARGETS: readonly TargetName[] = ['zookeeper', 'coordinator'];

export const REPO_ROOT = resolve(__dirname, '../../..');

const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
/** Gives ZooKeeper's slf4j a binding, so its log says why it failed; optional. */
const SLF4J_SIMPLE_JAR = '/usr/share/java/slf4j-simple.jar';
const JAVA = '/usr/bin/java';
const COORDINATOR_BIN = join(REPO_ROOT, 'bin/coordinator.js');
const COORDINATOR_MAIN = join(REPO_ROOT, 'dist/apps/coordinator/src/main.js');

/** DIFF_TARGETS=zookeeper (or coordinator) runs one side only; the default is both, compared. */
export function selectedTargets(): TargetName[] {
  const raw = process.env['DIFF_TARGETS'];
  if (raw === undefined || raw.trim() === '') return [...ALL_TARGETS];
  const names = raw.split(',').map((name) => name.trim()).filter((name) => name !== '');
  for (const name of names) {
    if (!ALL_TARGETS.includes(name as TargetName)) {
      throw new Error(`DIFF_TARGETS: unknown target "${name}" (expected ${ALL_TARGETS.join(', ')})`);
    }
  }
  return names as TargetName[];
}

export interface ServerOptions {
  tickTimeMs?: number;
  minSessionTimeoutMs?: number;
  maxSessionTimeoutMs?: number;
  superDigest?: string;
  juteMaxBufferBytes?: number;
  containerCheckIntervalMs?: number;
}

export interface RunningServer {
  readonly target: TargetName;
  readonly port: number;
  readonly connectString: string;
  readonly config: ServerConfig;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

function requireFile(path: string, hint: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${hint}`);
}

function zooKeeperCommand(config: ServerConfig, cfgPath: string): { command: string; args: string[] } {
  requireFile(JAVA, 'install a JRE (apt-get install default-jre-headless)');
  requireFile(ZOOKEEPER_JAR, 'install Apache ZooKeeper (apt-get install zookeeper zookeeper-bin)');
  const classPath = [ZOOKEEPER_JAR, ...(existsSync(SLF4J_SIMPLE_JAR) ? [SLF4J_SIMPLE_JAR] : [])].join(':');
  // What zkServer.sh would do, minus JMX and the Debian log4j setup: QuorumPeerMain with no server.N lines
  // runs standalone. Properties ZooKeeper reads only from the JVM (not zoo.cfg) go here.
  const jvmFlags = [
    '-Xms32m',
    '-Xmx192m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-Djava.net.preferIPv4Stack=true',
    '-Dzookeeper.extendedTypesEnabled=true',
    `-Dznode.container.checkIntervalMs=${config.containerCheckIntervalMs}`,
    '-Dzookeeper.4lw.commands.whitelist=*',
    '-Dzookeeper.admin.enableServer=false',
    '-Dorg.slf4j.simpleLogger.defaultLogLevel=info',
    '-Dorg.slf4j.simpleLogger.showDateTime=true',
  ];
  if (config.superDigest !== undefined) {
    jvmFlags.push(`-Dzookeeper.DigestAuthenticationProvider.superDigest=${config.superDigest}`);
  }
  if (config.juteMaxBufferBytes !== undefined) jvmFlags.push(`-Djute.maxbuffer=${config.juteMaxBufferBytes}`);
  return {
    command: JAVA,
    args: [...jvmFlags, '-cp', classPath, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', cfgPath],
  };
}

function coordinatorCommand(cfgPath: string): { command: string; args: string[] } {
  requireFile(COORDINATOR_BIN, 'the coordinator has no bin/coordinator.js yet');
  requireFile(COORDINATOR_MAIN, 'build the coordinator first: npm run build');
  return { command: process.execPath, args: [COORDINATOR_BIN, cfgPath] };
}

/** Starts one server and waits (bounded) until it answers ruok with imok. */
export async function startServer(target: TargetName, options: ServerOptions = {}): Promise<RunningServer> {
  const temp = makeTempDir(target);
  const dataDir = join(temp.path, 'data');
  mkdirSync(dataDir);
  const config: ServerConfig = {
    clientPort: await freePort(),
    dataDir,
    tickTimeMs: options.tickTimeMs ?? 250,
    minSessionTimeoutMs: options.minSessionTimeoutMs,
    maxSessionTimeoutMs: options.maxSessionTimeoutMs ?? 30_000,
    superDigest: options.superDigest,
    juteMaxBufferBytes: options.juteMaxBufferBytes,
    containerCheckIntervalMs: options.containerCheckIntervalMs ?? 500,
  };
  const cfgPath = writeZooCfg(temp.path, config);
  const { command, args } = target === 'zookeeper' ? zooKeeperCommand(config, cfgPath) : coordinatorCommand(cfgPath);
  const managed = startProcess({
    name: `${target}@${config.clientPort}`,
    command,
    args,
    cwd: target === 'coordinator' ? REPO_ROOT : temp.path,
    logPath: join(temp.path, `${target}.log`),
  });
  const stop = async (): Promise<void> => {
    await managed.stop();
    temp.remove();
  };
  try {
    await waitUntilServing(config.clientPort, { timeoutMs: 30_000, deathOf: () => managed.deathOf() });
  } catch (error) {
    const tail = managed.logTail();
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${target} did not start: ${reason}\n--- log tail ---\n${tail}`);
  }
  return {
    target,
    port: config.clientPort,
    connectString: `127.0.0.1:${config.clientPort}`,
    config,
    process: managed,
    stop,
  };
}
