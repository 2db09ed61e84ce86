// The raw tree over REST for the dashboard's browser/editor: read a node (data, stat, children, ACL), create,
// set data, delete (optionally recursive) and set ACLs, all through the platform's session; versions as If-Match.
import { Inject, Injectable } from '@nestjs/common';
import { validatePath, type Acl, type CreateMode, type Stat } from '@zk/sdk';
import { badRequest } from '../shared/http-errors';
import { PlatformZk } from '../shared/platform-zk';

export interface StatBody {
  czxid: string;
  mzxid: string;
  pzxid: string;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: string;
  dataLength: number;
  numChildren: number;
}

export interface NodeBody {
  path: string;
  stat: StatBody;
  data: string;
  encoding: 'utf8' | 'base64';
  children: string[];
  acl: Array<{ scheme: string; id: string; perms: number }>;
}

export const TREE_MODES = ['persistent', 'ephemeral', 'persistent_sequential', 'ephemeral_sequential', 'container', 'ttl'] as const;
export type TreeMode = (typeof TREE_MODES)[number];

const MODE_OF: Record<TreeMode, CreateMode> = {
  persistent: 'persistent',
  ephemeral: 'ephemeral',
  persistent_sequential: 'persistentSequential',
  ephemeral_sequential: 'ephemeralSequential',
  container: 'container',
  ttl: 'persistentWithTtl',
};

const hex = (value: bigint): string => `0x${value.toString(16)}`;

export function statBody(stat: Stat): StatBody {
  return {
    czxid: hex(stat.czxid),
    mzxid: hex(stat.mzxid),
    pzxid: hex(stat.pzxid),
    ctime: Number(stat.ctime),
    mtime: Number(stat.mtime),
    version: stat.version,
    cversion: stat.cversion,
    aversion: stat.aversion,
    ephemeralOwner: hex(stat.ephemeralOwner),
    dataLength: stat.dataLength,
    numChildren: stat.numChildren,
  };
}

export function checkTreePath(path: unknown): string {
  if (typeof path !== 'string' || path.length === 0 || path.length > 4096) throw badRequest('path must be one absolute znode path, e.g. ?path=/a/b');
  try {
    validatePath(path);
  } catch (error) {
    throw badRequest(`path ${JSON.stringify(path)} is not a valid znode path: ${(error as Error).message}`);
  }
  return path;
}

function encode(data: Uint8Array): { data: string; encoding: 'utf8' | 'base64' } {
  try {
    return { data: new TextDecoder('utf-8', { fatal: true }).decode(data), encoding: 'utf8' };
  } catch {
    return { data: Buffer.from(data).toString('base64'), encoding: 'base64' };
  }
}

function decode(data: string | undefined, encoding: 'utf8' | 'base64' | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  if (encoding === 'base64') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) throw badRequest('data is not valid base64');
    return new Uint8Array(Buffer.from(data, 'base64'));
  }
  return new TextEncoder().encode(data);
}

@Injectable()
export class TreeService {
  constructor(@Inject(PlatformZk) private readonly zk: PlatformZk) {}

  async get(path: string): Promise<NodeBody> {
    checkTreePath(path);
    await this.zk.sync();
    const [{ data, stat }, children, { acl }] = await Promise.all([
      this.zk.run((client) => client.getData(path)),
      this.zk.run((client) => client.getChildren(path)),
      this.zk.run((client) => client.getAcl(path)),
    ]);
    return { path, stat: statBody(stat), ...encode(data), children: children.sort(), acl: acl.map((a) => ({ scheme: a.id.scheme, id: a.id.id, perms: a.perms })) };
  }

  async create(body: { path: string; data?: string; encoding?: 'utf8' | 'base64'; mode: TreeMode; ttlMs?: number }): Promise<{ path: string; stat: StatBody | null }> {
    checkTreePath(body.path);
    if ((body.mode === 'ttl') !== (body.ttlMs !== undefined)) throw badRequest(body.mode === 'ttl' ? 'mode ttl needs ttlMs' : 'ttlMs is only for mode ttl');
    const created = await this.zk.run((client) => client.create(body.path, decode(body.data, body.encoding), { mode: MODE_OF[body.mode], ...(body.ttlMs === undefined ? {} : { ttlMs: body.ttlMs }) }));
    return { path: created.path, stat: created.stat ? statBody(created.stat) : null };
  }

  async setData(path: string, data: string, encoding: 'utf8' | 'base64' | undefined, version: number | undefined): Promise<{ stat: StatBody }> {
    checkTreePath(path);
    const stat = await this.zk.run((client) => client.setData(path, decode(data, encoding), version ?? -1));
    return { stat: statBody(stat) };
  }

  async remove(path: string, recursive: boolean, version: number | undefined): Promise<void> {
    checkTreePath(path);
    if (path === '/' || path === '/zookeeper') throw badRequest(`${path} cannot be deleted`);
    if (recursive) {
      if (version !== undefined) throw badRequest('If-Match cannot be combined with recursive=true');
      await this.zk.run((client) => client.deleteRecursive(path));
      return;
    }
    await this.zk.run((client) => client.delete(path, version ?? -1));
  }

  async setAcl(path: string, acl: Array<{ scheme: string; id: string; perms: number }>, version: number | undefined): Promise<{ stat: StatBody }> {
    checkTreePath(path);
    const list: Acl[] = acl.map((a) => ({ perms: a.perms, id: { scheme: a.scheme, id: a.id } }));
    const stat = await this.zk.run((client) => client.setAcl(path, list, version ?? -1));
    return { stat: statBody(stat) };
  }
}
