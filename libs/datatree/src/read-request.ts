// Reads as FinalRequestProcessor answers them from the local tree: the ACL checks, the response
// body, and which watch the request leaves behind (the caller registers it with its WatchManager).
import {
  ErrorCode,
  Perm,
  type ExistsRequest,
  type GetAclRequest,
  type GetAllChildrenNumberRequest,
  type GetChildrenRequest,
  type GetDataRequest,
  type GetEphemeralsRequest,
  type Id,
  type MultiReadRequest,
  type MultiResult,
  type Response,
} from '@zk/wire';
import { checkAcl, maskDigests } from './acl';
import type { DataTree } from './data-tree';
import type { WatchKind } from './watch-table';

export type ReadRequest =
  | ExistsRequest
  | GetDataRequest
  | GetChildrenRequest
  | GetAclRequest
  | GetEphemeralsRequest
  | GetAllChildrenNumberRequest
  | MultiReadRequest;

export interface WatchRegistration {
  path: string;
  kind: WatchKind;
}

export interface ReadResult {
  err: number;
  response?: Response;
  /** Watches to add for this connection (also on some errors: exists on a missing node watches it). */
  watches: WatchRegistration[];
}

export interface ReadContext {
  sessionId: bigint;
  authIds: Id[];
}

export function readRequest(tree: DataTree, request: ReadRequest, ctx: ReadContext): ReadResult {
  switch (request.op) {
    case 3:
      return exists(tree, request, ctx);
    case 4:
      return getData(tree, request, ctx);
    case 8:
    case 12:
      return getChildren(tree, request, ctx);
    case 6:
      return getAcl(tree, request, ctx);
    case 103:
      return getEphemerals(tree, request, ctx);
    case 104:
      return getAllChildrenNumber(tree, request, ctx);
    case 22:
      return multiRead(tree, request, ctx);
  }
}

function failure(err: number, watches: WatchRegistration[] = []): ReadResult {
  return { err, watches };
}

/**
 * exists: no ACL check, as in ZooKeeper 3.8.0 (the version our differential tests run against; later 3.8
 * releases check READ when the node exists). A missing node is NONODE and still watched.
 */
function exists(tree: DataTree, request: ExistsRequest, _ctx: ReadContext): ReadResult {
  if (request.path.includes('\0')) return failure(ErrorCode.badArguments);
  const node = tree.getNode(request.path);
  const watches: WatchRegistration[] = request.watch ? [{ path: request.path, kind: node ? 'data' : 'exist' }] : [];
  if (node === undefined) return failure(ErrorCode.noNode, watches);
  return { err: ErrorCode.ok, response: { op: 3, stat: node.stat }, watches };
}

function getData(tree: DataTree, request: GetDataRequest, ctx: ReadContext): ReadResult {
  const node = tree.getNode(request.path);
  if (node === undefined) return failure(ErrorCode.noNode);
  if (!checkAcl(node.acl, Perm.read, ctx.authIds)) return failure(ErrorCode.noAuth);
  const watches: WatchRegistration[] = request.watch ? [{ path: request.path, kind: 'data' }] : [];
  return { err: ErrorCode.ok, response: { op: 4, data: node.data, stat: node.stat }, watches };
}

function getChildren(tree: DataTree, request: GetChildrenRequest, ctx: ReadContext): ReadResult {
  const node = tree.getNode(request.path);
  if (node === undefined) return failure(ErrorCode.noNode);
  if (!checkAcl(node.acl, Perm.read, ctx.authIds)) return failure(ErrorCode.noAuth);
  const children = tree.getChildren(request.path);
  const watches: WatchRegistration[] = request.watch ? [{ path: request.path, kind: 'child' }] : [];
  const response: Response = request.op === 8 ? { op: 8, children } : { op: 12, children, stat: node.stat };
  return { err: ErrorCode.ok, response, watches };
}

/** getACL needs READ or ADMIN; without ADMIN digest ids come back as "user:x". */
function getAcl(tree: DataTree, request: GetAclRequest, ctx: ReadContext): ReadResult {
  const node = tree.getNode(request.path);
  if (node === undefined) return failure(ErrorCode.noNode);
  if (!checkAcl(node.acl, Perm.read | Perm.admin, ctx.authIds)) return failure(ErrorCode.noAuth);
  const acl = checkAcl(node.acl, Perm.admin, ctx.authIds) ? node.acl : maskDigests(node.acl);
  return { err: ErrorCode.ok, response: { op: 6, acl, stat: node.stat }, watches: [] };
}

/** The session's ephemerals (applied ones), all of them for a blank or "/" prefix, else by prefix. Sorted. */
function getEphemerals(tree: DataTree, request: GetEphemeralsRequest, ctx: ReadContext): ReadResult {
  const all = tree.ephemeralsOf(ctx.sessionId);
  const prefix = javaTrim(request.prefixPath);
  const ephemerals = prefix === '' || prefix === '/' ? all : all.filter((p) => p.startsWith(request.prefixPath));
  return { err: ErrorCode.ok, response: { op: 103, ephemerals }, watches: [] };
}

function getAllChildrenNumber(tree: DataTree, request: GetAllChildrenNumberRequest, ctx: ReadContext): ReadResult {
  const node = tree.getNode(request.path);
  if (node === undefined) return failure(ErrorCode.noNode);
  if (!checkAcl(node.acl, Perm.read, ctx.authIds)) return failure(ErrorCode.noAuth);
  const totalNumber = tree.allChildrenNumber(request.path) ?? 0;
  return { err: ErrorCode.ok, response: { op: 104, totalNumber }, watches: [] };
}

/**
 * multiRead: each op answers on its own (an error becomes that op's ErrorResult, header err 0).
 * The server rebuilds the ops without their watch flags, so no watch is ever left. Only
 * getChildren (8) and getData (4) deserialize; anything else fails the whole request.
 */
function multiRead(tree: DataTree, request: MultiReadRequest, ctx: ReadContext): ReadResult {
  if (request.ops.some((op) => op.op !== 8 && op.op !== 4)) return failure(ErrorCode.marshallingError);
  const results: MultiResult[] = request.ops.map((op) => {
    const result = op.op === 4 ? getData(tree, { ...op, watch: false }, ctx) : getChildren(tree, { ...op, watch: false }, ctx);
    return result.err === ErrorCode.ok ? (result.response as MultiResult) : { op: -1, err: result.err };
  });
  return { err: ErrorCode.ok, response: { op: 22, results }, watches: [] };
}

/** String.trim() in Java strips code units <= U+0020 from both ends. */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.substring(start, end);
}
