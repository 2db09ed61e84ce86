// Watching one config key, /config/{namespace}/{group}/{key}: read its value and be called on every change
// the watch observes, with the znode version, across reconnects (watches are replayed) and new sessions
// (re-read and re-armed). Like every ZooKeeper watch, writes in quick succession may arrive as the latest one.
// With an `identity`, a gray (beta) release that targets it is delivered instead of the released value.
import { NoNodeError, toText, type Stat, type WatchEvent, type ZooKeeperClient } from '@zk/sdk';
import { checkName } from './service-layout';

export const CONFIG_ROOT = '/config';

export type ContentType = 'text' | 'json' | 'yaml' | 'properties';
const CONTENT_TYPES: readonly ContentType[] = ['text', 'json', 'yaml', 'properties'];

export interface ConfigKey {
  namespace: string;
  group: string;
  key: string;
}

export interface ConfigValue {
  /** The value's text; undefined when the key does not exist (deleted). */
  value: string | undefined;
  contentType: ContentType;
  /** The znode's version (dataVersion), -1 when the key does not exist. */
  version: number;
  stat?: Stat;
}

export function configPath({ namespace, group, key }: ConfigKey): string {
  return `${CONFIG_ROOT}/${checkName('namespace', namespace)}/${checkName('group', group)}/${checkName('key', key)}`;
}

/**
 * The node's data: a JSON envelope `{"contentType": "...", "value": "..."}` as the config center writes it;
 * anything else (written by a plain ZooKeeper client) is taken as a text value.
 */
export function decodeConfigData(text: string): { value: string; contentType: ContentType } {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      const { value, contentType } = parsed as Record<string, unknown>;
      if (typeof value === 'string' && CONTENT_TYPES.includes(contentType as ContentType)) return { value, contentType: contentType as ContentType };
    }
  } catch {
    // Not JSON: a raw text value.
  }
  return { value: text, contentType: 'text' };
}

/**
 * The value `identity` (an instance id, a host, …) should see: the gray release's when the config center lists one
 * of the identities among its targets, else the released value. Same input as decodeConfigData.
 */
export function resolveConfigData(text: string, identity: readonly string[] = []): { value: string; contentType: ContentType; gray: boolean } {
  const released = decodeConfigData(text);
  if (identity.length === 0) return { ...released, gray: false };
  try {
    const parsed = JSON.parse(text) as { gray?: { value?: unknown; contentType?: unknown; targets?: unknown } };
    const gray = parsed?.gray;
    if (gray && typeof gray.value === 'string' && CONTENT_TYPES.includes(gray.contentType as ContentType) && Array.isArray(gray.targets) && gray.targets.some((t) => identity.includes(t as string))) {
      return { value: gray.value, contentType: gray.contentType as ContentType, gray: true };
    }
  } catch {
    // A raw value has no gray release.
  }
  return { ...released, gray: false };
}

export interface ConfigReadOptions {
  /** Who is reading (e.g. its instance id and host): a gray release listing one of them is what it gets. */
  identity?: readonly string[];
}

/** Reads a config key once (the gray value when `identity` is among its targets); undefined value when missing. */
export async function getConfig(client: ZooKeeperClient, key: ConfigKey, options: ConfigReadOptions = {}): Promise<ConfigValue> {
  try {
    const { data, stat } = await client.getData(configPath(key));
    const { value, contentType } = resolveConfigData(toText(data), options.identity);
    return { value, contentType, version: stat.version, stat };
  } catch (error) {
    if (error instanceof NoNodeError) return { value: undefined, contentType: 'text', version: -1 };
    throw error;
  }
}

export function encodeConfigData(value: string, contentType: ContentType = 'text'): string {
  return JSON.stringify({ contentType, value });
}

export class ConfigWatcher {
  private lastVersion: number | undefined;
  private lastMzxid: bigint | undefined;
  private running = true;
  private readonly stopListening: () => void;
  private work: Promise<void> = Promise.resolve();

  private constructor(
    private readonly client: ZooKeeperClient,
    readonly path: string,
    private readonly onChange: (value: ConfigValue) => void,
    private readonly onError: (error: unknown) => void,
    private readonly identity: readonly string[] = [],
  ) {
    // The one-shot watch is replayed by the SDK after a reconnect; a new session has none, so re-read then.
    this.stopListening = client.on('connected', () => this.schedule());
  }

  /** Reads the key, calls `onChange` with it, and again on every change. */
  static async start(
    client: ZooKeeperClient,
    key: ConfigKey,
    onChange: (value: ConfigValue) => void,
    onError: (error: unknown) => void = (error) => console.error('config watcher:', error),
    options: ConfigReadOptions = {},
  ): Promise<ConfigWatcher> {
    const watcher = new ConfigWatcher(client, configPath(key), onChange, onError, options.identity);
    await watcher.schedule();
    return watcher;
  }

  close(): void {
    this.running = false;
    this.stopListening();
  }

  private readonly onWatch = (_event: WatchEvent): void => {
    void this.schedule();
  };

  private schedule(): Promise<void> {
    const next = this.work.then(() => this.readAndWatch());
    this.work = next.catch((error: unknown) => {
      if (this.running) this.onError(error);
    });
    return next;
  }

  private async readAndWatch(): Promise<void> {
    if (!this.running || this.client.state !== 'connected') return;
    let current: ConfigValue;
    try {
      const { data, stat } = await this.client.getData(this.path, this.onWatch);
      const { value, contentType } = resolveConfigData(toText(data), this.identity);
      current = { value, contentType, version: stat.version, stat };
    } catch (error) {
      if (!(error instanceof NoNodeError)) throw error;
      // Missing: watch for its creation. If it appeared meanwhile, exists() sees it and we read again.
      if ((await this.client.exists(this.path, this.onWatch)) !== null) return this.readAndWatch();
      current = { value: undefined, contentType: 'text', version: -1 };
    }
    // Report each state once: a replayed watch or a new session may re-read an unchanged value.
    const mzxid = current.stat?.mzxid;
    if (current.version === this.lastVersion && mzxid === this.lastMzxid) return;
    this.lastVersion = current.version;
    this.lastMzxid = mzxid;
    if (this.running) this.onChange(current);
  }
}

/** Starts watching a config key; `onChange` gets the current value at once, then every change. */
export function watchConfig(client: ZooKeeperClient, key: ConfigKey, onChange: (value: ConfigValue) => void, onError?: (error: unknown) => void, options: ConfigReadOptions = {}): Promise<ConfigWatcher> {
  return ConfigWatcher.start(client, key, onChange, onError, options);
}
