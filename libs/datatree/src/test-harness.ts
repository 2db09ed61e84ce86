// A test driver for specs: prepares requests and applies their txns in zxid order, the way the
// leader's pipeline does, so specs read as client conversations. Not exported from the package.
import type { CreateRequest, Id } from '@zk/wire';
import { DataTree } from './data-tree';
import { Preparer, type PreparerOptions, type RequestContext, type WriteRequest } from './preparer';
import type { ApplyResult, Txn, TxnHeader } from './txn';

export const IP_LOCAL: Id = { scheme: 'ip', id: '127.0.0.1' };

export interface Caller {
  sessionId?: bigint;
  authIds?: Id[];
  sessionError?: number;
}

export interface Prepared {
  header: TxnHeader;
  txn: Txn;
}

export class Harness {
  readonly tree = new DataTree();
  readonly preparer: Preparer;
  private zxidNext = 1n;
  timeMs = 1_000;

  constructor(options: Partial<PreparerOptions> = {}) {
    this.preparer = new Preparer(this.tree, { maxDataBytes: 0xfffff, extendedTypesEnabled: true, ...options });
  }

  /** Prepare only: the txn is outstanding until apply(prepared). */
  prepare(request: WriteRequest, caller: Caller = {}): Prepared {
    const ctx = this.context(caller);
    const txn = this.preparer.prepare(request, ctx);
    return { header: { sessionId: ctx.sessionId, cxid: ctx.cxid, zxid: ctx.zxid, timeMs: ctx.timeMs }, txn };
  }

  apply(prepared: Prepared): ApplyResult {
    const result = this.tree.apply(prepared.header, prepared.txn);
    this.preparer.applied(prepared.header.zxid);
    return result;
  }

  /** Prepare and apply at once: one request through the whole write pipeline. */
  run(request: WriteRequest, caller: Caller = {}): ApplyResult & { txn: Txn } {
    const prepared = this.prepare(request, caller);
    return { ...this.apply(prepared), txn: prepared.txn };
  }

  createSession(sessionId: bigint, timeoutMs = 30_000): ApplyResult {
    const header = this.header(sessionId);
    const result = this.tree.apply(header, this.preparer.prepareCreateSession(timeoutMs));
    this.preparer.applied(header.zxid);
    return result;
  }

  prepareCloseSession(sessionId: bigint): Prepared {
    const header = this.header(sessionId);
    return { header, txn: this.preparer.prepareCloseSession(sessionId, header.zxid) };
  }

  closeSession(sessionId: bigint): ApplyResult {
    return this.apply(this.prepareCloseSession(sessionId));
  }

  header(sessionId: bigint): TxnHeader {
    return { sessionId, cxid: 0, zxid: this.zxidNext++, timeMs: this.timeMs };
  }

  private context(caller: Caller): RequestContext {
    return {
      sessionId: caller.sessionId ?? 1n,
      cxid: 0,
      zxid: this.zxidNext++,
      timeMs: this.timeMs,
      authIds: caller.authIds ?? [IP_LOCAL],
      ...(caller.sessionError === undefined ? {} : { sessionError: caller.sessionError }),
    };
  }
}

export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
export const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

export function create(path: string, flags = 0, data = '', acl = OPEN): CreateRequest {
  return { op: 1, path, data: bytes(data), acl, flags };
}
