// PrepRequestProcessor: validates a write against the tree plus the outstanding (prepared, not yet
// applied) changes, in ZooKeeper's order of checks, and turns it into a Txn or an error txn.
import {
  ErrorCode,
  Perm,
  type CheckVersionRequest,
  type CreateRequest,
  type DeleteRequest,
  type Id,
  type MultiRequest,
  type SetAclRequest,
  type SetDataRequest,
} from '@zk/wire';
import { assert } from './assert';
import { checkAcl, fixupAcl } from './acl';
import { OutstandingChanges, type LiveRecord } from './change-records';
import { createModeFromFlag, normalizeMultiOp } from './create-mode';
import type { DataTree } from './data-tree';
import { isValidTtl, storedEphemeralOwner, type NodeKind } from './node-kind';
import { isSpecialPath, parentOf, sequenceSuffix, validatePath } from './path';
import { createPersistedStat, nextInt32 } from './stat';
import type { Txn } from './txn';

export interface RequestContext {
  sessionId: bigint;
  cxid: number;
  zxid: bigint;
  timeMs: number;
  authIds: Id[];
  /**
   * The error ZooKeeper's sessionTracker.checkSession would raise for this session (e.g.
   * SESSIONEXPIRED -112, SESSIONMOVED -118), if any. It is raised where ZooKeeper checks: first
   * for delete/setData/setACL/check, after the flag and TTL checks for create, never for
   * deleteContainer; per op inside a multi.
   */
  sessionError?: number;
}

export interface PreparerOptions {
  maxDataBytes: number;
  extendedTypesEnabled: boolean;
}

export type WriteRequest = CreateRequest | DeleteRequest | SetDataRequest | SetAclRequest | CheckVersionRequest | MultiRequest;

/** A KeeperException inside the preparer: becomes an error txn at the edge, never escapes. */
class Rejected {
  constructor(readonly code: number) {}
}

function reject(code: number): never {
  throw new Rejected(code);
}

export class Preparer {
  private readonly changes: OutstandingChanges;

  constructor(
    private readonly tree: DataTree,
    private readonly options: PreparerOptions,
  ) {
    this.changes = new OutstandingChanges(tree);
  }

  prepare(request: WriteRequest, ctx: RequestContext): Txn {
    if (request.op === 14) return this.prepareMulti(request, ctx);
    try {
      return this.prepareOp(request, ctx);
    } catch (e) {
      if (e instanceof Rejected) return { type: 'error', err: e.code };
      throw e;
    }
  }

  prepareCreateSession(timeoutMs: number): Txn {
    assert(Number.isInteger(timeoutMs) && timeoutMs >= 0, `bad session timeout ${timeoutMs}`);
    return { type: 'createSession', timeoutMs };
  }

  /**
   * The session's ephemerals, pending creates included and pending deletes excluded, sorted.
   * With `zxid` (the zxid this closeSession txn gets) the deletions are recorded as outstanding
   * changes, as ZooKeeper does, so that requests prepared before it applies see the nodes gone.
   */
  prepareCloseSession(sessionId: bigint, zxid?: bigint): Txn {
    const paths = new Set(this.tree.ephemeralsOf(sessionId));
    for (const record of this.changes.pending()) {
      if (record.stat === null) paths.delete(record.path);
      else if (record.kind === 'ephemeral' && record.stat.ephemeralOwner === sessionId) paths.add(record.path);
    }
    const sorted = [...paths].sort();
    if (zxid !== undefined) {
      for (const path of sorted) {
        const node = this.changes.get(path);
        const parent = this.changes.get(parentOf(path));
        if (node === undefined || parent === undefined) continue;
        this.changes.add({ ...parent, zxid, childCount: parent.childCount - 1, stat: { ...parent.stat, pzxid: zxid } });
        this.changes.add({ ...node, zxid, stat: null });
      }
    }
    return { type: 'closeSession', paths: sorted };
  }

  /** Call after tree.apply(zxid): those txns' outstanding changes are in the tree now. */
  applied(zxid: bigint): void {
    this.changes.applied(zxid);
  }

  /** Forget all outstanding changes (e.g. when this server stops leading). */
  reset(): void {
    this.changes.clear();
  }

  get outstandingCount(): number {
    return this.changes.size;
  }

