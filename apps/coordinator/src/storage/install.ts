// ZAB's SNAP on disk: a snapshot from the leader replaces the snapshots and the whole log, crash-safely.
// Shared by the standalone storage (CoordinatorStorage.installSnapshot) and the ensemble storage.
import { randomUUID } from 'node:crypto';
import { DataTree, type DataTreeOptions } from '@zk/datatree';
import type { LogStore } from './log-store';
import type { SnapshotMeta, SnapshotStore } from './snapshot-store';
import { hexZxid } from './zxid';

export interface Installed {
  tree: DataTree;
  meta: SnapshotMeta;
}

/** Refuses bytes that are not a whole, consistent tree (DataTree.deserialize checks the digest), or not at `zxid` when given. */
export function treeOfSnapshotBytes(bytes: Uint8Array, treeOptions: DataTreeOptions, zxid?: bigint): DataTree {
  const tree = DataTree.deserialize(bytes, treeOptions);
  if (zxid !== undefined && tree.lastZxid !== zxid) throw new Error(`the snapshot to install holds zxid ${hexZxid(tree.lastZxid)}, not ${hexZxid(zxid)}`);
  return tree;
}

/**
 * Three steps, each one SQLite transaction: write the snapshot as 'installing' with a fresh token; empty the
 * log and record the token in it (the commit point: from here on a restart finishes the install, see
 * recovery.ts); make the snapshot valid and the only one. A crash before the commit point restarts on the
 * old state. The caller has stopped appends and snapshot builds.
 */
export async function installSnapshotFiles(snapshots: SnapshotStore, log: LogStore, tree: DataTree, bytes: Uint8Array, nowMs: number): Promise<Installed> {
  const token = randomUUID();
  const meta = await snapshots.write(
    { lastZxid: tree.lastZxid, digest: tree.digest(), nodeCount: tree.nodeCount, sessionCount: tree.sessions().size, createdAtMs: nowMs },
    bytes,
    { token },
  );
  await log.restartAfter(tree.lastZxid, token);
  await snapshots.finishInstall(meta.id);
  return { tree, meta };
}
