// The two targets SDK tests run against: our coordinator (node bin/coordinator.js, after npm run build) and
// Apache ZooKeeper 3.8 (Debian's jar), each standalone on a free loopback port with its data in a temp dir.
import { connect } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './ports';
import { startProcess, type ServerProcess } from './processes';

export type TargetName = 'coordinator' | 'zookeeper';
export const ALL_TARGETS: readonly TargetName[] = ['coordinator', 'zookeeper'];

const REPO_ROOT = resolve(__dirname, '../../../..');
const COORDINATOR_BIN = join(REPO_ROOT, 'bin/coordinator.js');
const COORDINATOR_MAIN = join(REPO_ROOT, 'dist/apps/coordinator/src/main.js');
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
  /** Coordinator only: also serve the admin HTTP port (and its WebSocket gateway at /zk) on a free loopback port. */
  admin?: boolean;
}

export interface TestServer {
  readonly target: TargetName;
  readonly port: number;
  /** "127.0.0.1:port". */
  readonly connectString: string;
  /** With `admin`: the admin HTTP port and the gateway's URL, ws://127.0.0.1:adminPort/zk. */
  readonly adminPort?: number;
  readonly webSocketUrl?: string;
  /** The last lines of the server's log. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

function zooCfg(port: number, dataDir: string, options: ServerOptions, adminPort: number | undefined): string {
  const admin = adminPort === undefined ? ['admin.enableServer=false'] : ['admin.enableServer=true', `admin.serverPort=${adminPort}`, 'admin.serverAddress=127.0.0.1'];
  const lines = [
    `tickTime=${options.tickTimeMs ?? 200}`,
    `dataDir=${dataDir}`,
    `clientPort=${port}`,
    'clientPortAddress=127.0.0.1',
    'maxClientCnxns=0',
    ...admin,
    '4lw.commands.whitelist=*',
    'extendedTypesEnabled=true',
    `maxSessionTimeout=${options.maxSessionTimeoutMs ?? 30_000}`,
  ];
  if (options.superDigest !== undefined) lines.push(`DigestAuthenticationProvider.superDigest=${options.superDigest}`);
  return `${lines.join('\n')}\n`;
}

function command(target: TargetName, cfgPath: string, options: ServerOptions): { command: string; args: string[]; cwd?: string } {
  if (target === 'coordinator') {
    if (!existsSync(COORDINATOR_MAIN)) throw new Error(`${COORDINATOR_MAIN} is missing: run npm run build first`);
    return { command: process.execPath, args: [COORDINATOR_BIN, cfgPath], cwd: REPO_ROOT };
  }
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

/** Starts one standalone server and waits (bounded) until it serves requests. */
export async function startServer(target: TargetName, options: ServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), `zk-sdk-${target}-`));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  if (options.admin === true && target !== 'coordinator') throw new Error(`${target}: the admin option is the coordinator's`);
  const port = await freePort();
  const adminPort = options.admin === true ? await freePort() : undefined;
  const cfgPath = join(dir, 'zoo.cfg');
  writeFileSync(cfgPath, zooCfg(port, dataDir, options, adminPort));
  const spec = command(target, cfgPath, options);
  const server: ServerProcess = startProcess({ name: `${target}@${port}`, command: spec.command, args: spec.args, cwd: spec.cwd ?? dir, logPath: join(dir, 'server.log') });
  const stop = async (): Promise<void> => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(port, 30_000, () => server.deathOf());
    // The admin port opens after the client port (app.listen follows the client port's bootstrap).
    if (adminPort !== undefined) await waitUntilListening(adminPort, 30_000, () => server.deathOf());
  } catch (error) {
    const tail = server.logTail();
    await stop();
    throw new Error(`${target} did not start: ${(error as Error).message}\n--- log tail ---\n${tail}`);
  }
  const webSocketUrl = adminPort === undefined ? undefined : `ws://127.0.0.1:${adminPort}/zk`;
  return { target, port, connectString: `127.0.0.1:${port}`, adminPort, webSocketUrl, logTail: (lines) => server.logTail(lines), stop };
}

/** Sends a four-letter word and returns everything the server writes before closing. */
export function fourLetterWord(port: number, word: string, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`${word}: no answer within ${timeoutMs} ms`));
    });
    socket.once('connect', () => socket.write(word));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', reject);
    socket.once('close', () => resolvePromise(Buffer.concat(chunks).toString('utf8')));
  });
}

async function waitUntilListening(port: number, timeoutMs: number, deathOf: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const death = deathOf();
    if (death !== undefined) throw new Error(death);
    const open = await new Promise<boolean>((resolvePromise) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolvePromise(true);
      });
      socket.once('error', () => resolvePromise(false));
    });
    if (open) return;
    if (Date.now() >= deadline) throw new Error(`nothing listening on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitUntilServing(port: number, timeoutMs: number, deathOf: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    const death = deathOf();
    if (death !== undefined) throw new Error(death);
    try {
      if ((await fourLetterWord(port, 'ruok', 1_000)) === 'imok') {
        const status = await fourLetterWord(port, 'srvr', 1_000);
        if (!status.includes('not currently serving')) return;
        last = 'not currently serving';
      }
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() >= deadline) throw new Error(`not serving on 127.0.0.1:${port} after ${timeoutMs} ms (${last})`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
