// A real ensemble of coordinator processes on loopback: one zoo.cfg and myid per member in a temp dir, peer
// traffic optionally through a FaultNetwork, and handles to stop, kill, pause and restart each member.
// stopAll() always leaves no process behind; use-ensemble.ts wires it into vitest's hooks.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { FaultNetwork } from './fault-network';
import type { CutMode } from './fault-proxy';
import { fourLetterWord } from './four-letter';
import { startProcess, type ManagedProcess } from './processes';
import { REPO_ROOT } from './servers';
import { makeTempDir, type TempDir } from './tmp';
import { pollUntil, sleep, TimeoutError } from './wait';

/** Where bin/ and dist/ are: the repo, or a copy of a build (E2E_COORDINATOR_ROOT) that other builds cannot change mid-run. */
const COORDINATOR_ROOT = process.env['E2E_COORDINATOR_ROOT'] ?? REPO_ROOT;
const COORDINATOR_BIN = join(COORDINATOR_ROOT, 'bin/coordinator.js');
const COORDINATOR_MAIN = join(COORDINATOR_ROOT, 'dist/apps/coordinator/src/main.js');

export interface EnsembleOptions {
  participants: number;
  observers?: number;
  /** Peer traffic through a FaultNetwork (one proxy per ordered pair and channel). */
  withProxies?: boolean;
  /** How the network's cuts behave; see CutMode. */
  cutMode?: CutMode;
  tickTimeMs?: number;
  initLimit?: number;
  syncLimit?: number;
  snapCount?: number;
  /** Appended to every member's zoo.cfg as is (key=value lines). */
  extraCfg?: string;
  /** LOG_LEVEL of the members; 'debug' traces every ZAB output. Default: this process's LOG_LEVEL, else info. */
  logLevel?: string;
  /** Temp dir prefix. */
  name?: string;
  /** Extra environment for one member's process, over the common one (e.g. libfaketime for a skewed clock). */
  memberEnv?: (id: number) => NodeJS.ProcessEnv | undefined;
}

export type MemberType = 'participant' | 'observer';
export type MemberState = 'stopped' | 'running' | 'paused';

export interface EnsembleMember {
  readonly id: number;
  readonly type: MemberType;
  readonly clientPort: number;
  /** 127.0.0.1:clientPort */
  readonly connectString: string;
  readonly cfgPath: string;
  readonly logPath: string;
  /** What the harness last did to it; a process that died on its own is still 'running' here (see deathOf). */
  readonly state: MemberState;
  /** Why its process is gone, if it died (crash or kill), else undefined. */
  deathOf(): string | undefined;
  /** Starts the process (its log is appended to); does not wait for it to serve. */
  start(): void;
  /** SIGTERM (SIGCONT first if paused), SIGKILL after a grace period; resolves once it is gone. */
  stop(): Promise<void>;
  /** SIGKILL to the process group; resolves once it is gone. */
  kill(): Promise<void>;
  /** SIGSTOP to the process group: it stops answering anything, its sockets stay open. */
  pause(): void;
  /** SIGCONT to the process group. */
  resume(): void;
  restart(): Promise<void>;
  /** The srvr 'Mode:' value (leader, follower, observer, looking…), or undefined if it does not answer. */
  mode(): Promise<string | undefined>;
  /** The srvr 'Zxid:' value, or undefined if it does not answer. */
  zxid(): Promise<bigint | undefined>;
  /** Whether it serves clients (isro answers rw; ro or null: not), or undefined if it does not answer. */
  serving(): Promise<boolean | undefined>;
  logTail(lines?: number): string;
}

export interface RealEnsemble {
  readonly members: readonly EnsembleMember[];
  /** Present when started withProxies. */
  readonly network: FaultNetwork | undefined;
  readonly tempDir: string;
  member(id: number): EnsembleMember;
  /** Comma-separated client addresses of `ids` (default: every member). */
  connectString(ids?: readonly number[]): string;
  /**
   * Waits for one leader among `among` (default: every member the harness has running) that is not in
   * `except`, with every other participant listed saying follower and every observer listed saying observer,
   * and all of them serving (a follower still syncing says follower in srvr but refuses sessions).
   */
  waitForLeader(options?: { among?: readonly number[]; except?: number | readonly number[]; timeoutMs?: number }): Promise<EnsembleMember>;
  /** Every member's mode, e.g. "1=leader 2=follower 3=(no answer)". */
  modes(): Promise<string>;
  /** Members' states, the network's faults and history, and each member's log tail: for failure messages. */
  report(logLines?: number): string;
  /** Stops every member (paused ones too), closes the network, removes the temp dir; never throws. */
  stopAll(): Promise<void>;
}

