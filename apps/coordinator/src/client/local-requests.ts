// Requests answered by this server without a txn: reads against the local tree (with their watches),
// and the connection-scoped ones (auth, watches, whoAmI, sync, ping). Writes go to the write path instead.
import { readRequest, type DataTree, type WatchKind, type WatchManager } from '@zk/datatree';
import { AddWatchMode, ErrorCode, OpCode, type Id, type Request, type Response } from '@zk/wire';
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

type ReadOp = Extract<Request, { op: 3 | 4 | 6 | 8 | 12 | 22 | 103 | 104 }>;

export function isReadOp(request: Request): request is ReadOp {
  switch (request.op) {
    case OpCode.exists:
    case OpCode.getData:
    case OpCode.getACL:
    case OpCode.getChildren:
    case OpCode.getChildren2:
    case OpCode.multiRead:
    case OpCode.getEphemerals:
    case OpCode.getAllChildrenNumber:
      return true;
    default:
      return false;
  }
}

/** A read, evaluated when every earlier request of the session is done, then its watch registered. */
export function answerRead(ctx: LocalContext, request: ReadOp): Outcome {
  const { err, response } = readRequest(ctx.tree, request, { sessionId: ctx.sessionId, authIds: ctx.authIds });
  const watch = watchToRegister(request, err);
  if (watch) ctx.watches.add(watch.path, ctx.watcher, watch.kind);
  if (request.op === OpCode.multiRead) {
    // multiRead ops may carry watch flags too; each registers as its single-op twin would.
    const results = response && 'results' in response ? response.results : [];
    request.ops.forEach((op, index) => {
      const result = results[index];
      const opErr = result && result.op === -1 ? result.err : ErrorCode.ok;
      const opWatch = watchToRegister(op, opErr);
      if (opWatch) ctx.watches.add(opWatch.path, ctx.watcher, opWatch.kind);
    });
  }
  return { err, response, zxid: ctx.tree.lastZxid };
}

function watchToRegister(request: Request, err: number): { path: string; kind: WatchKind } | undefined {
  switch (request.op) {
    case OpCode.exists:
      // exists on a missing node still leaves a watch: it fires when the node is created.
      if (!request.watch) return undefined;
      if (err === ErrorCode.ok) return { path: request.path, kind: 'data' };
      if (err === ErrorCode.noNode) return { path: request.path, kind: 'exist' };
      return undefined;
    case OpCode.getData:
      return request.watch && err === ErrorCode.ok ? { path: request.path, kind: 'data' } : undefined;
    case OpCode.getChildren:
    case OpCode.getChildren2:
      return request.watch && err === ErrorCode.ok ? { path: request.path, kind: 'child' } : undefined;
    default:
      return undefined;
  }
}

export function answerAddWatch(ctx: LocalContext, path: string, mode: number): Outcome {
  const kind: WatchKind | undefined = mode === AddWatchMode.persistent ? 'persistent' : mode === AddWatchMode.persistentRecursive ? 'persistentRecursive' : undefined;
  if (kind === undefined) return { err: ErrorCode.badArguments, zxid: ctx.tree.lastZxid };
  ctx.watches.add(path, ctx.watcher, kind);
  return { err: ErrorCode.ok, response: { op: OpCode.addWatch }, zxid: ctx.tree.lastZxid };
}

export function answerRemoveWatches(ctx: LocalContext, op: 17 | 18, path: string, watcherType: number): Outcome {
  const found = ctx.watches.remove(path, ctx.watcher, watcherType, op === OpCode.checkWatches);
  return found ? { err: ErrorCode.ok, response: { op }, zxid: ctx.tree.lastZxid } : { err: ErrorCode.noWatcher, zxid: ctx.tree.lastZxid };
}

export function answerWhoAmI(ctx: LocalContext): Outcome {
  return {
    err: ErrorCode.ok,
    response: { op: OpCode.whoAmI, clientInfo: ctx.authIds.map((id) => ({ authScheme: id.scheme, user: id.id })) },
    zxid: ctx.tree.lastZxid,
  };
}
