// Live events on ws://host:adminPort/api/v1/events?token=…: a client subscribes to topics (cluster, services,
// service:{name}, config:{ns}, config:{ns}/{group}/{key}, tree:{path}, audit) and gets the matching GET body
// pushed on every change. Changes come from persistent watches of the platform's session (debounced); cluster
// status is pushed every 2 s and on role changes. A bad token closes the socket with 4401.
import type { IncomingMessage } from 'node:http';
import { Inject, type OnApplicationShutdown } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import { validatePath, type PersistentWatch, type WatchEvent } from '@zk/sdk';
import { CONFIG_ROOT, SERVICES_ROOT } from '@zk/recipes';
import type { RawData, WebSocket } from 'ws';
import { ROOT_LOGGER } from '../../tokens';
import type { Logger } from '../../util/logger';
import { AuditService } from '../access/audit.service';
import { UsersService, type Principal } from '../access/users.service';
import { ClusterService } from '../cluster/cluster.service';
import { ConfigService } from '../config-center/config.service';
import { RegistryService } from '../registry/registry.service';
import { NAME_PATTERN } from '../shared/names';
import { platformPaths } from '../shared/platform-paths';
import { PlatformZk } from '../shared/platform-zk';
import { TreeService } from '../tree/tree.service';

export const EVENTS_PATH = '/api/v1/events';
const CLOSE_BAD_TOKEN = 4401;
const DEBOUNCE_MS = 50;
const CLUSTER_EVERY_MS = 2_000;
const TOPICS_PER_CLIENT_MAX = 100;
const MESSAGE_BYTES_MAX = 4096;

interface Subscriber {
  ws: WebSocket;
  principal: Principal;
  authorization: string;
  topics: Set<string>;
}

const NAME = NAME_PATTERN.source.slice(1, -1);
const TOPIC_PATTERNS = [/^cluster$/, /^services$/, /^audit$/, new RegExp(`^service:${NAME}$`), new RegExp(`^config:${NAME}$`), new RegExp(`^config:${NAME}/${NAME}/${NAME}$`), /^tree:\/.*$/];

@WebSocketGateway({ path: EVENTS_PATH })
export class EventsGateway implements OnGatewayConnection<WebSocket>, OnApplicationShutdown {
  private readonly subscribers = new Set<Subscriber>();
  private readonly pending = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly clusterTimer: NodeJS.Timeout;
  private readonly treeWatches = new Map<string, Promise<PersistentWatch | undefined>>();
  private readonly log: Logger;

