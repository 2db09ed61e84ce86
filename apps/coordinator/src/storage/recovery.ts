// Start-up: the newest valid snapshot plus the log after it. A bad record (checksum, torn, hole) ends
// the log there: it and everything after it are quarantined, with one clear log line. A bad snapshot is
// marked corrupt and the previous one is used. When what is left cannot rebuild the tree the server had,
// recovery refuses — and then changes nothing on disk, so the operator sees what the server saw.
import { DataTree, type DataTreeOptions, type Txn, type TxnHeader } from '@zk/datatree';
import type { Logger } from '../util/logger';
import { StorageRefusedError } from './errors';
import type { LogRecord, LogStore } from './log-store';
import { checkRecord, loadSnapshotTree, REPLAY_PAGE_TXNS } from './replay';
import { SnapshotCorruptError, type SnapshotMeta, type SnapshotStore } from './snapshot-store';
import { hexZxid } from './zxid';

export interface RecoveryReport {
  /** The snapshot the tree was loaded from; undefined when it was rebuilt from the whole log. */
  snapshot?: SnapshotMeta;
  /** Txns applied to the tree after the snapshot (always 0 in ensemble mode, which applies none). */
  txnsReplayed: number;
  /** Their payload bytes (they count towards the next snapshot's byte bound). */
  bytesReplayed: number;
  /** Records taken out of the log (bad record and everything after it). */
  txnsQuarantined: number;
  snapshotsCorrupt: number;
  /** The last good txn of the log (or the snapshot's zxid): in ensemble mode, above the tree's. */
  zxidLast: bigint;
  loadMs: number;
}

export interface Recovered {
  tree: DataTree;
  report: RecoveryReport;
}

/** A txn of the log as ZAB holds it: encodeTxn's bytes at a zxid. */
export interface RecoveredEntry {
  zxid: bigint;
  payload: Uint8Array;
}

/** Ensemble start-up: the tree is the snapshot only; the log after it is handed to ZAB, not applied. */
export interface RecoveredForEnsemble extends Recovered {
  /** The zxid the tree is at: the snapshot's, 0 when there is none. */
  snapshotZxid: bigint;
  /** Every good record after snapshotZxid, in zxid order (checked, not applied). */
  log: RecoveredEntry[];
}

/** What recovery does with each good record after the base snapshot. */
interface LogConsumer {
  /** The zxid the next record must follow. */
  zxidLast(): bigint;
  take(record: LogRecord, header: TxnHeader, txn: Txn): void;
}

interface RecoveryContext {
  log: LogStore;
  snapshots: SnapshotStore;
  treeOptions: DataTreeOptions;
  logger: Logger;
  nowMs: () => number;
}

/** Standalone start-up: every txn in the log is committed, so the newest snapshot plus the whole log after it is the tree. */
export function recover(context: RecoveryContext): Promise<Recovered> {
  return recoverWith(context, (tree) => {
    return {
      zxidLast: () => tree.lastZxid,
      take: (record, header, txn) => {
        try {
          tree.apply(header, txn);
        } catch (error) {
          throw new StorageRefusedError(
            `txn ${hexZxid(record.zxid)} passed its checksum but does not apply to the tree at ${hexZxid(tree.lastZxid)}: ${(error as Error).message}`,
            'this is a bug or a log written by another server version: keep the data directory for the developers and restore from a backup',
          );
        }
      },
    };
  });
}

/**
 * Ensemble start-up (ZAB): the newest valid snapshot is the tree, and only it — a follower's log holds
 * proposals that may never commit. The good records after the snapshot are checked exactly as in standalone
 * (a bad one cuts the log there) and returned for ZabPeer's durable.log; the peer delivers them when committed.
 */
export async function recoverForEnsemble(context: RecoveryContext): Promise<RecoveredForEnsemble> {
  const log: RecoveredEntry[] = [];
  let snapshotZxid = 0n;
  const recovered = await recoverWith(context, (tree) => {
    snapshotZxid = tree.lastZxid;
    return {
      zxidLast: () => (log.length === 0 ? tree.lastZxid : log[log.length - 1].zxid),
      take: (record) => {
        log.push({ zxid: record.zxid, payload: record.payload });
      },
    };
  });
  // Nothing was replayed: the records after the snapshot are only checked.
  return { tree: recovered.tree, report: { ...recovered.report, txnsReplayed: 0, bytesReplayed: 0 }, snapshotZxid, log };
}

