// ZooKeeperClient: the promise API over one session — every client operation of the wire protocol,
// typed errors, watches as callbacks or async iterators, chroot, ACLs and auth, and connection events.
// Runtime-neutral (no node: imports): client.ts is its Node face, which adds TCP for host:port connect strings.
import {
  AddWatchMode,
  ErrorCode,
  NULL_DATA,
  OpCode,
  WatcherType,
  type Acl,
  type ClientInfo,
  type MultiOp,
  type MultiReadOp,
  type MultiResponse,
  type Request,
  type Response,
  type Stat,
} from '@zk/wire';
import { OPEN_ACL_UNSAFE } from './acl';
import { parseConnectString } from './connect-string';
import { defaultTransportFor } from './default-transport';
import type { ConnectionState, StateEvent } from './connection-state';
import { createRequest, isSequential, type CreateOptions } from './create-mode';
import { toBytes, type DataInput } from './data';
import { TypedEmitter } from './emitter';
import { ClientClosedError, ConnectionLossError, errorFromCode, NodeExistsError, NoNodeError, OperationTimeoutError, SessionExpiredError, type ZooKeeperError } from './errors';
import { Chroot, joinPath, parentOf, validatePath } from './paths';
import { Session, type Reply } from './session';
import { Transaction, type TransactionRunner } from './transaction';
import type { Watcher, WatchKind } from './watch-registry';
import { WatchStream } from './watch-stream';
import type { ClientEvents, ClientOptions, PersistentWatch, ReadOp, ReadResult, WatcherTypeName, WatchOptions } from './client-types';

export type { ClientEvents, ClientOptions, PersistentWatch, ReadOp, ReadResult, WatcherTypeName, WatchOptions } from './client-types';

export class ZooKeeperClient implements TransactionRunner {
  readonly chroot: Chroot;
  readonly defaultAcl: readonly Acl[];
  private readonly session: Session;
  private readonly emitter = new TypedEmitter<ClientEvents>((error) => console.error('zk sdk: a listener threw', error));
  private readonly streams = new Set<WatchStream>();

  constructor(connectString: string, options: ClientOptions = {}) {
    const parsed = parseConnectString(connectString);
    this.chroot = new Chroot(parsed.chroot);
    this.defaultAcl = options.defaultAcl ?? OPEN_ACL_UNSAFE;
    this.session = new Session({
      hosts: parsed.hosts,
      chroot: this.chroot,
      transport: options.transport ?? defaultTransportFor(parsed),
      sessionTimeoutMs: options.sessionTimeoutMs ?? 30_000,
      canBeReadOnly: options.canBeReadOnly ?? false,
      renewSessionOnExpiry: options.renewSessionOnExpiry ?? true,
      queuedRequestsMax: options.queuedRequestsMax ?? 10_000,
      requestsInFlightMax: options.requestsInFlightMax ?? 1_000,
      readWriteProbeIntervalMaxMs: options.readWriteProbeIntervalMaxMs ?? 10_000,
      random: options.random ?? Math.random,
    });
    this.session.events.on('state', (event, state) => this.onState(event, state));
    this.session.events.on('callbackError', (error) => this.emitter.emit('callbackError', error));
    for (const { scheme, auth } of options.auth ?? []) {
      this.session.addAuth(scheme, toBytes(auth)).catch((error: unknown) => this.emitter.emit('callbackError', error));
    }
    this.session.start();
  }

  /** Creates a client and waits (bounded) until its session is established. */
  static async connect(connectString: string, options: ClientOptions & { connectTimeoutMs?: number } = {}): Promise<ZooKeeperClient> {
    const client = new ZooKeeperClient(connectString, options);
    try {
      await client.waitForConnected(options.connectTimeoutMs ?? options.sessionTimeoutMs ?? 30_000);
    } catch (error) {
      await client.close();
      throw error;
    }
    return client;
  }

  // ---- state ----

  get state(): ConnectionState {
    return this.session.state;
  }
  get sessionId(): bigint {
    return this.session.sessionId;
  }
  /** The negotiated session timeout (0 before the first handshake). */
  get sessionTimeoutMs(): number {
    return this.session.sessionTimeoutMs;
  }
  /** True while connected to a read-only server (state `connectedReadOnly`): reads work, writes throw NotReadOnlyError. */
  get isReadOnly(): boolean {
    return this.session.isReadOnly;
  }
  get lastZxidSeen(): bigint {
    return this.session.lastZxidSeen;
  }

