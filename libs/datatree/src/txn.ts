// The transactions the tree applies (ZooKeeper's txn records, with the node kind spelled out)
// and what applying one yields: the error, the client's response body and the watch triggers.
import type { Acl, Response } from '@zk/wire';
import type { NodeKind } from './node-kind';

export interface TxnHeader {
  sessionId: bigint;
  cxid: number;
  zxid: bigint;
  timeMs: number;
}

export interface CreateTxn {
  type: 'create';
  path: string;
  data: Uint8Array;
  acl: Acl[];
  /** The stored owner: the session for ephemerals (= header.sessionId), the container/TTL encoding, else 0. */
  ephemeralOwner: bigint;
  /** The parent's stored cversion after this create (-1: parent's + 1). */
  parentCversion: number;
  kind: NodeKind;
  ttlMs?: number;
  /** 1 → CreateResponse; 15/19/21 → Create2Response. Container ⇔ 19, TTL ⇔ 21 (ZooKeeper's txn types). */
  responseOp: 1 | 15 | 19 | 21;
}

export type Txn =
  | CreateTxn
  | { type: 'delete'; path: string; responseOp?: 2 | 20 }
  | { type: 'setData'; path: string; data: Uint8Array; version: number }
  | { type: 'setAcl'; path: string; acl: Acl[]; version: number }
  | { type: 'check'; path: string; version: number }
  | { type: 'error'; err: number }
  | { type: 'multi'; txns: Txn[] }
  | { type: 'createSession'; timeoutMs: number }
  | { type: 'closeSession'; paths: string[] };

/** A watch trigger. `acl` is the ACL ZooKeeper (3.8.4+) checks READ against before delivering. */
export interface TreeEvent {
  type: number;
  path: string;
  acl?: readonly Acl[];
}

export interface ApplyResult {
  /** 0, or the error: the error txn's code; for a failed multi the first failing op's code. */
  err: number;
  /** The err for the ReplyHeader: as `err`, except a multi always answers 0 (the results carry the errors). */
  replyErr: number;
  response?: Response;
  events: TreeEvent[];
}
