// The rows storage keeps, as TypeORM entity schemas over two SQLite files: the log database (under
// dataLogDir) and the snapshot database (under dataDir). The tables themselves are made by schema-migrations.ts.
import { EntitySchema } from 'typeorm';

/** One txn of the log: its zxid, ZooKeeper's txn type, the encoded TxnHeader + txn, and a CRC32 over both. */
export interface TxnLogRow {
  zxid: number;
  txnType: number;
  payload: Buffer;
  checksum: number;
}

/** Records taken out of the log at start-up (bad checksum, hole, torn): kept for the operator, never replayed. */
export interface QuarantinedTxnRow {
  id: number;
  zxid: number;
  txnType: number;
  payload: Buffer;
  checksum: number;
  reason: string;
  quarantinedAtMs: number;
}

/** Small key/value facts: the log's id, how far it was purged; the epochs and the log id in dataDir. */
export interface MetaRow {
  key: string;
  value: string;
}

/** 'installing': a snapshot from the leader (ZAB SNAP) written but its log reset not yet done. */
export type SnapshotStatus = 'valid' | 'corrupt' | 'installing';

export interface SnapshotRow {
  id: number;
  lastZxid: number;
  /** The tree digest, a signed 64-bit integer in decimal. */
  digest: string;
  nodeCount: number;
  sessionCount: number;
  sizeBytes: number;
  chunkCount: number;
  checksum: number;
  createdAtMs: number;
  status: SnapshotStatus;
  /** Why it was marked corrupt. */
  note: string | null;
}

export interface SnapshotChunkRow {
  snapshotId: number;
  seq: number;
  bytes: Buffer;
}

export const TxnLogEntity = new EntitySchema<TxnLogRow>({
  name: 'TxnLog',
  tableName: 'txn_log',
  columns: {
    zxid: { type: 'integer', primary: true },
    txnType: { type: 'integer', name: 'txn_type' },
    payload: { type: 'blob' },
    checksum: { type: 'integer' },
  },
});

export const QuarantinedTxnEntity = new EntitySchema<QuarantinedTxnRow>({
  name: 'QuarantinedTxn',
  tableName: 'txn_log_quarantine',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    zxid: { type: 'integer' },
    txnType: { type: 'integer', name: 'txn_type' },
    payload: { type: 'blob' },
    checksum: { type: 'integer' },
    reason: { type: 'text' },
    quarantinedAtMs: { type: 'integer', name: 'quarantined_at_ms' },
  },
});

export const LogMetaEntity = new EntitySchema<MetaRow>({
  name: 'LogMeta',
  tableName: 'log_meta',
  columns: { key: { type: 'text', primary: true }, value: { type: 'text' } },
});

export const ServerStateEntity = new EntitySchema<MetaRow>({
  name: 'ServerState',
  tableName: 'server_state',
  columns: { key: { type: 'text', primary: true }, value: { type: 'text' } },
});

export const SnapshotEntity = new EntitySchema<SnapshotRow>({
  name: 'Snapshot',
  tableName: 'snapshot',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    lastZxid: { type: 'integer', name: 'last_zxid' },
    digest: { type: 'text' },
    nodeCount: { type: 'integer', name: 'node_count' },
    sessionCount: { type: 'integer', name: 'session_count' },
    sizeBytes: { type: 'integer', name: 'size_bytes' },
    chunkCount: { type: 'integer', name: 'chunk_count' },
    checksum: { type: 'integer' },
    createdAtMs: { type: 'integer', name: 'created_at_ms' },
    status: { type: 'text' },
    note: { type: 'text', nullable: true },
  },
});

export const SnapshotChunkEntity = new EntitySchema<SnapshotChunkRow>({
  name: 'SnapshotChunk',
  tableName: 'snapshot_chunk',
  columns: {
    snapshotId: { type: 'integer', primary: true, name: 'snapshot_id' },
    seq: { type: 'integer', primary: true },
    bytes: { type: 'blob' },
  },
});

export const LOG_ENTITIES = [TxnLogEntity, QuarantinedTxnEntity, LogMetaEntity];
export const SNAPSHOT_ENTITIES = [SnapshotEntity, SnapshotChunkEntity, ServerStateEntity];
