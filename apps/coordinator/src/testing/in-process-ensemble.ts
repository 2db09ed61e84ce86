// An ensemble of coordinators in this process, each with its own client port and real TCP quorum and
// election ports on loopback, ZAB over in-memory durable storage that outlives a "crash" of its server.
import { ClientPortServer } from '../client/client-port-server';
import { parseZooConfig, type ServerConfig } from '../config/zoo-config';
import { InMemoryZabStorage } from './in-memory-zab-storage';
import { ZabReplication } from '../quorum/zab-replication';
import { ServerCore, systemClock } from '../server/server-core';
import { Logger } from '../util/logger';
import { freePorts } from './free-ports';

export interface EnsembleMember {
  id: number;
  config: ServerConfig;
  storage: InMemoryZabStorage;
  running?: { core: ServerCore; replication: ZabReplication; clientPort: ClientPortServer; port: number };
}

export class InProcessEnsemble {
  readonly logLines: string[] = [];
  private proposalsInFlightMax: number | undefined;

  private constructor(readonly members: EnsembleMember[]) {}

  /** `observers` members join after the voters, as server.N=...:observer lines; `extraCfg` lines go in every zoo.cfg. */
  static async create(size: number, tickTimeMs = 100, observers = 0, extraCfg = '', proposalsInFlightMax?: number): Promise<InProcessEnsemble> {
    const total = size + observers;
    const ports = await freePorts(total * 3);
    const serverLines = Array.from({ length: total }, (_, i) => `server.${i + 1}=127.0.0.1:${ports[i * 3]}:${ports[i * 3 + 1]}${i >= size ? ':observer' : ''}`).join('\n');
    const members = Array.from({ length: total }, (_, i) => {
      const text = `tickTime=${tickTimeMs}\ninitLimit=10\nsyncLimit=5\ndataDir=/nonexistent/${i + 1}\nclientPort=${ports[i * 3 + 2]}\nclientPortAddress=127.0.0.1\n4lw.commands.whitelist=*\n${extraCfg}\n${serverLines}\n`;
      const config = parseZooConfig(text, { readMyid: () => String(i + 1) });
      return { id: i + 1, config, storage: new InMemoryZabStorage(config.maxBufferBytes) };
    });
    const ensemble = new InProcessEnsemble(members);
    ensemble.proposalsInFlightMax = proposalsInFlightMax;
    return ensemble;
  }

  async startAll(): Promise<void> {
    await Promise.all(this.members.map((m) => this.start(m.id)));
  }

  async start(id: number): Promise<void> {
    const member = this.member(id);
    const identity: { core?: ServerCore } = {};
    const logger = new Logger({ write: (line) => this.logLines.push(line) }, 'info', () => identity.core?.logContext() ?? { server: id });
    member.storage.reopen();
    const replication = new ZabReplication({ config: member.config, storage: member.storage, logger, proposalsInFlightMax: this.proposalsInFlightMax });
    const core = new ServerCore(member.config, logger, systemClock, undefined, member.storage.tree, replication);
    identity.core = core;
    core.start();
    const clientPort = new ClientPortServer(core, logger);
    const port = await clientPort.listen();
    await replication.start();
    member.running = { core, replication, clientPort, port };
  }

  /** Stops a member as a crash would: its durable storage stays, everything else goes. */
  async stop(id: number): Promise<void> {
    const member = this.member(id);
    const running = member.running;
    if (!running) return;
    member.running = undefined;
    await running.replication.stop();
    await running.clientPort.close();
    running.core.stop();
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.members.map((m) => this.stop(m.id)));
  }

  member(id: number): EnsembleMember {
    const member = this.members.find((m) => m.id === id);
    if (!member) throw new Error(`no member ${id}`);
    return member;
  }

  connectString(id: number): string {
    return `127.0.0.1:${this.member(id).config.clientPort}`;
  }

  leaderId(): number | undefined {
    return this.members.find((m) => m.running?.core.replicationStatus.role === 'leading' && m.running.core.serving)?.id;
  }

  allServing(): boolean {
    return this.members.every((m) => !m.running || m.running.core.serving);
  }
}
