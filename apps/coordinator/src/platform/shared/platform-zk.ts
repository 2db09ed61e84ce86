// The platform's ZooKeeper session with its own member (TCP to 127.0.0.1:clientPort): every change the REST API
// makes goes through the replicated request path like any client's. Calls fail fast with a 503 while the member
// does not serve or the session is not connected, and are bounded in time.
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ipAcl, NoNodeError, NodeExistsError, OPEN_ACL_UNSAFE, toText, ZooKeeperClient, type Acl, type Stat } from '@zk/sdk';
import { ServerCore } from '../../server/server-core';
import { ROOT_LOGGER } from '../../tokens';
import type { Logger } from '../../util/logger';
import { notServing } from './http-errors';

/** A call to the own member that does not answer within this is a 503 (the member lost its quorum meanwhile). */
const CALL_TIMEOUT_MS = 5_000;

@Injectable()
export class PlatformZk implements OnApplicationBootstrap, OnApplicationShutdown {
  private clientValue: ZooKeeperClient | undefined;
  private readonly log: Logger;
  private readonly connectedListeners: Array<() => void> = [];
  private syncing: Promise<void> | undefined;
  /**
   * The ACL of the platform's secrets (token secret, password hashes): readable only by connections from
   * 127.0.0.1, which every member's platform session is (it dials its own member on loopback), and by the
   * super user. Remote ZooKeeper clients get NoAuth on them.
   */
  privateAcl: readonly Acl[] = [ipAcl('127.0.0.1')];

  constructor(
    @Inject(ServerCore) private readonly core: ServerCore,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'platform' });
  }

  onApplicationBootstrap(): void {
    // The client port listens in its own bootstrap hook (ClientModule is imported before us); the session keeps
    // retrying until the member serves.
    const { clientPort, clientPortAddress } = this.core.config;
    const host = clientPortAddress === '0.0.0.0' || clientPortAddress === '::' ? '127.0.0.1' : clientPortAddress;
    if (host !== '127.0.0.1') {
      // The session does not come from loopback: an ip ACL would lock the platform out of its own secrets.
      this.privateAcl = OPEN_ACL_UNSAFE;
      this.log.warn('clientPortAddress is not loopback: the platform\'s token secret and password hashes are readable by any ZooKeeper client', { clientPortAddress });
    }
    const sessionTimeoutMs = Math.min(this.core.config.maxSessionTimeoutMs, 30_000);
    const client = new ZooKeeperClient(`${host}:${clientPort}`, { sessionTimeoutMs });
    client.on('connected', () => {
      this.log.info('platform session connected to this member', { session: `0x${client.sessionId.toString(16)}` });
      for (const listener of this.connectedListeners) listener();
    });
    client.on('callbackError', (error) => this.log.warn('platform watch callback failed', { error: String(error) }));
    this.clientValue = client;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.clientValue?.close().catch(() => undefined);
  }

  /** Called on every (re)connection of a new session, e.g. to re-arm watches. */
  onConnected(listener: () => void): void {
    this.connectedListeners.push(listener);
  }

  get connected(): boolean {
    return this.clientValue?.state === 'connected';
  }

  get sessionId(): bigint {
    return this.clientValue?.sessionId ?? 0n;
  }

  /** The client, or a 503 when this member cannot serve platform calls now. */
  client(): ZooKeeperClient {
    const { role, serving } = this.core.replicationStatus;
    if (!serving) throw notServing(`member ${this.core.serverId} is not serving (role ${role}): it has no quorum right now; try another member`, { role });
    const client = this.clientValue;
    if (!client || client.state !== 'connected') {
      throw notServing(`member ${this.core.serverId} serves, but its platform session is not connected yet (state ${client?.state ?? 'starting'}); retry in a moment`, { role });
    }
    return client;
  }

  /** Runs `call` with the client, bounded in time; connection trouble becomes a 503. */
  async run<T>(call: (client: ZooKeeperClient) => Promise<T>): Promise<T> {
    const client = this.client();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(notServing(`member ${this.core.serverId} did not answer within ${CALL_TIMEOUT_MS} ms; try another member`)), CALL_TIMEOUT_MS);
    });
    try {
      return await Promise.race([call(client), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Catches this member up with the leader (one sync shared by concurrent callers), for reads that must be fresh. */
  async sync(): Promise<void> {
    this.syncing ??= this.run((client) => client.sync('/')).finally(() => {
      this.syncing = undefined;
    });
    await this.syncing;
  }

  async readText(path: string): Promise<{ text: string; stat: Stat } | undefined> {
    try {
      const { data, stat } = await this.run((client) => client.getData(path));
      return { text: toText(data), stat };
    } catch (error) {
      if (error instanceof NoNodeError) return undefined;
      throw error;
    }
  }

  async readJson<T>(path: string): Promise<{ value: T; stat: Stat } | undefined> {
    const read = await this.readText(path);
    if (read === undefined) return undefined;
    try {
      return { value: JSON.parse(read.text) as T, stat: read.stat };
    } catch {
      return undefined;
    }
  }

  async children(path: string): Promise<string[]> {
    try {
      return await this.run((client) => client.getChildren(path));
    } catch (error) {
      if (error instanceof NoNodeError) return [];
      throw error;
    }
  }

  async ensurePath(path: string): Promise<void> {
    await this.run((client) => client.mkdirp(path));
  }

  /** Creates a persistent node unless it exists; true when this call created it. */
  async createIfAbsent(path: string, data: string, acl?: readonly Acl[]): Promise<boolean> {
    try {
      await this.run((client) => client.create(path, data, acl === undefined ? {} : { acl: [...acl] }));
      return true;
    } catch (error) {
      if (error instanceof NodeExistsError) return false;
      throw error;
    }
  }

  /** Several getData in one round trip; missing nodes are undefined. */
  async readMany(paths: readonly string[]): Promise<Array<{ text: string; stat: Stat } | undefined>> {
    if (paths.length === 0) return [];
    const results: Array<{ text: string; stat: Stat } | undefined> = [];
    // multiRead replies are bounded by jute.maxbuffer: read in slices.
    for (let start = 0; start < paths.length; start += 200) {
      const slice = paths.slice(start, start + 200);
      const answers = await this.run((client) => client.multiRead(slice.map((path) => ({ type: 'getData' as const, path }))));
      for (const answer of answers) results.push(answer.type === 'getData' ? { text: toText(answer.data), stat: answer.stat } : undefined);
    }
    return results;
  }
}
