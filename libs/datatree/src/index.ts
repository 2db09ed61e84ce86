// @zk/datatree: the znode tree of a ZooKeeper-compatible server — apply txns, prepare requests,
// answer reads, keep watches and session expiry. Pure and deterministic: no I/O, no clock.
export { assert, AssertionError } from './assert';
export type { NodeKind } from './node-kind';
export { CONTAINER_EPHEMERAL_OWNER, TTL_MAX_MS, isValidTtl, ttlEphemeralOwner, ttlFromEphemeralOwner } from './node-kind';
export type { TxnHeader, Txn, CreateTxn, TreeEvent, ApplyResult } from './txn';
export { DataTree } from './data-tree';
export type { IncrementalSnapshot } from './snapshot';
export type { ZNodeView, PersistedNodeView, DataTreeOptions } from './data-tree';
export type { PersistedStat } from './stat';
export { Preparer } from './preparer';
export type { RequestContext, PreparerOptions, WriteRequest } from './preparer';
export { readRequest } from './read-request';
export type { ReadRequest, ReadResult, ReadContext, WatchRegistration } from './read-request';
export { WatchManager, isValidWatcherType } from './watch-manager';
export type { RestoredWatches, WatchDelivery } from './watch-manager';
export type { WatchKind } from './watch-table';
export { SessionTracker } from './session-tracker';
export { validatePath } from './path';
export { checkAcl, fixupAcl, OPEN_ACL_UNSAFE, READ_ACL_UNSAFE } from './acl';
export { encodeTxn, decodeTxn, peekTxnHeader, txnType } from './txn-codec';
export { createModeFromFlag } from './create-mode';
export type { CreateMode } from './create-mode';
export { DIGEST_VERSION, crc32InJavaScript, useCrc32 } from './digest';
export type { Crc32OfChunks } from './digest';
