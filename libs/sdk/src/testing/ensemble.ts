// Our coordinator as a real ensemble for tests: one zoo.cfg (server.1..N lines) and dataDir/myid per member in
// a temp dir, all on free loopback ports; members can be stopped, killed (SIGKILL) and started again.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from './ports';
import { isroOf, modeOf, waitUntilListening } from './probes';
import { startProcess, type ServerProcess } from './processes';
import { REPO_ROOT } from './paths';
import type { ServerOptions, TestMember, TestServer } from './servers';
import { zooCfg } from './zoo-cfg';

const COORDINATOR_BIN = join(REPO_ROOT, 'bin/coordinator.js');
const COORDINATOR_MAIN = join(REPO_ROOT, 'dist/apps/coordinator/src/main.js');
const START_TIMEOUT_MS = 45_000;

class Member implements TestMember {
  private process: ServerProcess | undefined;
  private running = false;

  constructor(
    readonly id: number,
    readonly port: number,
    readonly adminPort: number | undefined,
    private readonly cfgPath: string,
    private readonly logPath: string,
  ) {}

  get connectString(): string {
    return `127.0.0.1:${this.port}`;
  }
  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) throw new Error(`member ${this.id} is already running`);
    this.process = startProcess({ name: `coordinator-${this.id}@${this.port}`, command: process.execPath, args: [COORDINATOR_BIN, this.cfgPath], cwd: REPO_ROOT, logPath: this.logPath });
    this.running = true;
  }

  async stop(): Promise<void> {
    await this.process?.stop();
    this.running = false;
  }

  async kill(): Promise<void> {
    await this.process?.kill();
    this.running = false;
  }

  /** Why the process is gone although it should run, if it is. */
  deathOf(): string | undefined {
    return this.running ? this.process?.deathOf() : undefined;
  }

  mode(): Promise<string | undefined> {
    return this.running ? modeOf(this.port) : Promise.resolve(undefined);
  }

  isro(): Promise<string | undefined> {
    return this.running ? isroOf(this.port) : Promise.resolve(undefined);
  }

  logTail(lines = 30): string {
    return this.process?.logTail(lines) ?? '';
  }
}

/** Starts `options.members` (default 3) coordinator processes and waits until one leads and all serve. */
export async function startCoordinatorEnsemble(options: ServerOptions): Promise<TestServer> {
  if (!existsSync(COORDINATOR_MAIN)) throw new Error(`${COORDINATOR_MAIN} is missing: run npm run build first`);
  const size = options.members ?? 3;
  if (!Number.isInteger(size) || size < 1) throw new Error(`members must be a positive whole number, got ${size}`);
  const portsPerMember = options.admin === true ? 4 : 3;
  const ports = await freePorts(size * portsPerMember);
  const layouts = Array.from({ length: size }, (_, i) => ({
    id: i + 1,
    clientPort: ports[i * portsPerMember],
    quorumPort: ports[i * portsPerMember + 1],
    electionPort: ports[i * portsPerMember + 2],
    adminPort: options.admin === true ? ports[i * portsPerMember + 3] : undefined,
  }));
  const dir = mkdtempSync(join(tmpdir(), 'zk-sdk-coordinator-'));
  const members = layouts.map((layout) => {
    const folder = join(dir, `member-${layout.id}`);
    const dataDir = join(folder, 'data');
    mkdirSync(dataDir, { recursive: true });
    if (size > 1) writeFileSync(join(dataDir, 'myid'), `${layout.id}\n`);
    const cfgPath = join(folder, 'zoo.cfg');
    writeFileSync(cfgPath, zooCfg(options, { clientPort: layout.clientPort, dataDir, adminPort: layout.adminPort }, size > 1 ? layouts : []));
    return new Member(layout.id, layout.clientPort, layout.adminPort, cfgPath, join(folder, 'server.log'));
  });
  const stop = async (): Promise<void> => {
    await Promise.all(members.map((member) => member.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  const waitForLeader = async (timeoutMs = START_TIMEOUT_MS): Promise<TestMember> => {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    for (;;) {
      const running = members.filter((member) => member.isRunning);
      const dead = running.find((member) => member.deathOf() !== undefined);
      if (dead !== undefined) throw new Error(`member ${dead.id} died: ${dead.deathOf() ?? ''}`);
      const modes = await Promise.all(running.map((member) => member.mode()));
      const isros = await Promise.all(running.map((member) => member.isro()));
      last = running.map((member, i) => `${member.id}=${modes[i] ?? '?'}/${isros[i] ?? '?'}`).join(' ');
      const leaders = running.filter((_, i) => modes[i] === (size > 1 ? 'leader' : 'standalone'));
      if (leaders.length === 1 && isros.every((answer) => answer === 'rw')) return leaders[0];
      if (Date.now() >= deadline) throw new Error(`no leader with every running member serving after ${timeoutMs} ms (modes/isro: ${last})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  try {
    for (const member of members) member.start();
    await waitForLeader();
    for (const member of members) if (member.adminPort !== undefined) await waitUntilListening(member.adminPort, START_TIMEOUT_MS, () => member.deathOf());
  } catch (error) {
    const tails = members.map((member) => `--- member ${member.id} ---\n${member.logTail()}`).join('\n');
    await stop();
    throw new Error(`coordinator ensemble did not start: ${(error as Error).message}\n${tails}`);
  }
  const first = members[0];
  return {
    target: 'coordinator',
    port: first.port,
    connectString: members.map((member) => member.connectString).join(','),
    adminPort: first.adminPort,
    webSocketUrl: first.adminPort === undefined ? undefined : `ws://127.0.0.1:${first.adminPort}/zk`,
    members,
    waitForLeader,
    logTail: (lines) => first.logTail(lines),
    stop,
  };
}
