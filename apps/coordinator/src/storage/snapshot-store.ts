// The snapshot database (snapshots.sqlite under dataDir): snapshots of the tree in chunks with their
// last zxid, digest and checksum, and the server's small durable facts (ZAB epochs, the log's id).
import { join } from 'node:path';
import type { DataSource, QueryRunner, Repository } from 'typeorm';
import { snapshotChecksum } from './checksum';
import { chunkRows, inTransaction, openDatabase, SerialQueue, type JournalMode } from './database';
import { SNAPSHOT_ENTITIES, ServerStateEntity, SnapshotEntity, type MetaRow, type SnapshotRow, type SnapshotStatus } from './entities';
import { StorageClosedError } from './errors';
import { SNAPSHOT_MIGRATIONS } from './schema-migrations';
import { zxidFromSql, zxidToSql } from './zxid';

export const SNAPSHOT_FILE_NAME = 'snapshots.sqlite';

/** Snapshots are stored in rows of this size: no single huge blob, no SQLite 1 GB blob limit. */
export const SNAPSHOT_CHUNK_BYTES = 4 * 1024 * 1024;

export interface SnapshotMeta {
  id: number;
  lastZxid: bigint;
  digest: bigint;
  nodeCount: number;
  sessionCount: number;
  sizeBytes: number;
  chunkCount: number;
  checksum: number;
  createdAtMs: number;
  status: SnapshotStatus;
  note: string | null;
}

export interface NewSnapshot {
  lastZxid: bigint;
  digest: bigint;
  nodeCount: number;
  sessionCount: number;
  createdAtMs: number;
}

/** The bytes of a snapshot do not match what its row says: never load them. */
export class SnapshotCorruptError extends Error {
  override readonly name = 'SnapshotCorruptError';
}

export interface SnapshotStoreOptions {
  readOnly?: boolean;
  journalMode?: JournalMode;
}

