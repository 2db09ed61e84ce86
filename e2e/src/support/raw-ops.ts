// The raw client's requests as one-line calls that return what a transcript records: `err` (ok or ZooKeeper's
// error name), the header zxid for writes, and the response body without its opcode tag.
import { createHash } from 'node:crypto';
import { AddWatchMode, CreateFlag, OpCode, Perm, type Acl, type CreateRequest, type MultiOp, type MultiReadOp } from '@zk/wire';
import { errText, type RawClient, type RawReply } from './raw-client';

export const OPEN_ACL: Acl[] = [{ perms: Perm.all, id: { scheme: 'world', id: 'anyone' } }];

const text = new TextEncoder();

/** The digest scheme's id for user:password, as DigestAuthenticationProvider.generateDigest computes it. */
export function digestId(user: string, password: string): string {
  return `${user}:${createHash('sha1').update(`${user}:${password}`).digest('base64')}`;
}

export interface Recorded {
  err: string;
  [field: string]: unknown;
}

/** A reply as recorded: data as text, results recursively, the opcode tag dropped (the label says it). */
export function recorded(reply: RawReply, options: { zxid?: boolean } = {}): Recorded {
  const out: Recorded = { err: errText(reply.err) };
  if (options.zxid) out['zxid'] = reply.zxid;
  if (reply.response !== undefined) Object.assign(out, plain(reply.response));
  return out;
}

function plain(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'op') continue;
    if (field instanceof Uint8Array) out[key] = bytesText(field);
    else if (key === 'results' && Array.isArray(field)) out[key] = field.map(resultView);
    else if (key === 'children' && Array.isArray(field)) out[key] = [...(field as string[])].sort();
    else out[key] = field;
  }
  return out;
}

function resultView(result: Record<string, unknown>): Record<string, unknown> {
  if (result['op'] === OpCode.error) return { err: errText(result['err'] as number) };
  return { op: opName(result['op'] as number), ...plain(result) };
}

const opNames = new Map<number, string>(Object.entries(OpCode).map(([name, code]) => [code, name]));
export function opName(op: number): string {
  return opNames.get(op) ?? `op(${op})`;
}

/**
 * Runs a raw op whose connection the server may drop (oversized frames, unknown opcodes): the transcript says
 * so instead of stopping. A graceful close (FIN) and a reset (RST) are the same thing to a client.
 */
export async function tolerant(op: () => Promise<Recorded>): Promise<Recorded> {
  try {
    return await op();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const dropped = /closed by the server|ECONNRESET|EPIPE/.test(message);
    return { err: `no reply: ${dropped ? 'connection dropped by the server' : message}` };
  }
}

export function bytesText(bytes: Uint8Array): string {
  if (bytes.length > 256 || bytes.some((byte) => byte < 0x20 || byte > 0x7e)) return `<${bytes.length} bytes>`;
  return Buffer.from(bytes).toString('latin1');
}

export function bytes(value: string): Uint8Array {
  return text.encode(value);
}

export interface CreateOptions {
  data?: string | Uint8Array;
  flags?: number;
  acl?: Acl[];
  ttl?: bigint;
  /** Which create opcode; by default create2, or createContainer / createTTL as the flags require. */
  op?: 1 | 15 | 19 | 21;
}

export function createRequest(path: string, options: CreateOptions = {}): CreateRequest {
  const flags = options.flags ?? CreateFlag.persistent;
  const op: CreateRequest['op'] =
    options.op ??
    (flags === CreateFlag.container
      ? OpCode.createContainer
      : flags === CreateFlag.persistentWithTtl || flags === CreateFlag.persistentSequentialWithTtl
        ? OpCode.createTTL
        : OpCode.create2);
  const data = typeof options.data === 'string' ? bytes(options.data) : (options.data ?? new Uint8Array(0));
  return {
    op,
    path,
    data,
    acl: options.acl ?? OPEN_ACL,
    flags,
    ...(op === OpCode.createTTL ? { ttl: options.ttl ?? -1n } : {}),
  };
}