class Member implements EnsembleMember {
  private process: ManagedProcess | undefined;
  private stateValue: MemberState = 'stopped';
  private starts = 0;

  constructor(
    readonly id: number,
    readonly type: MemberType,
    readonly clientPort: number,
    readonly cfgPath: string,
    readonly logPath: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get connectString(): string {
    return `127.0.0.1:${this.clientPort}`;
  }

  get state(): MemberState {
    return this.stateValue;
  }

  deathOf(): string | undefined {
    return this.process?.deathOf();
  }

  start(): void {
    if (this.process && this.process.deathOf() === undefined) throw new Error(`member ${this.id} is already running`);
    this.starts += 1;
    appendFileSync(this.logPath, `---- harness: start #${this.starts} of member ${this.id} at ${new Date().toISOString()}\n`);
    this.process = startProcess({
      name: `coordinator-${this.id}`,
      command: process.execPath,
      args: [COORDINATOR_BIN, this.cfgPath],
      logPath: this.logPath,
      cwd: REPO_ROOT,
      env: this.env,
    });
    this.stateValue = 'running';
  }

  async stop(): Promise<void> {
    if (!this.process) return;
    if (this.stateValue === 'paused') this.signal('SIGCONT'); // a stopped process would not act on SIGTERM
    await this.process.stop();
    this.stateValue = 'stopped';
  }

  async kill(): Promise<void> {
    const managed = this.process;
    if (!managed) return;
    this.signal('SIGKILL');
    await pollUntil(async () => (managed.deathOf() !== undefined ? true : undefined), { timeoutMs: 5_000, intervalMs: 20, what: `member ${this.id} to die of SIGKILL` });
    this.stateValue = 'stopped';
  }

  pause(): void {
    this.requireRunning('pause');
    this.signal('SIGSTOP');
    this.stateValue = 'paused';
  }

  resume(): void {
    if (this.stateValue !== 'paused') throw new Error(`member ${this.id} is not paused`);
    this.signal('SIGCONT');
    this.stateValue = 'running';
  }

  async restart(): Promise<void> {
    await this.stop();
    this.start();
  }

  async mode(): Promise<string | undefined> {
    return /^Mode: (\w+)/m.exec(await this.srvr())?.[1];
  }

  async zxid(): Promise<bigint | undefined> {
    const hex = /^Zxid: (0x[0-9a-f]+)/im.exec(await this.srvr())?.[1];
    return hex === undefined ? undefined : BigInt(hex);
  }

  async serving(): Promise<boolean | undefined> {
    const answer = this.stateValue === 'running' ? await fourLetterWord(this.clientPort, 'isro', 1_000).catch(() => '') : '';
    return answer === 'rw' ? true : answer === 'ro' || answer === 'null' ? false : undefined;
  }

  logTail(lines = 30): string {
    if (!existsSync(this.logPath)) return '(no log)';
    return readFileSync(this.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }

  describeState(): string {
    const death = this.deathOf();
    if (this.stateValue !== 'stopped' && death !== undefined) return `died: ${death.split('\n')[0]}`;
    return this.stateValue;
  }

  private srvr(): Promise<string> {
    if (this.stateValue !== 'running') return Promise.resolve('');
    return fourLetterWord(this.clientPort, 'srvr', 1_000).catch(() => '');
  }

  private requireRunning(what: string): void {
    if (this.stateValue !== 'running' || this.deathOf() !== undefined) throw new Error(`cannot ${what} member ${this.id}: it is ${this.describeState()}`);
  }

  private signal(signal: NodeJS.Signals): void {
    if (!this.process || this.process.deathOf() !== undefined) return;
    try {
      process.kill(-this.process.pid, signal);
    } catch {
      // The group is already gone.
    }
  }
}

/** Reserves `count` distinct free loopback ports by holding them all open at once, then releases them. */
async function reservePorts(count: number): Promise<{ ports: number[]; release: () => Promise<void> }> {
  const servers: Server[] = [];
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    servers.push(server);
    ports.push((server.address() as { port: number }).port);
  }
  const release = async (): Promise<void> => {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  };
  return { ports, release };
}

interface Layout {
  id: number;
  type: MemberType;
  clientPort: number;
  quorumPort: number;
  electionPort: number;
}

function zooCfg(options: EnsembleOptions, me: Layout, dataDir: string, everyone: readonly Layout[], network: FaultNetwork | undefined): string {
  const lines = [
    `tickTime=${options.tickTimeMs ?? 200}`,
    `initLimit=${options.initLimit ?? 10}`,
    `syncLimit=${options.syncLimit ?? 5}`,
    `dataDir=${dataDir}`,
    `clientPort=${me.clientPort}`,
    'clientPortAddress=127.0.0.1',
    'admin.enableServer=false',
    '4lw.commands.whitelist=*',
  ];
  if (options.snapCount !== undefined) lines.push(`snapCount=${options.snapCount}`);
  for (const other of everyone) {
    // A member listens on its own ports and reaches every other one through the proxy for that directed link.
    const quorumPort = other.id === me.id || !network ? other.quorumPort : network.portFor(me.id, other.id, 'quorum');
    const electionPort = other.id === me.id || !network ? other.electionPort : network.portFor(me.id, other.id, 'election');
    lines.push(`server.${other.id}=127.0.0.1:${quorumPort}:${electionPort}${other.type === 'observer' ? ':observer' : ''}`);
  }
  if (options.extraCfg) lines.push(options.extraCfg.trim());
  return `${lines.join('\n')}\n`;
}

/** Writes every member's config and starts every member; does not wait for a leader (see waitForLeader). */
export async function startEnsemble(options: EnsembleOptions): Promise<RealEnsemble> {
  if (!existsSync(COORDINATOR_MAIN)) throw new Error(`${COORDINATOR_MAIN} is missing: build the coordinator first (npm run build)`);
  const observerCount = options.observers ?? 0;
  if (!Number.isInteger(options.participants) || options.participants < 1) throw new Error(`participants must be a positive whole number, got ${options.participants}`);
  const total = options.participants + observerCount;
  const tmp = makeTempDir(options.name ?? 'ensemble');
  let network: FaultNetwork | undefined;
  try {
    // Members' ports stay reserved while the proxies take theirs, so no proxy can land on a member's port.
    const reserved = await reservePorts(total * 3);
    const layouts: Layout[] = Array.from({ length: total }, (_, index) => ({
      id: index + 1,
      type: index < options.participants ? 'participant' : 'observer',
      clientPort: reserved.ports[index * 3],
      quorumPort: reserved.ports[index * 3 + 1],
      electionPort: reserved.ports[index * 3 + 2],
    }));
    try {
      if (options.withProxies) {
        network = await FaultNetwork.start(
          // Both peer ports carry ZAB traffic: election messages go over the election port, the rest over the quorum port.
          layouts.map((l) => ({ id: l.id, ports: { quorum: l.quorumPort, election: l.electionPort } })),
          { cutMode: options.cutMode },
        );
      }
    } finally {
      await reserved.release();
    }
    const env = { ...process.env, LOG_LEVEL: options.logLevel ?? process.env['LOG_LEVEL'] ?? 'info' };
    const members = layouts.map((layout) => {
      const folder = join(tmp.path, `member-${layout.id}`);
      const dataDir = join(folder, 'data');
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(join(dataDir, 'myid'), `${layout.id}\n`);
      const cfgPath = join(folder, 'zoo.cfg');
      writeFileSync(cfgPath, zooCfg(options, layout, dataDir, layouts, network));
      return new Member(layout.id, layout.type, layout.clientPort, cfgPath, join(folder, 'coordinator.log'), { ...env, ...options.memberEnv?.(layout.id) });
    });
    const ensemble = new Ensemble(members, network, tmp);
    members.forEach((member) => member.start());
    return ensemble;
  } catch (error) {
    await network?.close();
    tmp.remove();
    throw error;
  }
}

class Ensemble implements RealEnsemble {
  constructor(
    readonly members: readonly Member[],
    readonly network: FaultNetwork | undefined,
    private readonly tmp: TempDir,
  ) {}

