// An ephemeral node that stays registered (Curator's PersistentNode): created now, re-created after session
// expiry (when the client renews its session) and after anyone deletes it, removed on close().
import { NodeExistsError, NoNodeError, parentOf, type DataInput, type WatchEvent, type ZooKeeperClient } from '@zk/sdk';

export interface PersistentEphemeralNodeOptions {
  /** Background failures (re-creation after expiry or deletion); default: console.error. */
  onError?: (error: unknown) => void;
}

export class PersistentEphemeralNode {
  private running = true;
  private data: DataInput;
  private readonly stopListening: () => void;
  private readonly created: Promise<void>;
  /** Serialises (re)creations so two triggers never race. */
  private work: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: ZooKeeperClient,
    readonly path: string,
    data: DataInput,
    private readonly options: PersistentEphemeralNodeOptions = {},
  ) {
    this.data = data;
    const offConnected = client.on('connected', () => this.schedule());
    const offReconnected = client.on('reconnected', () => this.schedule());
    this.stopListening = () => {
      offConnected();
      offReconnected();
    };
    this.created = this.schedule();
  }

  /** Resolves once the node was first created (rejects if that failed). */
  ready(): Promise<void> {
    return this.created;
  }

  /** Changes the node's data now and for every re-creation. */
  async setData(data: DataInput): Promise<void> {
    this.data = data;
    await this.client.setData(this.path, data);
  }

  /** Stops re-creating and deletes the node. */
  async close(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopListening();
    await this.work.catch(() => undefined);
    try {
      await this.client.delete(this.path);
    } catch (error) {
      if (!(error instanceof NoNodeError) && this.client.state === 'connected') throw error;
    }
  }

  /** One watcher object, so repeated checks do not stack up callbacks. */
  private readonly onNodeEvent = (event: WatchEvent): void => {
    if (event.type === 'nodeDeleted' && this.running) void this.schedule();
  };

  private schedule(): Promise<void> {
    const next = this.work.then(() => this.ensure());
    this.work = next.catch((error: unknown) => {
      if (this.running) (this.options.onError ?? ((e: unknown) => console.error(`persistent node ${this.path}:`, e)))(error);
    });
    return next;
  }

  /** Creates the node unless this session already owns it; watches it so a deletion re-creates it. */
  private async ensure(): Promise<void> {
    if (!this.running || this.client.state !== 'connected') return;
    for (let attempt = 0; attempt < 50 && this.running; attempt++) {
      const stat = await this.client.exists(this.path, this.onNodeEvent);
      if (stat !== null && stat.ephemeralOwner === this.client.sessionId) return;
      if (stat !== null) {
        // Left by an earlier (expired) session of ours or by someone else: wait for it to go.
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      try {
        await this.client.create(this.path, this.data, { mode: 'ephemeral' });
        return;
      } catch (error) {
        if (error instanceof NoNodeError) await this.client.mkdirp(parentOf(this.path) as string);
        else if (!(error instanceof NodeExistsError)) throw error;
      }
    }
    if (this.running) throw new Error(`${this.path}: could not (re)create the ephemeral node`);
  }
}