  /**
   * The multi: ops are prepared in order against each other's changes; at the first failure the
   * changes are rolled back, the op gets an error txn with its code and the rest RUNTIMEINCONSISTENCY.
   */
  private prepareMulti(request: MultiRequest, ctx: RequestContext): Txn {
    const ops = request.ops.map(normalizeMultiOp);
    if (ops.some((op) => op === undefined)) return { type: 'error', err: ErrorCode.marshallingError };
    const txns: Txn[] = [];
    let failed = false;
    this.changes.begin();
    for (const op of ops) {
      if (failed) {
        txns.push({ type: 'error', err: ErrorCode.runtimeInconsistency });
        continue;
      }
      try {
        txns.push(this.prepareOp(op as NonNullable<typeof op>, ctx));
      } catch (e) {
        this.changes.rollback();
        if (!(e instanceof Rejected)) throw e;
        failed = true;
        txns.push({ type: 'error', err: e.code });
      }
    }
    if (!failed) this.changes.commit();
    return { type: 'multi', txns };
  }

  private prepareOp(request: Exclude<WriteRequest, MultiRequest>, ctx: RequestContext): Txn {
    switch (request.op) {
      case 1:
      case 15:
      case 19:
      case 21:
        return this.prepareCreate(request, ctx);
      case 2:
        return this.prepareDelete(request, ctx);
      case 20:
        return this.prepareDeleteContainer(request, ctx);
      case 5:
        return this.prepareSetData(request, ctx);
      case 7:
        return this.prepareSetAcl(request, ctx);
      case 13:
        return this.prepareCheck(request, ctx);
    }
  }

  private prepareCreate(request: CreateRequest, ctx: RequestContext): Txn {
    this.checkDataSize(request.data);
    const mode = createModeFromFlag(request.flags) ?? reject(ErrorCode.badArguments);
    // validateCreateRequest
    const ttl = request.op === 21 ? (request.ttl ?? -1n) : -1n;
    if (mode.ttl && !this.options.extendedTypesEnabled) reject(ErrorCode.unimplemented);
    if (mode.ttl ? !isValidTtl(ttl) : ttl >= 0n) reject(ErrorCode.badArguments);
    // ZooKeeper would accept a createTTL with a non-TTL mode and a negative ttl, then fail applying it.
    if (request.op === 21 && !mode.ttl) reject(ErrorCode.badArguments);
    this.checkSession(ctx);
    // validatePathForCreate
    const lastSlash = request.path.lastIndexOf('/');
    if (lastSlash === -1 || request.path.includes('\0')) reject(ErrorCode.badArguments);
    const acl = fixupAcl(request.acl, ctx.authIds) ?? reject(ErrorCode.invalidACL);
    const parent = this.record(request.path.substring(0, lastSlash));
    if (!checkAcl(parent.acl, Perm.create, ctx.authIds)) reject(ErrorCode.noAuth);
    const path = mode.sequential ? request.path + sequenceSuffix(parent.stat.cversion) : request.path;
    if (validatePath(path) !== undefined) reject(ErrorCode.badArguments);
    if (this.changes.get(path) !== undefined) reject(ErrorCode.nodeExists);
    if (parent.kind === 'ephemeral') reject(ErrorCode.noChildrenForEphemerals);

    const kind: NodeKind =
      request.op === 19 ? 'container' : request.op === 21 ? 'ttl' : mode.ephemeral && ctx.sessionId !== 0n ? 'ephemeral' : 'persistent';
    const ttlMs = kind === 'ttl' ? Number(ttl) : undefined;
    const ephemeralOwner = storedEphemeralOwner(kind, ctx.sessionId, ttlMs);
    const parentCversion = nextInt32(parent.stat.cversion);
    this.changes.add({
      ...parent,
      zxid: ctx.zxid,
      childCount: parent.childCount + 1,
      stat: { ...parent.stat, cversion: parentCversion, pzxid: ctx.zxid },
    });
    const stat = createPersistedStat(ctx.zxid, BigInt(ctx.timeMs), ephemeralOwner);
    this.changes.add({ zxid: ctx.zxid, path, stat, childCount: 0, acl, data: request.data, kind });
    return {
      type: 'create',
      path,
      data: request.data,
      acl,
      ephemeralOwner,
      parentCversion,
      kind,
      ...(ttlMs === undefined ? {} : { ttlMs }),
      responseOp: request.op,
    };
  }

  private prepareDelete(request: DeleteRequest, ctx: RequestContext): Txn {
    this.checkSession(ctx);
    const parentPath = this.parentForDelete(request.path);
    const parent = this.record(parentPath);
    if (!checkAcl(parent.acl, Perm.delete, ctx.authIds)) reject(ErrorCode.noAuth);
    const node = this.record(request.path);
    this.checkVersion(node.stat.version, request.version);
    if (node.childCount > 0) reject(ErrorCode.notEmpty);
    this.recordDelete(parent, node, ctx.zxid);
    return { type: 'delete', path: request.path };
  }