/** Thin calls: each sends one request and returns the recorded view of its reply. */
export class RawOps {
  constructor(readonly client: RawClient) {}

  async create(path: string, options: CreateOptions = {}): Promise<Recorded> {
    return recorded(await this.client.send(createRequest(path, options)), { zxid: true });
  }
  async delete(path: string, version = -1): Promise<Recorded> {
    return recorded(await this.client.send({ op: OpCode.delete, path, version }), { zxid: true });
  }
  async exists(path: string, watch = false): Promise<Recorded> {
    return recorded(await this.client.send({ op: OpCode.exists, path, watch }));
  }
  async getData(path: string, watch = false): Promise<Recorded> {
    return recorded(await this.client.send({ op: OpCode.getData, path, watch }));
  }
  async setData(path: string, data: string | Uint8Array, version = -1): Promise<Recorded> {
    const body = typeof data === 'string' ? bytes(data) : data;
    return recorded(await this.client.send({ op: OpCode.setData, path, data: body, version }), { zxid: true });
  }
  async getChildren(path: string, watch = false): Promise<Recorded> {
    return recorded(await this.client.send({ op: OpCode.getChildren2, path, watch }));
  }
  async getACL(path: string): Promise<Recorded> {
    return recorded(await this.client.send({ op: OpCode.getACL, path }));
  }
  async setACL(path: string, acl: Acl[], version = -1): Promise<Recorded> {
    return recorded(await this.client.send({ op: OpCode.setACL, path, acl, version }), { zxid: true });
  }
  async multi(ops: MultiOp[]): Promise<Recorded> {
    return recorded(await this.client.send({ op: OpCode.multi, ops }), { zxid: true });
  }
  async multiRead(ops: MultiReadOp[]): Promise<Recorded> {
    return recorded(await this.client.send({ op: OpCode.multiRead, ops }));
  }
  async addWatch(path: string, recursive: boolean): Promise<Recorded> {
    const mode = recursive ? AddWatchMode.persistentRecursive : AddWatchMode.persistent;
    return recorded(await this.client.send({ op: OpCode.addWatch, path, mode }));
  }
  async removeWatches(path: string, type: number): Promise<Recorded> {
    return recorded(await this.client.send({ op: OpCode.removeWatches, path, type }));
  }
  async checkWatches(path: string, type: number): Promise<Recorded> {
    return recorded(await this.client.send({ op: OpCode.checkWatches, path, type }));
  }
  async getEphemerals(prefixPath: string): Promise<Recorded> {
    const reply = recorded(await this.client.send({ op: OpCode.getEphemerals, prefixPath }));
    if (Array.isArray(reply['ephemerals'])) reply['ephemerals'] = [...(reply['ephemerals'] as string[])].sort();
    return reply;
  }
  async getAllChildrenNumber(path: string): Promise<Recorded> {
    return recorded(await this.client.send({ op: OpCode.getAllChildrenNumber, path }));
  }
  async whoAmI(): Promise<Recorded> {
    return recorded(await this.client.send({ op: OpCode.whoAmI }));
  }
  async sync(path: string): Promise<Recorded> {
    return recorded(await this.client.send({ op: OpCode.sync, path }));
  }
  async auth(scheme: string, auth: string): Promise<Recorded> {
    return recorded(await this.client.send({ op: OpCode.auth, type: 0, scheme, auth: bytes(auth) }));
  }
  /** The events logged so far, as `TYPE path` strings, cleared. */
  takeEvents(): string[] {
    return this.client.takeEvents().map((event) => `${eventName(event.type)} ${event.path}`);
  }
}

const eventNames: Record<number, string> = {
  [-1]: 'None',
  1: 'NodeCreated',
  2: 'NodeDeleted',
  3: 'NodeDataChanged',
  4: 'NodeChildrenChanged',
  5: 'DataWatchRemoved',
  6: 'ChildWatchRemoved',
  7: 'PersistentWatchRemoved',
};
export function eventName(type: number): string {
  return eventNames[type] ?? `event(${type})`;
}
