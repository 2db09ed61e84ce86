// Checks shared by start-up recovery, the snapshot worker and the operator tool: is a log record whole
// (checksum, decodes, right zxid, no hole before it), and is a snapshot's tree the one its row describes.
import { DataTree, decodeTxn, type DataTreeOptions, type Txn, type TxnHeader } from '@zk/datatree';
import { recordChecksum } from './checksum';
import type { LogRecord } from './log-store';
import { SnapshotCorruptError, hex32, type SnapshotMeta, type SnapshotStore } from './snapshot-store';
import { hexZxid, isSuccessorZxid } from './zxid';

export type CheckedRecord = { ok: true; header: TxnHeader; txn: Txn } | { ok: false; problem: string };

/** `zxidPrevious`: the zxid the record must follow (the last good record, or the base snapshot's). */
export function checkRecord(record: LogRecord, zxidPrevious: bigint): CheckedRecord {
  const checksum = recordChecksum(record.zxid, record.payload);
  if (checksum !== record.checksum) {
    return { ok: false, problem: `checksum mismatch at ${hexZxid(record.zxid)} (recorded ${hex32(record.checksum)}, computed ${hex32(checksum)})` };
  }
  if (!isSuccessorZxid(zxidPrevious, record.zxid)) {
    return { ok: false, problem: `hole in the log: ${hexZxid(record.zxid)} follows ${hexZxid(zxidPrevious)}` };
  }
  let decoded: { header: TxnHeader; txn: Txn };
  try {
    decoded = decodeTxn(record.payload);
  } catch (error) {
    return { ok: false, problem: `record ${hexZxid(record.zxid)} does not decode: ${(error as Error).message}` };
  }
  if (decoded.header.zxid !== record.zxid) {
    return { ok: false, problem: `record ${hexZxid(record.zxid)} holds the txn of ${hexZxid(decoded.header.zxid)}` };
  }
  return { ok: true, header: decoded.header, txn: decoded.txn };
}

/** Reads and checks one snapshot: checksum, then the tree's own digest check, then that both match the row. */
export async function loadSnapshotTree(store: SnapshotStore, meta: SnapshotMeta, treeOptions: DataTreeOptions): Promise<DataTree> {
  const bytes = await store.readBytes(meta);
  let tree: DataTree;
  try {
    tree = DataTree.deserialize(bytes, treeOptions);
  } catch (error) {
    throw new SnapshotCorruptError(`snapshot #${meta.id} does not load: ${(error as Error).message}`);
  }
  if (tree.lastZxid !== meta.lastZxid) throw new SnapshotCorruptError(`snapshot #${meta.id} holds zxid ${hexZxid(tree.lastZxid)}, its row says ${hexZxid(meta.lastZxid)}`);
  if (tree.digest() !== meta.digest) throw new SnapshotCorruptError(`snapshot #${meta.id} digest ${tree.digest()} differs from its row's ${meta.digest}`);
  return tree;
}

export const REPLAY_PAGE_TXNS = 10_000;