  /**
   * deleteContainer (op 20, sent for containersToDelete): no ACL or version check. ZooKeeper
   * refuses only ephemerals (BADVERSION); we refuse every node that is not a container or TTL,
   * so a container replaced by a persistent node since it was chosen is never deleted.
   */
  private prepareDeleteContainer(request: DeleteRequest, ctx: RequestContext): Txn {
    const parentPath = this.parentForDelete(request.path);
    const node = this.record(request.path);
    if (node.childCount > 0) reject(ErrorCode.notEmpty);
    if (node.kind !== 'container' && node.kind !== 'ttl') reject(ErrorCode.badVersion);
    const parent = this.record(parentPath);
    this.recordDelete(parent, node, ctx.zxid);
    return { type: 'delete', path: request.path, responseOp: 20 };
  }

  private prepareSetData(request: SetDataRequest, ctx: RequestContext): Txn {
    this.checkDataSize(request.data);
    this.checkSession(ctx);
    if (validatePath(request.path) !== undefined) reject(ErrorCode.badArguments);
    const node = this.record(request.path);
    if (!checkAcl(node.acl, Perm.write, ctx.authIds)) reject(ErrorCode.noAuth);
    const version = this.checkVersion(node.stat.version, request.version);
    const stat = { ...node.stat, version, mtime: BigInt(ctx.timeMs), mzxid: ctx.zxid };
    this.changes.add({ ...node, zxid: ctx.zxid, stat, data: request.data });
    return { type: 'setData', path: request.path, data: request.data, version };
  }

  private prepareSetAcl(request: SetAclRequest, ctx: RequestContext): Txn {
    this.checkSession(ctx);
    if (validatePath(request.path) !== undefined) reject(ErrorCode.badArguments);
    const acl = fixupAcl(request.acl, ctx.authIds) ?? reject(ErrorCode.invalidACL);
    const node = this.record(request.path);
    if (!checkAcl(node.acl, Perm.admin, ctx.authIds)) reject(ErrorCode.noAuth);
    const version = this.checkVersion(node.stat.aversion, request.version);
    // ZooKeeper's record keeps the old ACL until the txn applies; later requests are checked against the new one here.
    this.changes.add({ ...node, zxid: ctx.zxid, stat: { ...node.stat, aversion: version }, acl });
    return { type: 'setAcl', path: request.path, acl, version };
  }

  private prepareCheck(request: CheckVersionRequest, ctx: RequestContext): Txn {
    this.checkSession(ctx);
    if (validatePath(request.path) !== undefined) reject(ErrorCode.badArguments);
    const node = this.record(request.path);
    if (!checkAcl(node.acl, Perm.read, ctx.authIds)) reject(ErrorCode.noAuth);
    return { type: 'check', path: request.path, version: this.checkVersion(node.stat.version, request.version) };
  }

  private checkSession(ctx: RequestContext): void {
    if (ctx.sessionError !== undefined && ctx.sessionError !== ErrorCode.ok) reject(ctx.sessionError);
  }

  private record(path: string): LiveRecord {
    return this.changes.get(path) ?? reject(ErrorCode.noNode);
  }

  /** getParentPathAndValidate. */
  private parentForDelete(path: string): string {
    const lastSlash = path.lastIndexOf('/');
    if (lastSlash === -1 || path.includes('\0') || isSpecialPath(path)) reject(ErrorCode.badArguments);
    return path.substring(0, lastSlash);
  }

  private recordDelete(parent: LiveRecord, node: LiveRecord, zxid: bigint): void {
    this.changes.add({ ...parent, zxid, childCount: parent.childCount - 1, stat: { ...parent.stat, pzxid: zxid } });
    this.changes.add({ ...node, zxid, stat: null });
  }

  /** checkAndIncVersion: -1 matches any version. Returns the next version. */
  private checkVersion(current: number, expected: number): number {
    if (expected !== -1 && expected !== current) reject(ErrorCode.badVersion);
    return nextInt32(current);
  }

  /** ZooKeeper rejects such a frame before parsing it (jute.maxbuffer); here it is BADARGUMENTS. */
  private checkDataSize(data: Uint8Array): void {
    if (data.length > this.options.maxDataBytes) reject(ErrorCode.badArguments);
  }
}