  get tempDir(): string {
    return this.tmp.path;
  }

  member(id: number): Member {
    const found = this.members.find((m) => m.id === id);
    if (!found) throw new Error(`no member ${id} (members: ${this.members.map((m) => m.id).join(', ')})`);
    return found;
  }

  connectString(ids?: readonly number[]): string {
    return (ids ?? this.members.map((m) => m.id)).map((id) => this.member(id).connectString).join(',');
  }

  async waitForLeader(options: { among?: readonly number[]; except?: number | readonly number[]; timeoutMs?: number } = {}): Promise<EnsembleMember> {
    const among = (options.among ?? this.members.filter((m) => m.state === 'running').map((m) => m.id)).map((id) => this.member(id));
    const except = new Set(typeof options.except === 'number' ? [options.except] : (options.except ?? []));
    const timeoutMs = options.timeoutMs ?? 20_000;
    let lastModes = 'none yet';
    const what = `a leader among [${among.map((m) => m.id).join(',')}]${except.size > 0 ? ` other than ${[...except].join(',')}` : ''} with the other participants following and observers observing`;
    try {
      return await pollUntil(
        async () => {
          const dead = among.find((m) => m.deathOf() !== undefined);
          if (dead) throw new Error(`member ${dead.id} died while waiting for ${what}: ${dead.deathOf() ?? ''}`);
          const modes = await Promise.all(among.map((m) => m.mode()));
          lastModes = among.map((m, i) => `${m.id}=${modes[i] ?? '(no answer)'}`).join(' ');
          const leaders = among.filter((_, i) => modes[i] === 'leader');
          if (leaders.length !== 1 || except.has(leaders[0].id) || leaders[0].type !== 'participant') return undefined;
          const settled = among.every((m, i) => m === leaders[0] || modes[i] === (m.type === 'observer' ? 'observer' : 'follower'));
          if (!settled) return undefined;
          const serving = await Promise.all(among.map((m) => m.serving()));
          lastModes += ` (serving: ${among.map((m, i) => `${m.id}=${serving[i] ?? '?'}`).join(' ')})`;
          return serving.every((s) => s === true) ? leaders[0] : undefined;
        },
        { timeoutMs, intervalMs: 100, what },
      );
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      throw new Error(`${error.message}\nlast modes: ${lastModes}\n${this.report()}`);
    }
  }