  on<K extends keyof ClientEvents>(event: K, listener: (...args: ClientEvents[K]) => void): () => void {
    return this.emitter.on(event, listener);
  }
  once<K extends keyof ClientEvents>(event: K, listener: (...args: ClientEvents[K]) => void): () => void {
    return this.emitter.once(event, listener);
  }
  off<K extends keyof ClientEvents>(event: K, listener: (...args: ClientEvents[K]) => void): void {
    this.emitter.off(event, listener);
  }

  /**
   * Resolves once the state is `connected` (or `connectedReadOnly`, which only a client with canBeReadOnly reaches);
   * rejects on a terminal state or after `timeoutMs`.
   */
  waitForConnected(timeoutMs = 30_000): Promise<void> {
    if (this.state === 'connected' || this.state === 'connectedReadOnly') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new OperationTimeoutError(undefined, `not connected within ${timeoutMs} ms (state ${this.state})`));
      }, timeoutMs);
      const off = this.on('state', (_event, state) => {
        if (state === 'connected' || state === 'connectedReadOnly') {
          off();
          clearTimeout(timer);
          resolve();
        } else if (state === 'closed' || state === 'authFailed') {
          off();
          clearTimeout(timer);
          reject(state === 'closed' ? new ClientClosedError() : errorFromCode(ErrorCode.authFailed));
        }
      });
    });
  }

  async close(): Promise<void> {
    await this.session.close();
  }

  // ---- writes ----

  /** Creates a node; returns the created path (with the sequence suffix, if any) and its stat. */
  async create(path: string, data?: DataInput, options: CreateOptions = {}): Promise<{ path: string; stat?: Stat }> {
    validatePath(path, isSequential(options.mode ?? 'persistent'));
    const request = createRequest(this.chroot.toServer(path), toBytes(data ?? NULL_DATA), options.acl ?? this.defaultAcl, options);
    const response = await this.call(request, path);
    if (response.op === OpCode.create) return { path: this.chroot.toClient(response.path) };
    if (response.op === OpCode.create2 || response.op === OpCode.createContainer || response.op === OpCode.createTTL) {
      return { path: this.chroot.toClient(response.path), stat: response.stat };
    }
    throw unexpected(response);
  }

  /** Creates `path` and any missing ancestors as persistent nodes; existing nodes are fine. */
  async mkdirp(path: string, options: Pick<CreateOptions, 'acl'> = {}): Promise<void> {
    validatePath(path);
    if (path === '/') return;
    try {
      await this.create(path, null, options);
    } catch (error) {
      if (error instanceof NodeExistsError) return;
      if (!(error instanceof NoNodeError)) throw error;
      await this.mkdirp(parentOf(path) as string, options);
      try {
        await this.create(path, null, options);
      } catch (retryError) {
        if (!(retryError instanceof NodeExistsError)) throw retryError;
      }
    }
  }

  async delete(path: string, version = -1): Promise<void> {
    validatePath(path);
    await this.call({ op: OpCode.delete, path: this.chroot.toServer(path), version }, path);
  }

  /** Deletes a node and everything below it (not atomic: children first, then the node). */
  async deleteRecursive(path: string): Promise<void> {
    let children: string[];
    try {
      children = await this.getChildren(path);
    } catch (error) {
      if (error instanceof NoNodeError) return;
      throw error;
    }
    await Promise.all(children.map((child) => this.deleteRecursive(joinPath(path, child))));
    try {
      await this.delete(path);
    } catch (error) {
      if (!(error instanceof NoNodeError)) throw error;
    }
  }

  async setData(path: string, data: DataInput, version = -1): Promise<Stat> {
    validatePath(path);
    return statOf(await this.call({ op: OpCode.setData, path: this.chroot.toServer(path), data: toBytes(data), version }, path));
  }

  async setAcl(path: string, acl: readonly Acl[], version = -1): Promise<Stat> {
    validatePath(path);
    return statOf(await this.call({ op: OpCode.setACL, path: this.chroot.toServer(path), acl: [...acl], version }, path));
  }

  transaction(): Transaction {
    return new Transaction(this);
  }

  /** @internal TransactionRunner: sends the multi; err != 0 on the header (the whole multi refused) throws. */
  async runMulti(ops: MultiOp[]): Promise<MultiResponse> {
    const response = await this.call({ op: OpCode.multi, ops });
    if (response.op !== OpCode.multi) throw unexpected(response);
    return response;
  }

  // ---- reads (a watcher makes a one-shot watch, registered only if the read succeeds) ----

  /** The node's stat, or null if it does not exist; a watcher fires on create, change or delete. */
  async exists(path: string, watcher?: Watcher): Promise<Stat | null> {
    validatePath(path);
    const reply = await this.send({ op: OpCode.exists, path: this.chroot.toServer(path), watch: watcher !== undefined }, (r) => {
      if (watcher === undefined) return;
      if (r.err === ErrorCode.ok) this.session.watches.add('data', path, watcher);
      else if (r.err === ErrorCode.noNode) this.session.watches.add('exist', path, watcher);
    });
    if (reply.err === ErrorCode.noNode) return null;
    return statOf(this.check(reply, path));
  }

  async getData(path: string, watcher?: Watcher): Promise<{ data: Uint8Array; stat: Stat }> {
    validatePath(path);
    const response = await this.call({ op: OpCode.getData, path: this.chroot.toServer(path), watch: watcher !== undefined }, path, watcher && ['data', watcher]);
    if (response.op !== OpCode.getData) throw unexpected(response);
    return { data: response.data, stat: response.stat };
  }

  async getChildren(path: string, watcher?: Watcher): Promise<string[]> {
    return (await this.getChildrenWithStat(path, watcher)).children;
  }

  async getChildrenWithStat(path: string, watcher?: Watcher): Promise<{ children: string[]; stat: Stat }> {
    validatePath(path);
    const response = await this.call({ op: OpCode.getChildren2, path: this.chroot.toServer(path), watch: watcher !== undefined }, path, watcher && ['child', watcher]);
    if (response.op !== OpCode.getChildren2) throw unexpected(response);
    return { children: response.children, stat: response.stat };
  }

  async getAcl(path: string): Promise<{ acl: Acl[]; stat: Stat }> {
    validatePath(path);
    const response = await this.call({ op: OpCode.getACL, path: this.chroot.toServer(path) }, path);
    if (response.op !== OpCode.getACL) throw unexpected(response);
    return { acl: response.acl, stat: response.stat };
  }

  /**
   * Several reads in one round trip (multiRead, ZooKeeper 3.6+): each result is the read's value or its
   * error; unlike a transaction, one failing read does not fail the others. No watches are set.
   */
  async multiRead(reads: readonly ReadOp[]): Promise<ReadResult[]> {
    const ops = reads.map((read): MultiReadOp => {
      validatePath(read.path);
      const path = this.chroot.toServer(read.path);
      return read.type === 'getData' ? { op: OpCode.getData, path, watch: false } : { op: OpCode.getChildren, path, watch: false };
    });
    const response = await this.call({ op: OpCode.multiRead, ops });
    if (response.op !== OpCode.multiRead) throw unexpected(response);
    return response.results.map((result, i): ReadResult => {
      if (result.op === OpCode.getData) return { type: 'getData', data: result.data, stat: result.stat };
      if (result.op === OpCode.getChildren) return { type: 'getChildren', children: result.children };
      if (result.op === -1) return { type: 'error', error: errorFromCode(result.err, reads[i].path) };
      throw unexpected(response);
    });
  }

  /** Waits until the server this client talks to has caught up with the leader (read-your-writes across clients). */
  async sync(path = '/'): Promise<void> {
    validatePath(path);
    await this.call({ op: OpCode.sync, path: this.chroot.toServer(path) }, path);
  }

  /** Paths (client-relative) of this session's ephemeral nodes under `prefixPath`. */
  async getEphemerals(prefixPath = '/'): Promise<string[]> {
    validatePath(prefixPath);
    const response = await this.call({ op: OpCode.getEphemerals, prefixPath: this.chroot.toServer(prefixPath) }, prefixPath);
    if (response.op !== OpCode.getEphemerals) throw unexpected(response);
    return response.ephemerals.map((path) => this.chroot.toClient(path));
  }

  /** The number of nodes below `path` (all descendants). */
  async getAllChildrenNumber(path: string): Promise<number> {
    validatePath(path);
    const response = await this.call({ op: OpCode.getAllChildrenNumber, path: this.chroot.toServer(path) }, path);
    if (response.op !== OpCode.getAllChildrenNumber) throw unexpected(response);
    return response.totalNumber;
  }

  /** The authenticated identities of this session. */
  async whoAmI(): Promise<ClientInfo[]> {
    const response = await this.call({ op: OpCode.whoAmI });
    if (response.op !== OpCode.whoAmI) throw unexpected(response);
    return response.clientInfo;
  }

  /** Adds credentials to this session, kept for reconnects; e.g. addAuth('digest', 'user:password'). */
  addAuth(scheme: string, auth: string | Uint8Array): Promise<void> {
    return this.session.addAuth(scheme, toBytes(auth));
  }

  // ---- persistent watches and watch removal ----

  /** A persistent (optionally recursive) watch: `watcher` is called for every event until remove(). */
  async addWatch(path: string, watcher: Watcher, options: WatchOptions = {}): Promise<PersistentWatch> {
    validatePath(path);
    const recursive = options.recursive ?? false;
    const kind: WatchKind = recursive ? 'persistentRecursive' : 'persistent';
    const mode = recursive ? AddWatchMode.persistentRecursive : AddWatchMode.persistent;
    await this.call({ op: OpCode.addWatch, path: this.chroot.toServer(path), mode }, path, [kind, watcher]);
    let removed = false;
    return {
      path,
      recursive,
      remove: async () => {
        if (removed) return;
        removed = true;
        const last = this.session.watches.remove(kind, path, watcher);
        if (last && this.session.state === 'connected') await this.removeServerWatchIfUnused(path);
      },
    };
  }

  /** A persistent watch as an async iterator; close() (or leaving a for-await loop) removes it. */
  async watch(path: string, options: WatchOptions & { bufferMax?: number } = {}): Promise<WatchStream> {
    let handle: PersistentWatch | undefined;
    const stream = new WatchStream(() => {
      this.streams.delete(stream);
      void handle?.remove().catch(() => undefined);
    }, options.bufferMax);
    this.streams.add(stream);
    try {
      handle = await this.addWatch(path, (event) => stream.push(event), options);
    } catch (error) {
      stream.fail(error);
      throw error;
    }
    return stream;
  }

  /** Removes this client's watches of `type` at `path`, on the server and locally (NoWatcherError if none). */
  async removeWatches(path: string, type: WatcherTypeName = 'any'): Promise<void> {
    validatePath(path);
    await this.call({ op: OpCode.removeWatches, path: this.chroot.toServer(path), type: WatcherType[type] }, path);
    const kinds: WatchKind[] =
      type === 'data' ? ['data', 'exist'] : type === 'children' ? ['child'] : ['data', 'exist', 'child', 'persistent', 'persistentRecursive'];
    this.session.watches.removeAll(kinds, path);
  }

  // ---- plumbing ----

  private async removeServerWatchIfUnused(path: string): Promise<void> {
    const kinds: WatchKind[] = ['data', 'exist', 'child', 'persistent', 'persistentRecursive'];
    if (kinds.some((kind) => this.session.watches.has(kind, path))) return;
    try {
      await this.call({ op: OpCode.removeWatches, path: this.chroot.toServer(path), type: WatcherType.any }, path);
    } catch (error) {
      if (!isIgnorableOnRemoval(error)) throw error;
    }
  }

  private send(request: Request, onReply?: (reply: Reply) => void): Promise<Reply> {
    return this.session.request(request, onReply);
  }

  /** Sends a request; on success registers `watch` (synchronously, before later frames) and returns the body. */
  private async call(request: Request, path?: string, watch?: [WatchKind, Watcher]): Promise<Response> {
    const reply = await this.send(request, (r) => {
      if (watch !== undefined && r.err === ErrorCode.ok && path !== undefined) this.session.watches.add(watch[0], path, watch[1]);
    });
    return this.check(reply, path);
  }

  private check(reply: Reply, path?: string): Response {
    if (reply.err !== ErrorCode.ok) throw errorFromCode(reply.err, path);
    if (reply.response === undefined) throw errorFromCode(ErrorCode.marshallingError, path);
    return reply.response;
  }

  private onState(event: StateEvent, state: ConnectionState): void {
    if (event === 'expired' || event === 'closed' || event === 'authFailed') {
      const error: ZooKeeperError = event === 'expired' ? new SessionExpiredError() : event === 'closed' ? new ClientClosedError() : errorFromCode(ErrorCode.authFailed);
      for (const stream of [...this.streams]) stream.fail(error);
    }
    this.emitter.emit(event);
    this.emitter.emit('state', event, state);
  }
}

function statOf(response: Response): Stat {
  if ('stat' in response) return response.stat;
  throw unexpected(response);
}

function unexpected(response: Response): ZooKeeperError {
  return errorFromCode(ErrorCode.marshallingError, `unexpected reply op ${response.op}`);
}

function isIgnorableOnRemoval(error: unknown): boolean {
  return error instanceof ConnectionLossError || (error as { code?: number }).code === ErrorCode.noWatcher;
}
