// Applying one txn to the node store, as DataTree.processTxn and FinalRequestProcessor do it:
// the change, the client's response body, the watch triggers in ZooKeeper's order.
import { ErrorCode, type MultiResult, type Response, type Stat } from '@zk/wire';
import { assert } from './assert';
import { isValidTtl, storedEphemeralOwner } from './node-kind';
import { clientStatOf, type NodeStore } from './node-store';
import { parentOf } from './path';
import type { ApplyResult, CreateTxn, TreeEvent, Txn, TxnHeader } from './txn';

export interface ApplyTarget {
  readonly store: NodeStore;
  readonly sessions: Map<bigint, number>;
}

interface OpResult {
  err: number;
  response?: Response;
}

export function applyTxn(target: ApplyTarget, header: TxnHeader, txn: Txn): ApplyResult {
  const events: TreeEvent[] = [];
  if (txn.type === 'multi') return applyMulti(target.store, header, txn.txns, events);
  const result = applyOne(target, header, txn, events);
  return { err: result.err, replyErr: result.err, ...(result.response ? { response: result.response } : {}), events };
}

function applyOne(target: ApplyTarget, header: TxnHeader, txn: Txn, events: TreeEvent[]): OpResult {
  const { store } = target;
  switch (txn.type) {
    case 'create':
      return applyCreate(store, header, txn, events);
    case 'delete': {
      const err = store.delete(txn.path, header.zxid, events);
      return err === ErrorCode.ok ? { err, response: { op: txn.responseOp ?? 2 } } : { err };
    }
    case 'setData': {
      const err = store.setData(txn.path, txn.data, txn.version, header.zxid, header.timeMs, events);
      return err === ErrorCode.ok ? { err, response: { op: 5, stat: statOf(store, txn.path) } } : { err };
    }
    case 'setAcl': {
      const err = store.setAcl(txn.path, txn.acl, txn.version);
      return err === ErrorCode.ok ? { err, response: { op: 7, stat: statOf(store, txn.path) } } : { err };
    }
    case 'check':
      return { err: ErrorCode.ok, response: { op: 13 } };
    case 'error':
      return { err: txn.err };
    case 'createSession':
      assert(Number.isInteger(txn.timeoutMs) && txn.timeoutMs >= 0, `bad session timeout ${txn.timeoutMs}`);
      target.sessions.set(header.sessionId, txn.timeoutMs);
      return { err: ErrorCode.ok };
    case 'closeSession':
      killSession(store, header, txn.paths, events);
      target.sessions.delete(header.sessionId);
      return { err: ErrorCode.ok, response: { op: -11 } };
    case 'multi':
      throw new Error('a multi cannot be nested');
  }
}

function applyCreate(store: NodeStore, header: TxnHeader, txn: CreateTxn, events: TreeEvent[]): OpResult {
  assertCreateShape(header, txn);
  const err = store.create(
    txn.path,
    { data: txn.data, acl: txn.acl, kind: txn.kind, ttlMs: txn.ttlMs, ephemeralOwner: txn.ephemeralOwner },
    txn.parentCversion,
    header.zxid,
    header.timeMs,
    events,
  );
  if (err === ErrorCode.nodeExists && txn.responseOp === 1) {
    // processTxn's replay fix-up: a create that finds its node still moves the parent's cversion on.
    store.setCversionPzxid(parentOf(txn.path), txn.parentCversion, header.zxid);
  }
  if (err !== ErrorCode.ok) return { err };
  if (txn.responseOp === 1) return { err, response: { op: 1, path: txn.path } };
  return { err, response: { op: txn.responseOp, path: txn.path, stat: statOf(store, txn.path) } };
}

/** The txn must say the same thing in all its fields: ZooKeeper's txn types carry kind and owner implicitly. */
function assertCreateShape(header: TxnHeader, txn: CreateTxn): void {
  const { kind, responseOp } = txn;
  if (kind === 'container') assert(responseOp === 19, `container create with responseOp ${responseOp}`);
  else if (kind === 'ttl') {
    assert(responseOp === 21, `ttl create with responseOp ${responseOp}`);
    assert(txn.ttlMs !== undefined && isValidTtl(txn.ttlMs), `ttl create with ttl ${txn.ttlMs}`);
  } else assert(responseOp === 1 || responseOp === 15, `${kind} create with responseOp ${responseOp}`);
  if (kind === 'ephemeral') assert(header.sessionId !== 0n, 'an ephemeral needs a session');
  const owner = storedEphemeralOwner(kind, header.sessionId, txn.ttlMs);
  assert(txn.ephemeralOwner === owner, `create ${txn.path}: ephemeralOwner ${txn.ephemeralOwner} != ${owner} for ${kind}`);
}

/**
 * processTxn's multi: if any op is an error txn nothing is applied; the ops before it answer
 * OK (0), it answers its code, the ops after it RUNTIMEINCONSISTENCY. The reply header says 0.
 */
function applyMulti(store: NodeStore, header: TxnHeader, txns: Txn[], events: TreeEvent[]): ApplyResult {
  const failed = txns.some((t) => t.type === 'error');
  let afterFailure = false;
  let err: number = ErrorCode.ok;
  const results: MultiResult[] = [];
  for (const sub of txns) {
    assert(['create', 'delete', 'setData', 'check', 'error'].includes(sub.type), `a multi cannot hold ${sub.type}`);
    let effective: Txn = sub;
    if (sub.type === 'error') afterFailure = true;
    else if (failed) effective = { type: 'error', err: afterFailure ? ErrorCode.runtimeInconsistency : ErrorCode.ok };
    const result = applyOne({ store, sessions: new Map() }, header, effective, events);
    if (result.err !== ErrorCode.ok && err === ErrorCode.ok) err = result.err;
    results.push(multiResultOf(effective, result));
  }
  assert(!failed || events.length === 0, 'a failed multi changed the tree');
  return { err, replyErr: ErrorCode.ok, response: { op: 14, results }, events };
}

function multiResultOf(txn: Txn, result: OpResult): MultiResult {
  if (txn.type === 'error' || result.err !== ErrorCode.ok) return { op: -1, err: result.err };
  const response = result.response;
  assert(response !== undefined, `${txn.type} in a multi gave no result`);
  switch (response.op) {
    case 1:
    case 15:
    case 19:
    case 21:
    case 5:
      return response as MultiResult;
    case 2:
    case 20:
      return { op: 2 };
    case 13:
      return { op: 13 };
    default:
      throw new Error(`unexpected multi result op ${response.op}`);
  }
}

/**
 * DataTree.killSession: the txn's paths first (a missing one is skipped), then any ephemeral of
 * the session the txn did not list, in sorted order.
 */
function killSession(store: NodeStore, header: TxnHeader, paths: string[], events: TreeEvent[]): void {
  for (const path of paths) store.delete(path, header.zxid, events);
  const leftovers = [...store.ephemerals(header.sessionId)].sort();
  for (const path of leftovers) store.delete(path, header.zxid, events);
  assert(store.ephemerals(header.sessionId).size === 0, 'closeSession left ephemerals behind');
}

function statOf(store: NodeStore, path: string): Stat {
  const node = store.get(path);
  assert(node !== undefined, `${path} vanished`);
  return clientStatOf(node);
}