  constructor(
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(PlatformZk) private readonly zk: PlatformZk,
    @Inject(RegistryService) private readonly registry: RegistryService,
    @Inject(ConfigService) private readonly config: ConfigService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(ClusterService) private readonly cluster: ClusterService,
    @Inject(TreeService) private readonly tree: TreeService,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'events' });
    this.zk.onConnected(() => void this.armWatches());
    this.cluster.onRoleChange(() => this.changed(['cluster']));
    this.clusterTimer = setInterval(() => this.changed(['cluster']), CLUSTER_EVERY_MS);
    this.clusterTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.clusterTimer);
    clearTimeout(this.flushTimer);
  }

  async handleConnection(ws: WebSocket, request: IncomingMessage): Promise<void> {
    const early: RawData[] = [];
    const buffer = (data: RawData): void => void early.push(data);
    ws.on('message', buffer);
    ws.on('error', () => undefined);
    const token = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token') ?? '';
    let principal: Principal | undefined;
    try {
      principal = token === '' ? undefined : await this.users.authenticate(token);
    } catch {
      principal = undefined;
    }
    if (!principal) {
      ws.close(CLOSE_BAD_TOKEN, 'bad or missing token: connect with ?token=<token from POST /api/v1/auth/login>');
      return;
    }
    const subscriber: Subscriber = { ws, principal, authorization: `Bearer ${token}`, topics: new Set() };
    this.subscribers.add(subscriber);
    ws.off('message', buffer);
    ws.on('message', (data: RawData, isBinary: boolean) => void this.onMessage(subscriber, data, isBinary));
    ws.on('close', () => this.drop(subscriber));
    for (const data of early) await this.onMessage(subscriber, data, false);
  }

  private async onMessage(subscriber: Subscriber, data: RawData, isBinary: boolean): Promise<void> {
    const text = isBinary ? '' : data.toString();
    let message: { type?: unknown; topic?: unknown };
    try {
      if (text.length === 0 || text.length > MESSAGE_BYTES_MAX) throw new Error('empty or too long');
      message = JSON.parse(text) as { type?: unknown; topic?: unknown };
    } catch {
      return this.send(subscriber, { type: 'error', message: `send JSON text messages of at most ${MESSAGE_BYTES_MAX} bytes: {"type":"subscribe","topic":"…"}` });
    }
    const { type, topic } = message ?? {};
    if ((type !== 'subscribe' && type !== 'unsubscribe') || typeof topic !== 'string') {
      return this.send(subscriber, { type: 'error', message: 'expected {"type":"subscribe"|"unsubscribe","topic":"…"}' });
    }
    if (!validTopic(topic)) return this.send(subscriber, { type: 'error', message: `unknown topic ${JSON.stringify(topic)}: cluster, services, service:{name}, config:{ns}, config:{ns}/{group}/{key}, tree:{path} or audit` });
    if (type === 'unsubscribe') {
      subscriber.topics.delete(topic);
      this.releaseTreeWatch(topic);
      return;
    }
    if (subscriber.topics.size >= TOPICS_PER_CLIENT_MAX) return this.send(subscriber, { type: 'error', message: `at most ${TOPICS_PER_CLIENT_MAX} topics per connection` });
    subscriber.topics.add(topic);
    if (topic.startsWith('tree:')) await this.ensureTreeWatch(topic.slice(5));
    await this.push(topic, [subscriber]);
  }

  private drop(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
    for (const topic of subscriber.topics) this.releaseTreeWatch(topic);
  }

  private send(subscriber: Subscriber, message: unknown): void {
    if (subscriber.ws.readyState === subscriber.ws.OPEN) subscriber.ws.send(JSON.stringify(message));
  }

  private async armWatches(): Promise<void> {
    const client = this.zk.client.bind(this.zk);
    try {
      for (const path of [SERVICES_ROOT, CONFIG_ROOT]) await client().addWatch(path, (event) => this.onTreeEvent(event), { recursive: true });
      await client().addWatch(platformPaths.audit, () => this.changed(['audit']));
      this.treeWatches.clear();
      for (const topic of this.subscribedTopics()) if (topic.startsWith('tree:')) await this.ensureTreeWatch(topic.slice(5));
    } catch (error) {
      this.log.warn('could not arm the event watches; retrying on the next connection', { error: String(error) });
    }
  }

  private onTreeEvent(event: WatchEvent): void {
    const parts = event.path.split('/').filter(Boolean);
    const topics: string[] = [];
    if (parts[0] === SERVICES_ROOT.slice(1)) {
      topics.push('services');
      if (parts[1]) topics.push(`service:${parts[1]}`);
    } else if (parts[0] === CONFIG_ROOT.slice(1) && parts[1]) {
      topics.push(`config:${parts[1]}`);
      if (parts.length >= 4) topics.push(`config:${parts[1]}/${parts[2]}/${parts[3]}`);
    }
    this.changed(topics);
  }

  private async ensureTreeWatch(path: string): Promise<void> {
    if (this.treeWatches.has(path)) return;
    const armed = this.zk
      .run((client) => client.addWatch(path, () => this.changed([`tree:${path}`])))
      .catch(() => undefined);
    this.treeWatches.set(path, armed);
    await armed;
  }

  private releaseTreeWatch(topic: string): void {
    if (!topic.startsWith('tree:') || this.subscribedTopics().has(topic)) return;
    const path = topic.slice(5);
    const watch = this.treeWatches.get(path);
    this.treeWatches.delete(path);
    void watch?.then((w) => w?.remove()).catch(() => undefined);
  }

  private subscribedTopics(): Set<string> {
    const topics = new Set<string>();
    for (const subscriber of this.subscribers) for (const topic of subscriber.topics) topics.add(topic);
    return topics;
  }

  private changed(topics: readonly string[]): void {
    if (this.subscribers.size === 0) return;
    const subscribed = this.subscribedTopics();
    for (const topic of topics) if (subscribed.has(topic)) this.pending.add(topic);
    if (this.pending.size === 0 || this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      const due = [...this.pending];
      this.pending.clear();
      for (const topic of due) void this.push(topic, [...this.subscribers].filter((s) => s.topics.has(topic)));
    }, DEBOUNCE_MS);
  }

  private async push(topic: string, to: readonly Subscriber[]): Promise<void> {
    if (to.length === 0) return;
    let data: unknown;
    try {
      data = await this.body(topic, to[0].authorization);
    } catch (error) {
      const status = (error as { getStatus?: () => number }).getStatus?.();
      if (status === 404) data = null;
      else {
        for (const subscriber of to) this.send(subscriber, { type: 'error', topic, message: (error as Error).message });
        return;
      }
    }
    for (const subscriber of to) this.send(subscriber, { type: 'event', topic, data });
  }

  private body(topic: string, authorization: string): Promise<unknown> {
    if (topic === 'cluster') return this.cluster.cluster(authorization);
    if (topic === 'services') return this.registry.listServices();
    if (topic === 'audit') return this.audit.list(100);
    if (topic.startsWith('service:')) return this.registry.getService(topic.slice(8));
    if (topic.startsWith('tree:')) return this.tree.get(topic.slice(5));
    const [namespace, group, key] = topic.slice(7).split('/');
    return group === undefined ? this.config.namespace(namespace) : this.config.get({ namespace, group, key });
  }
}

function validTopic(topic: string): boolean {
  if (topic.length > 4200 || !TOPIC_PATTERNS.some((pattern) => pattern.test(topic))) return false;
  if (!topic.startsWith('tree:')) return true;
  try {
    validatePath(topic.slice(5));
    return true;
  } catch {
    return false;
  }
}
