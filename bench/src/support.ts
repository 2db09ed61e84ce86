// Shared by the benchmarks: a data directory (BENCH_DIR, default the OS temp dir: make sure it is a real disk,
// not tmpfs, or fsync costs nothing),
// a 100,000-znode workload of creates, and a way to print a result table.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateTxn, Txn, TxnHeader } from '@zk/datatree';
// eslint-disable-next-line @nx/enforce-module-boundaries -- an in-process storage benchmark measures the coordinator's own classes
import { Logger } from '../../apps/coordinator/src/util/logger';

export const BENCH_ROOT = process.env['BENCH_DIR'] ?? tmpdir();

export function benchDir(name: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(BENCH_ROOT, `zk-bench-${name}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export const quietLogger = new Logger({ write: () => undefined }, 'error', () => ({}));

const OPEN_ACL = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const utf8 = new TextEncoder();

/** Creates of /b{i/1000}/n{i}: 100 parents of 1,000 children each for 100,000 znodes, ~40 bytes of data each. */
export function* createTxns(count: number, zxidFirst = 1n, prefix = 'b', childrenPerParent = 1_000): Generator<{ header: TxnHeader; txn: Txn }> {
  let zxid = zxidFirst;
  for (let i = 0; i < count; i++) {
    const parentIndex = Math.floor(i / childrenPerParent);
    if (i % childrenPerParent === 0) {
      const parent: CreateTxn = { type: 'create', path: `/${prefix}${parentIndex}`, data: new Uint8Array(0), acl: OPEN_ACL, ephemeralOwner: 0n, parentCversion: -1, kind: 'persistent', responseOp: 1 };
      yield { header: { sessionId: 0n, cxid: 0, zxid: zxid++, timeMs: 1_700_000_000_000 + i }, txn: parent };
    }
    const child: CreateTxn = {
      type: 'create',
      path: `/${prefix}${parentIndex}/n${i}`,
      data: utf8.encode(`payload of znode number ${i} ...........`),
      acl: OPEN_ACL,
      ephemeralOwner: 0n,
      parentCversion: -1,
      kind: 'persistent',
      responseOp: 1,
    };
    yield { header: { sessionId: 0n, cxid: 0, zxid: zxid++, timeMs: 1_700_000_000_000 + i }, txn: child };
  }
}

export function table(title: string, header: string[], rows: (string | number)[][]): string {
  const lines = [`### ${title}`, '', `| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n') + '\n';
}

/** setData on the znodes createTxns made, round-robin (each pass raises every version by one): load that keeps the tree's size. */
export function* setDataTxns(znodes: number, zxidFirst: bigint, childrenPerParent = 1_000): Generator<{ header: TxnHeader; txn: Txn }> {
  let zxid = zxidFirst;
  for (let pass = 1; ; pass++) {
    for (let i = 0; i < znodes; i++) {
      const txn: Txn = { type: 'setData', path: `/b${Math.floor(i / childrenPerParent)}/n${i}`, data: utf8.encode(`payload ${i} pass ${pass} .............`), version: pass };
      yield { header: { sessionId: 0n, cxid: 0, zxid: zxid++, timeMs: 1_700_000_000_000 + i }, txn };
    }
  }
}
