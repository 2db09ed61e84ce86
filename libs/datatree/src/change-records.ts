// PrepRequestProcessor's outstanding changes: what prepared-but-not-applied txns will make of
// each path, so a request is validated against the tree as it will be when it applies.
import type { Acl } from '@zk/wire';
import { assert } from './assert';
import type { DataTree } from './data-tree';
import type { NodeKind } from './node-kind';
import { nodeKey } from './path';
import { copyPersistedStat, type PersistedStat } from './stat';

export interface ChangeRecord {
  readonly zxid: bigint;
  readonly path: string;
  /** null: the path is deleted by this change. */
  readonly stat: PersistedStat | null;
  readonly childCount: number;
  readonly acl: readonly Acl[];
  readonly data: Uint8Array;
  readonly kind: NodeKind;
}

/** A live record: the node exists once the pending changes apply. */
export type LiveRecord = ChangeRecord & { readonly stat: PersistedStat };

export class OutstandingChanges {
  private queue: ChangeRecord[] = [];
  private readonly byPath = new Map<string, ChangeRecord>();
  /** While a multi is being prepared: the queue length and the byPath entries it replaced. */
  private savepoint: { queueLength: number; replaced: Map<string, ChangeRecord | undefined> } | undefined;

  constructor(private readonly tree: DataTree) {}

  /** getRecordForPath: the pending record, else one read from the tree; undefined = NONODE. */
  get(path: string): LiveRecord | undefined {
    const key = nodeKey(path);
    const pending = this.byPath.get(key);
    if (pending !== undefined) return pending.stat === null ? undefined : (pending as LiveRecord);
    const node = this.tree.getPersisted(key);
    if (node === undefined) return undefined;
    return { zxid: -1n, path: key, stat: node.stat, childCount: node.childCount, acl: node.acl, data: node.data, kind: node.kind };
  }

  add(record: ChangeRecord): void {
    const last = this.queue[this.queue.length - 1];
    assert(last === undefined || last.zxid <= record.zxid, `change for zxid ${record.zxid} after ${last?.zxid}`);
    const key = nodeKey(record.path);
    if (this.savepoint !== undefined && !this.savepoint.replaced.has(key)) this.savepoint.replaced.set(key, this.byPath.get(key));
    const stored = { ...record, path: key, stat: record.stat === null ? null : copyPersistedStat(record.stat) };
    this.queue.push(stored);
    this.byPath.set(key, stored);
  }

  /** Records in zxid order (closeSession scans them for the session's pending ephemerals). */
  pending(): readonly ChangeRecord[] {
    return this.queue;
  }

  begin(): void {
    assert(this.savepoint === undefined, 'nested savepoint');
    this.savepoint = { queueLength: this.queue.length, replaced: new Map() };
  }

  /** Forget everything added since begin() (a failed multi leaves no trace). */
  rollback(): void {
    assert(this.savepoint !== undefined, 'rollback without begin');
    this.queue.length = this.savepoint.queueLength;
    for (const [key, previous] of this.savepoint.replaced) {
      if (previous === undefined) this.byPath.delete(key);
      else this.byPath.set(key, previous);
    }
    this.savepoint = undefined;
  }

  commit(): void {
    assert(this.savepoint !== undefined, 'commit without begin');
    this.savepoint = undefined;
  }

  /** Drop the records of txns up to zxid: the tree has them now. */
  applied(zxid: bigint): void {
    let dropped = 0;
    while (dropped < this.queue.length && this.queue[dropped].zxid <= zxid) {
      const record = this.queue[dropped];
      if (this.byPath.get(record.path) === record) this.byPath.delete(record.path);
      dropped++;
    }
    if (dropped > 0) this.queue = this.queue.slice(dropped);
  }

  clear(): void {
    this.queue = [];
    this.byPath.clear();
    this.savepoint = undefined;
  }

  get size(): number {
    return this.queue.length;
  }
}
