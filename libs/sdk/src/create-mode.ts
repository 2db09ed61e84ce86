// Create modes (ZooKeeper's CreateMode) by name, and the create request each one needs.
import { CreateFlag, NULL_DATA, OpCode, type Acl, type CreateRequest } from '@zk/wire';
import { BadArgumentsError } from './errors';

export type CreateMode = keyof typeof CreateFlag;

export interface CreateOptions {
  mode?: CreateMode;
  /** Defaults to the client's default ACL (OPEN_ACL_UNSAFE unless configured). */
  acl?: readonly Acl[];
  /** Required for the *WithTtl modes: the node is deleted after this long without changes or children. */
  ttlMs?: number;
}

export function isSequential(mode: CreateMode): boolean {
  return mode === 'persistentSequential' || mode === 'ephemeralSequential' || mode === 'persistentSequentialWithTtl';
}

/** The wire request for a create: create2 (path + stat back), createContainer or createTTL. */
export function createRequest(serverPath: string, data: Uint8Array, acl: readonly Acl[], options: CreateOptions): CreateRequest {
  const mode = options.mode ?? 'persistent';
  const flags = CreateFlag[mode];
  const withTtl = mode === 'persistentWithTtl' || mode === 'persistentSequentialWithTtl';
  if (withTtl !== (options.ttlMs !== undefined)) {
    throw new BadArgumentsError(serverPath, withTtl ? `mode ${mode} needs ttlMs` : `ttlMs is only for the *WithTtl modes, not ${mode}`);
  }
  const base = { path: serverPath, data: data === NULL_DATA ? NULL_DATA : data, acl: [...acl], flags };
  if (withTtl) {
    const ttlMs = options.ttlMs as number;
    if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new BadArgumentsError(serverPath, `ttlMs ${ttlMs} must be a positive integer`);
    return { op: OpCode.createTTL, ...base, ttl: BigInt(ttlMs) };
  }
  return { op: mode === 'container' ? OpCode.createContainer : OpCode.create2, ...base };
}