  async modes(): Promise<string> {
    const modes = await Promise.all(this.members.map((m) => m.mode()));
    return this.members.map((m, i) => `${m.id}=${modes[i] ?? '(no answer)'}`).join(' ');
  }

  report(logLines = 25): string {
    const parts = [`ensemble in ${this.tmp.path}`];
    if (this.network) parts.push(this.network.describe());
    for (const m of this.members) parts.push(`--- member ${m.id} (${m.type}, client port ${m.clientPort}): ${m.describeState()}\n${m.logTail(logLines)}`);
    return parts.join('\n');
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      this.members.map((m) =>
        m.stop().catch(async (error: unknown) => {
          process.stderr.write(`stopping member ${m.id} failed (${String(error)}); killing it\n`);
          await m.kill().catch(() => undefined);
        }),
      ),
    );
    await this.network?.close().catch(() => undefined);
    this.tmp.remove();
  }
}

/** Waits up to `timeoutMs` for `member`'s srvr mode to satisfy `accept`; returns the mode seen. */
export async function waitForMode(member: EnsembleMember, accept: (mode: string | undefined) => boolean, options: { timeoutMs: number; what: string }): Promise<string | undefined> {
  let last: string | undefined;
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    last = await member.mode();
    if (accept(last)) return last;
    if (Date.now() >= deadline) throw new Error(`timed out after ${options.timeoutMs} ms: ${options.what} (member ${member.id} last said ${last ?? 'nothing'})\n${member.logTail()}`);
    await sleep(100);
  }
}