async function recoverWith(context: RecoveryContext, consumerFor: (tree: DataTree) => LogConsumer): Promise<Recovered> {
  const startedMs = performance.now();
  const { log, snapshots, logger } = context;
  await checkLogIdentity(log, snapshots);

  const purgedThrough = await log.purgedThroughZxid();
  const rows = await snapshots.list();
  // A snapshot installed from the leader counts once its log reset committed (the log holds its token);
  // then it is the only snapshot that describes this log. An install that never got that far is dropped.
  const installToken = await log.installToken();
  const installed = rows.find((meta) => meta.status === 'installing' && meta.note === installToken && meta.lastZxid === purgedThrough);
  const abandonedInstalls = rows.filter((meta) => meta.status === 'installing' && meta !== installed);
  const candidates = installed ? [installed] : rows.filter((meta) => meta.status === 'valid');
  const corrupt: { meta: SnapshotMeta; reason: string }[] = [];
  let base: { tree: DataTree; meta?: SnapshotMeta } | undefined;
  for (const meta of candidates) {
    if (meta.lastZxid < purgedThrough) break; // older snapshots cannot be bridged to the log either
    try {
      base = { tree: await loadSnapshotTree(snapshots, meta, context.treeOptions), meta };
      break;
    } catch (error) {
      if (!(error instanceof SnapshotCorruptError)) throw error;
      corrupt.push({ meta, reason: error.message });
      logger.error('snapshot is corrupt; falling back to the previous one', { snapshot: meta.id, snapshotZxid: hexZxid(meta.lastZxid), reason: error.message });
    }
  }
  if (base === undefined) {
    if (purgedThrough > 0n) {
      throw new StorageRefusedError(
        `no valid snapshot remains (${rows.length} snapshot rows, ${corrupt.length} corrupt) and the log was purged through ${hexZxid(purgedThrough)}, so the tree cannot be rebuilt`,
        `restore ${snapshots.path} from a backup; the server will not start empty over existing data`,
      );
    }
    base = { tree: new DataTree(context.treeOptions) };
  }

  const tree = base.tree;
  const consumer = consumerFor(tree);
  let txnsReplayed = 0;
  let bytesReplayed = 0;
  let bad: { zxid: bigint; problem: string } | undefined;
  replay: for (;;) {
    const page = await log.readAfter(consumer.zxidLast(), REPLAY_PAGE_TXNS);
    if (page.length === 0) break;
    for (const record of page) {
      const checked = checkRecord(record, consumer.zxidLast());
      if (!checked.ok) {
        bad = { zxid: record.zxid, problem: checked.problem };
        break replay;
      }
      consumer.take(record, checked.header, checked.txn);
      txnsReplayed++;
      bytesReplayed += record.payload.length;
    }
  }
  const zxidLast = consumer.zxidLast();

  const dataExisted = rows.length > 0 || bad !== undefined || txnsReplayed > 0;
  if (zxidLast === 0n && dataExisted && (bad !== undefined || corrupt.length > 0)) {
    throw new StorageRefusedError(
      `nothing valid remains: ${bad ? bad.problem + ' at the start of the log' : 'the log is empty'}` +
        (corrupt.length > 0 ? ` and every snapshot is corrupt (${corrupt.map((c) => c.reason).join('; ')})` : ''),
      `restore ${log.path} and ${snapshots.path} from a backup; the server will not start empty over existing data`,
    );
  }

  // Decided: now change the files.
  if (installed) await snapshots.finishInstall(installed.id);
  await snapshots.delete(abandonedInstalls.map((meta) => meta.id));
  for (const { meta, reason } of corrupt) await snapshots.markCorrupt(meta.id, reason);
  let txnsQuarantined = 0;
  if (bad !== undefined) {
    txnsQuarantined = await log.quarantineFrom(bad.zxid, bad.problem, context.nowMs());
    logger.error('transaction log damaged: truncated at the last good txn', {
      lastGoodZxid: hexZxid(zxidLast),
      problem: bad.problem,
      txnsQuarantined,
      movedTo: 'txn_log_quarantine',
    });
  }
  const newestSnapshotZxid = candidates.reduce((max, meta) => (meta.lastZxid > max ? meta.lastZxid : max), 0n);
  if (newestSnapshotZxid > zxidLast) {
    logger.error('recovered state is older than a snapshot that once existed', { zxid: hexZxid(zxidLast), snapshotZxid: hexZxid(newestSnapshotZxid) });
  }
  return {
    tree,
    report: {
      snapshot: base.meta,
      txnsReplayed,
      bytesReplayed,
      txnsQuarantined,
      snapshotsCorrupt: corrupt.length,
      zxidLast,
      loadMs: performance.now() - startedMs,
    },
  };
}

/** The snapshot database remembers which log it belongs to: a missing or swapped log is refused, not started over. */
async function checkLogIdentity(log: LogStore, snapshots: SnapshotStore): Promise<void> {
  const expected = await snapshots.getState('logId');
  if (expected === undefined) {
    await snapshots.setState({ logId: await log.logId() });
    return;
  }
  const actual = await log.existingLogId();
  if (actual === expected) return;
  throw new StorageRefusedError(
    actual === undefined
      ? `the transaction log ${log.path} has no id, but ${snapshots.path} belongs to log ${expected}`
      : `the transaction log ${log.path} (id ${actual}) is not the one ${snapshots.path} belongs to (${expected})`,
    'point dataLogDir at the directory that holds the right txnlog.sqlite, or restore it; to really start over, move both files aside',
  );
}
