// Requests answered by this server without a txn: reads against the local tree (with their watches),
// and the connection-scoped ones (auth, watches, whoAmI, sync, ping). Writes go to the write path instead.
import { isValidWatcherType, readRequest, validatePath, type DataTree, type ReadRequest, type WatchKind, type WatchManager } from '@zk/datatree';
import { AddWatchMode, ErrorCode, OpCode, type Id, type Response } from '@zk/wire';
import type { Watcher } from '../server/zk-database';

export interface Outcome {
  err: number;
  response?: Response;
  zxid: bigint;
  /** After this reply, the connection is closed (auth failure, closeSession). */
  closeAfter?: boolean;
}

export interface LocalContext {
  tree: DataTree;
  watches: WatchManager<Watcher>;
  watcher: Watcher;
  sessionId: bigint;
  authIds: Id[];
}

/** A read, evaluated when every earlier request of the session is done, then its watches registered. */
export function answerRead(ctx: LocalContext, request: ReadRequest): Outcome {
  const { err, response, watches } = readRequest(ctx.tree, request, { sessionId: ctx.sessionId, authIds: ctx.authIds });
  for (const watch of watches) ctx.watches.add(watch.path, ctx.watcher, watch.kind);
  return { err, response, zxid: ctx.tree.lastZxid };
}

export function answerAddWatch(ctx: LocalContext, path: string, mode: number): Outcome {
  const kind: WatchKind | undefined = mode === AddWatchMode.persistent ? 'persistent' : mode === AddWatchMode.persistentRecursive ? 'persistentRecursive' : undefined;
  if (kind === undefined) return { err: ErrorCode.marshallingError, zxid: ctx.tree.lastZxid };
  ctx.watches.add(path, ctx.watcher, kind);
  return { err: ErrorCode.ok, response: { op: OpCode.addWatch }, zxid: ctx.tree.lastZxid };
}

export function answerRemoveWatches(ctx: LocalContext, op: 17 | 18, path: string, watcherType: number): Outcome {
  // ZooKeeper rejects both while reading the request, hence MARSHALLINGERROR rather than BADARGUMENTS.
  if (!isValidWatcherType(watcherType) || validatePath(path) !== undefined) return { err: ErrorCode.marshallingError, zxid: ctx.tree.lastZxid };
  const found = ctx.watches.remove(path, ctx.watcher, watcherType, op === OpCode.checkWatches);
  return found ? { err: ErrorCode.ok, response: { op }, zxid: ctx.tree.lastZxid } : { err: ErrorCode.noWatcher, zxid: ctx.tree.lastZxid };
}

export function answerWhoAmI(ctx: LocalContext): Outcome {
  return {
    err: ErrorCode.ok,
    response: { op: OpCode.whoAmI, clientInfo: ctx.authIds.map((id) => ({ authScheme: id.scheme, user: userNameOf(id) })) },
    zxid: ctx.tree.lastZxid,
  };
}

/** What ZooKeeper's auth providers report as the user: the digest scheme's user name, else the id itself. */
function userNameOf(id: Id): string {
  if (id.scheme !== 'digest') return id.id;
  const colon = id.id.indexOf(':');
  return colon < 0 ? id.id : id.id.slice(0, colon);
}