export class SnapshotStore {
  private readonly queue = new SerialQueue();
  private readonly snapshots: Repository<SnapshotRow>;
  private readonly state: Repository<MetaRow>;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly dataSource: DataSource,
    private readonly runner: QueryRunner,
  ) {
    this.snapshots = runner.manager.getRepository(SnapshotEntity);
    this.state = runner.manager.getRepository(ServerStateEntity);
  }

  static async open(dataDir: string, options: SnapshotStoreOptions = {}): Promise<SnapshotStore> {
    const path = join(dataDir, SNAPSHOT_FILE_NAME);
    const dataSource = await openDatabase({ path, entities: SNAPSHOT_ENTITIES, migrations: SNAPSHOT_MIGRATIONS, ...options });
    return new SnapshotStore(path, dataSource, dataSource.createQueryRunner());
  }

  /** Every snapshot row, newest (highest last zxid) first. */
  list(): Promise<SnapshotMeta[]> {
    return this.exclusive(async () => {
      const rows = await this.snapshots.find({ order: { lastZxid: 'DESC', id: 'DESC' } });
      return rows.map(toMeta);
    });
  }

  /** The snapshot's bytes, checked against its row; throws SnapshotCorruptError when they disagree. */
  readBytes(meta: SnapshotMeta): Promise<Uint8Array> {
    return this.exclusive(async () => {
      const chunks = (await this.runner.query('SELECT seq, bytes FROM snapshot_chunk WHERE snapshot_id = ? ORDER BY seq', [meta.id])) as { seq: number; bytes: Buffer }[];
      if (chunks.length !== meta.chunkCount) throw new SnapshotCorruptError(`snapshot #${meta.id} has ${chunks.length} of its ${meta.chunkCount} chunks`);
      chunks.forEach((chunk, index) => {
        if (chunk.seq !== index) throw new SnapshotCorruptError(`snapshot #${meta.id} misses chunk ${index}`);
      });
      const size = chunks.reduce((sum, chunk) => sum + chunk.bytes.length, 0);
      if (size !== meta.sizeBytes) throw new SnapshotCorruptError(`snapshot #${meta.id} has ${size} bytes, its row says ${meta.sizeBytes}`);
      const checksum = snapshotChecksum(meta.lastZxid, meta.digest, chunks.map((chunk) => chunk.bytes));
      if (checksum !== meta.checksum) {
        throw new SnapshotCorruptError(`snapshot #${meta.id} checksum ${hex32(checksum)} does not match the recorded ${hex32(meta.checksum)}`);
      }
      return chunks.length === 1 ? new Uint8Array(chunks[0].bytes) : new Uint8Array(Buffer.concat(chunks.map((chunk) => chunk.bytes), size));
    });
  }

  /** Writes a snapshot in one transaction; it is listed only once all of it is durable. */
  write(snapshot: NewSnapshot, bytes: Uint8Array, install?: { token: string }): Promise<SnapshotMeta> {
    return this.exclusive(() =>
      inTransaction(this.runner, async () => {
        const chunks: Buffer[] = [];
        for (let offset = 0; offset < bytes.length || chunks.length === 0; offset += SNAPSHOT_CHUNK_BYTES) {
          chunks.push(Buffer.from(bytes.buffer, bytes.byteOffset + offset, Math.min(SNAPSHOT_CHUNK_BYTES, bytes.length - offset)));
        }
        const row: Omit<SnapshotRow, 'id'> = {
          lastZxid: zxidToSql(snapshot.lastZxid),
          digest: snapshot.digest.toString(),
          nodeCount: snapshot.nodeCount,
          sessionCount: snapshot.sessionCount,
          sizeBytes: bytes.length,
          chunkCount: chunks.length,
          checksum: snapshotChecksum(snapshot.lastZxid, snapshot.digest, chunks),
          createdAtMs: snapshot.createdAtMs,
          status: install ? 'installing' : 'valid',
          note: install ? install.token : null,
        };
        const saved = await this.snapshots.save(row as SnapshotRow);
        for (const [seq, chunk] of chunks.entries()) {
          await this.runner.query('INSERT INTO snapshot_chunk (snapshot_id, seq, bytes) VALUES (?, ?, ?)', [saved.id, seq, chunk]);
        }
        return toMeta(saved);
      }),
    );
  }

  /** Keeps the row and its bytes for the operator (coordinator-tools) but never loads it again; purge removes it. */
  markCorrupt(id: number, note: string): Promise<void> {
    return this.exclusive(() =>
      inTransaction(this.runner, async () => {
        await this.snapshots.update({ id }, { status: 'corrupt', note });
      }),
    );
  }

  /** An installed snapshot whose log reset committed: valid from now on, and the only snapshot. */
  finishInstall(id: number): Promise<void> {
    return this.exclusive(() =>
      inTransaction(this.runner, async () => {
        await this.runner.query('DELETE FROM snapshot_chunk WHERE snapshot_id <> ?', [id]);
        await this.runner.query('DELETE FROM snapshot WHERE id <> ?', [id]);
        await this.snapshots.update({ id }, { status: 'valid', note: null });
      }),
    );
  }

  delete(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return Promise.resolve();
    return this.exclusive(() =>
      inTransaction(this.runner, async () => {
        for (const batch of chunkRows(ids, 500)) {
          const marks = batch.map(() => '?').join(', ');
          await this.runner.query(`DELETE FROM snapshot_chunk WHERE snapshot_id IN (${marks})`, [...batch]);
          await this.runner.query(`DELETE FROM snapshot WHERE id IN (${marks})`, [...batch]);
        }
      }),
    );
  }

  getState(key: string): Promise<string | undefined> {
    return this.exclusive(async () => (await this.state.findOneBy({ key }))?.value);
  }

  /**
   * Durable when it resolves: the ZAB epochs must survive a crash before the server acts on them.
   * Every statement writes (an upsert, no read first): a transaction that reads and then writes while the
   * snapshot process holds the write lock gets SQLITE_BUSY at once, without the busy timeout, because SQLite
   * will not wait to upgrade a read transaction; a first statement that writes does wait.
   */
  setState(entries: Record<string, string>): Promise<void> {
    return this.exclusive(() =>
      inTransaction(this.runner, async () => {
        for (const [key, value] of Object.entries(entries)) {
          await this.runner.query('INSERT INTO server_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
        }
      }),
    );
  }

  /** Test and tool access to the file beneath, e.g. to damage a snapshot on purpose. */
  rawQuery(sql: string, params: unknown[] = []): Promise<unknown> {
    return this.exclusive(() => this.runner.query(sql, params));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue.run(async () => {
      this.closed = true;
      await this.runner.release();
      await this.dataSource.destroy();
    });
  }

  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    return this.queue.run(() => {
      if (this.closed) throw new StorageClosedError(`${this.path} is closed`);
      return operation();
    });
  }
}

function toMeta(row: SnapshotRow): SnapshotMeta {
  return {
    id: row.id,
    lastZxid: zxidFromSql(row.lastZxid),
    digest: BigInt(row.digest),
    nodeCount: row.nodeCount,
    sessionCount: row.sessionCount,
    sizeBytes: row.sizeBytes,
    chunkCount: row.chunkCount,
    checksum: row.checksum >>> 0,
    createdAtMs: row.createdAtMs,
    status: row.status,
    note: row.note,
  };
}

export function hex32(value: number): string {
  return '0x' + (value >>> 0).toString(16).padStart(8, '0');
}
