// The schema of both SQLite files as TypeORM migrations, so a later format change is one more
// migration that an old data directory runs at start-up, never a silent re-creation.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTxnLog1700000000001 implements MigrationInterface {
  name = 'CreateTxnLog1700000000001';

  async up(runner: QueryRunner): Promise<void> {
    // zxid is the rowid: appends go to the end of the b-tree, range scans and deletes are by key.
    await runner.query(`CREATE TABLE txn_log (
      zxid INTEGER PRIMARY KEY NOT NULL,
      txn_type INTEGER NOT NULL,
      payload BLOB NOT NULL,
      checksum INTEGER NOT NULL)`);
    await runner.query(`CREATE TABLE txn_log_quarantine (
      id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
      zxid INTEGER NOT NULL,
      txn_type INTEGER NOT NULL,
      payload BLOB NOT NULL,
      checksum INTEGER NOT NULL,
      reason TEXT NOT NULL,
      quarantined_at_ms INTEGER NOT NULL)`);
    await runner.query(`CREATE TABLE log_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE log_meta');
    await runner.query('DROP TABLE txn_log_quarantine');
    await runner.query('DROP TABLE txn_log');
  }
}

export class CreateSnapshots1700000000002 implements MigrationInterface {
  name = 'CreateSnapshots1700000000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE snapshot (
      id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
      last_zxid INTEGER NOT NULL,
      digest TEXT NOT NULL,
      node_count INTEGER NOT NULL,
      session_count INTEGER NOT NULL,
      size_bytes INTEGER NOT NULL,
      chunk_count INTEGER NOT NULL,
      checksum INTEGER NOT NULL,
      created_at_ms INTEGER NOT NULL,
      status TEXT NOT NULL,
      note TEXT)`);
    await runner.query('CREATE INDEX snapshot_by_zxid ON snapshot (last_zxid)');
    await runner.query(`CREATE TABLE snapshot_chunk (
      snapshot_id INTEGER NOT NULL REFERENCES snapshot (id) ON DELETE CASCADE,
      seq INTEGER NOT NULL,
      bytes BLOB NOT NULL,
      PRIMARY KEY (snapshot_id, seq))`);
    await runner.query(`CREATE TABLE server_state (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE server_state');
    await runner.query('DROP TABLE snapshot_chunk');
    await runner.query('DROP TABLE snapshot');
  }
}

export const LOG_MIGRATIONS = [CreateTxnLog1700000000001];
export const SNAPSHOT_MIGRATIONS = [CreateSnapshots1700000000002];
