// Start-up of the platform in the tree, by whichever member gets there first: its folders, the token secret,
// the first admin, this member's admin address (so peers can ask it for its status), and a record of each
// election this member wins. Retried every second until it succeeds (a member may start without a quorum).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ServerConfig } from '../../config/zoo-config';
import { ServerCore } from '../../server/server-core';
import { ROOT_LOGGER, SERVER_CONFIG } from '../../tokens';
import type { Logger } from '../../util/logger';
import { generatePassword, generateSecret, hashPassword, type Role } from '../access/credentials';
import { notServing } from './http-errors';
import { PLATFORM_DIRECTORIES, platformPaths } from './platform-paths';
import { PlatformZk } from './platform-zk';

export interface StoredUser {
  username: string;
  role: Role;
  createdAt: number;
  password: ReturnType<typeof hashPassword>;
}

export interface MemberAddress {
  id: number;
  host: string;
  adminPort: number;
  clientPort: number;
  adminEnabled: boolean;
}

export const INITIAL_ADMIN = 'admin';
export const INITIAL_PASSWORD_FILE = 'initial-admin-password';

/** Entries kept of the elections list. */
const ELECTIONS_KEPT = 20;

@Injectable()
export class PlatformState implements OnApplicationBootstrap, OnApplicationShutdown {
  private secretValue: string | undefined;
  private readyValue = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private recordedElectionEpoch = -1;
  private readonly log: Logger;
  private readonly leaderTasks: Array<{ name: string; everyMs: number; lastRunMs: number; run: () => Promise<void> }> = [];

  constructor(
    @Inject(PlatformZk) private readonly zk: PlatformZk,
    @Inject(ServerCore) private readonly core: ServerCore,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'platform' });
  }

  onApplicationBootstrap(): void {
    this.zk.onConnected(() => void this.tick());
    this.core.onServingChange(() => void this.tick());
    this.timer = setInterval(() => void this.tick(), 1_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  get ready(): boolean {
    return this.readyValue;
  }

  /** The token secret; 503 until the platform has started in the tree. */
  secret(): string {
    if (this.secretValue === undefined) throw notServing(`member ${this.core.serverId} has not finished starting its platform (no quorum yet); try another member`);
    return this.secretValue;
  }

  /** The current leader runs `run` every `everyMs` (not overlapping itself), while it leads and serves. */
  onLeader(name: string, everyMs: number, run: () => Promise<void>): void {
    this.leaderTasks.push({ name, everyMs, lastRunMs: 0, run });
  }

  get isLeader(): boolean {
    const { role, serving } = this.core.replicationStatus;
    return serving && (role === 'leading' || role === 'standalone');
  }

  private tick(): Promise<void> {
    this.running ??= this.step()
      .catch((error: unknown) => this.log.debug('platform step did not finish; retrying', { error: String(error) }))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async step(): Promise<void> {
    if (!this.core.serving || !this.zk.connected) return;
    if (!this.readyValue) {
      await this.start();
      this.readyValue = true;
      this.log.info('platform started in the tree');
    }
    if (!this.isLeader) return;
    const { epoch } = this.core.replicationStatus;
    if (epoch !== this.recordedElectionEpoch) {
      await this.recordElection(epoch);
      this.recordedElectionEpoch = epoch;
    }
    const now = Date.now();
    for (const task of this.leaderTasks) {
      if (now - task.lastRunMs < task.everyMs) continue;
      task.lastRunMs = now;
      await task.run().catch((error: unknown) => this.log.warn('leader task failed', { task: task.name, error: String(error) }));
    }
  }

  private async start(): Promise<void> {
    for (const path of PLATFORM_DIRECTORIES) await this.zk.createIfAbsent(path, '');
    await this.zk.createIfAbsent(platformPaths.secret, generateSecret(), this.zk.privateAcl);
    const secret = await this.zk.readText(platformPaths.secret);
    if (!secret || secret.text === '') throw new Error('the token secret is missing from the tree');
    this.secretValue = secret.text;
    await this.createInitialAdmin();
    await this.publishAddress();
  }

  private async createInitialAdmin(): Promise<void> {
    if ((await this.zk.children(platformPaths.users)).length > 0) return;
    const configured = process.env['COORDINATOR_ADMIN_PASSWORD'] || this.config.platformAdminPassword;
    const password = configured ?? generatePassword();
    const user: StoredUser = { username: INITIAL_ADMIN, role: 'admin', createdAt: Date.now(), password: hashPassword(password) };
    if (!(await this.zk.createIfAbsent(platformPaths.user(INITIAL_ADMIN), JSON.stringify(user), this.zk.privateAcl))) return;
    if (configured !== undefined) {
      this.log.info('created the first platform admin "admin" with the configured password');
      return;
    }
    const file = join(this.config.dataDir, INITIAL_PASSWORD_FILE);
    if (!existsSync(file)) writeFileSync(file, `${password}\n`, { mode: 0o600 });
    this.log.warn('created the first platform admin "admin" with a generated password (shown once; also in the file)', { password, file });
  }

  private async publishAddress(): Promise<void> {
    const id = this.core.serverId;
    const { adminServerAddress, adminServerPort, adminEnabled, clientPort } = this.config;
    const peerHost = this.config.servers.find((s) => s.id === id)?.host ?? '127.0.0.1';
    const host = adminServerAddress === '0.0.0.0' || adminServerAddress === '::' ? peerHost : adminServerAddress;
    const address: MemberAddress = { id, host, adminPort: adminServerPort, clientPort, adminEnabled };
    const text = JSON.stringify(address);
    if (!(await this.zk.createIfAbsent(platformPaths.member(id), text))) await this.zk.run((client) => client.setData(platformPaths.member(id), text));
  }

  private async recordElection(epoch: number): Promise<void> {
    const entry = { at: Date.now(), leaderId: this.core.serverId, epoch };
    await this.zk.run((client) => client.create(platformPaths.electionPrefix, JSON.stringify(entry), { mode: 'persistentSequential' }));
    const names = (await this.zk.children(platformPaths.elections)).sort();
    for (const name of names.slice(0, Math.max(0, names.length - ELECTIONS_KEPT))) {
      await this.zk.run((client) => client.delete(`${platformPaths.elections}/${name}`)).catch(() => undefined);
    }
  }
}
