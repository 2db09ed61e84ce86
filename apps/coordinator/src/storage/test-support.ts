// Helpers for the storage specs (not used by the server): temp data directories, a logger that keeps its
// lines, and a seeded workload that makes realistic txns through the real Preparer.
import { LogStore } from './log-store';
import { SnapshotStore } from './snapshot-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataTree, Preparer, type Txn, type TxnHeader } from '@zk/datatree';
import { Logger } from '../util/logger';
import type { StorageOptions } from './storage';

export interface TempDirs {
  root: string;
  dataDir: string;
  dataLogDir: string;
  remove(): void;
}

export function makeTempDirs(separateLogDir = false): TempDirs {
  const root = mkdtempSync(join(tmpdir(), 'zk-storage-'));
  const dataDir = join(root, 'data');
  return { root, dataDir, dataLogDir: separateLogDir ? join(root, 'log') : dataDir, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export interface CapturingLogger {
  logger: Logger;
  lines: string[];
}

export function capturingLogger(): CapturingLogger {
  const lines: string[] = [];
  return { logger: new Logger({ write: (line) => lines.push(line) }, 'debug', () => ({ server: 0 })), lines };
}

export function testStorageOptions(dirs: TempDirs, overrides: Partial<StorageOptions> = {}): StorageOptions {
  return {
    dataDir: dirs.dataDir,
    dataLogDir: dirs.dataLogDir,
    snapCount: 1_000_000,
    snapSizeBytes: 0,
    snapRetainCount: 3,
    purgeIntervalHours: 0,
    treeOptions: { maxDataBytes: 0xfffff },
    snapshotMode: 'inline',
    ...overrides,
  };
}

const OPEN_ACL = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const utf8 = new TextEncoder();

/** mulberry32: small, seeded, good enough to pick operations. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The write side of a server without the server: prepares random creates (plain, sequential, ephemeral),
 * setData, deletes and session open/close, applies them to its own tree, and hands out each txn.
 */
export class Workload {
  readonly tree: DataTree;
  private readonly preparer: Preparer;
  private readonly random: () => number;
  private readonly paths: string[] = [];
  private readonly sessions: bigint[] = [];
  private zxid: bigint;
  private nextSession = 0x100n;
  private timeMs = 1_700_000_000_000;

  constructor(seed: number, tree = new DataTree({ maxDataBytes: 0xfffff })) {
    this.tree = tree;
    this.preparer = new Preparer(tree, { maxDataBytes: 0xfffff, extendedTypesEnabled: true });
    this.random = seededRandom(seed);
    this.zxid = tree.lastZxid;
  }

  /** The next txn, already applied to this workload's tree. */
  next(): { header: TxnHeader; txn: Txn } {
    const zxid = ++this.zxid;
    this.timeMs += 1 + Math.floor(this.random() * 5);
    const roll = this.random();
    let sessionId = 0n;
    let txn: Txn;
    if (this.sessions.length === 0 || roll < 0.03) {
      sessionId = this.nextSession++;
      txn = this.preparer.prepareCreateSession(30_000);
      this.sessions.push(sessionId);
    } else if (roll < 0.05 && this.sessions.length > 1) {
      sessionId = this.sessions.splice(Math.floor(this.random() * this.sessions.length), 1)[0];
      txn = this.preparer.prepareCloseSession(sessionId, zxid);
    } else {
      sessionId = this.sessions[Math.floor(this.random() * this.sessions.length)];
      txn = this.preparer.prepare(this.request(roll), { sessionId, cxid: Number(zxid & 0x7fffffffn), zxid, timeMs: this.timeMs, authIds: [] });
    }
    const header: TxnHeader = { sessionId, cxid: Number(zxid & 0x7fffffffn), zxid, timeMs: this.timeMs };
    this.tree.apply(header, txn);
    this.preparer.applied(zxid);
    if (txn.type === 'create') this.paths.push(txn.path);
    return { header, txn };
  }

  private request(roll: number): Parameters<Preparer['prepare']>[0] {
    const data = utf8.encode(`value-${Math.floor(this.random() * 1e9)}`);
    if (roll < 0.5 || this.paths.length === 0) {
      const parent = this.paths.length > 0 && this.random() < 0.5 ? this.paths[Math.floor(this.random() * this.paths.length)] : '';
      const flags = [0, 0, 1, 2, 3][Math.floor(this.random() * 5)]; // persistent, ephemeral, sequential, both
      return { op: 1, path: `${parent}/n${Math.floor(this.random() * 1000)}`, data, acl: OPEN_ACL, flags };
    }
    const path = this.paths[Math.floor(this.random() * this.paths.length)];
    if (roll < 0.85) return { op: 5, path, data, version: -1 };
    return { op: 2, path, version: -1 };
  }
}

/** Opens the log of `dirs` for the body, closes it after. */
export async function withLog<T>(dirs: TempDirs, body: (log: LogStore) => Promise<T>): Promise<T> {
  const log = await LogStore.open(dirs.dataLogDir);
  try {
    return await body(log);
  } finally {
    await log.close();
  }
}

/** Opens the snapshot store of `dirs` for the body, closes it after. */
export async function withSnapshots<T>(dirs: TempDirs, body: (snapshots: SnapshotStore) => Promise<T>): Promise<T> {
  const snapshots = await SnapshotStore.open(dirs.dataDir);
  try {
    return await body(snapshots);
  } finally {
    await snapshots.close();
  }
}
