import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogStore } from '../storage/log-store';
import { DurableStorage } from '../storage/storage';
import { capturingLogger, makeTempDirs, testStorageOptions, Workload, type TempDirs } from '../storage/test-support';
import { run } from './coordinator-tools';

let dirs: TempDirs;

async function tool(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, (line) => out.push(line), (line) => err.push(line));
  return { code, out, err };
}

beforeEach(async () => {
  dirs = makeTempDirs(true);
  const storage = await DurableStorage.open(testStorageOptions(dirs), capturingLogger().logger);
  const workload = new Workload(41, storage.tree);
  for (let i = 0; i < 60; i++) {
    const { header, txn } = workload.next();
    await storage.txnLog.append(header, txn);
    if (i === 39) await storage.snapshotNow();
  }
  await storage.close();
  writeFileSync(join(dirs.root, 'zoo.cfg'), `dataDir=${dirs.dataDir}\ndataLogDir=${dirs.dataLogDir}\nclientPort=2181\n`);
});
afterEach(() => dirs.remove());

describe('coordinator-tools', () => {
  it('prints the log one txn a line, from a zoo.cfg', async () => {
    const { code, out } = await tool('log', join(dirs.root, 'zoo.cfg'));
    expect(code).toBe(0);
    expect(out[1]).toMatch(/^0x1 \S+Z session=0x100 cxid=1 createSession timeout=30000ms$/);
    expect(out.some((line) => /^0x\w+ .* create \/n\d+ (persistent|ephemeral) .*data=\d+B "value-\d+"/.test(line))).toBe(true);
    expect(out.at(-1)).toBe('60 txns');
  });

  it('pages with --from and --limit', async () => {
    const { out } = await tool('log', '--log-dir', dirs.dataLogDir, '--from', '0x10', '--limit', '3');
    expect(out.slice(1, 4).map((line) => line.split(' ')[0])).toEqual(['0x11', '0x12', '0x13']);
    expect(out.at(-1)).toBe('3 txns');
  });

  it('lists snapshots and prints one in SnapshotFormatter style', async () => {
    const list = await tool('snapshots', '--data-dir', dirs.dataDir);
    expect(list.out[1]).toMatch(/^1\t0x28\t-?\d+\t\d+\t\d+\t\d+\t0x[0-9a-f]{8}\t\S+\tvalid$/);
    const printed = await tool('snapshot', '--data-dir', dirs.dataDir, '--data');
    expect(printed.code).toBe(0);
    expect(printed.out[0]).toMatch(/^snapshot #1 zxid 0x28 digest/);
    expect(printed.out).toContain('/zookeeper');
    expect(printed.out).toContain('  cZxid = 0x0');
    expect(printed.out.some((line) => line.startsWith('Sessions ('))).toBe(true);
  });

  it('verify says OK for a healthy directory and what start-up would load', async () => {
    const { code, out } = await tool('verify', join(dirs.root, 'zoo.cfg'));
    expect(code).toBe(0);
    expect(out).toContain('log: 60 records checked, last 0x3c');
    expect(out.find((line) => line.startsWith('start-up:'))).toMatch(/would load snapshot #1 \+ 20 txns → zxid 0x3c/);
    expect(out.at(-1)).toBe('verify: OK');
  });

  it('verify finds a damaged record, says where start-up would cut, and exits 1', async () => {
    const log = await LogStore.open(dirs.dataLogDir);
    await log.rawQuery('UPDATE txn_log SET checksum = (checksum + 1) % 4294967296 WHERE zxid = 50');
    await log.close();
    const { code, out } = await tool('verify', '--data-dir', dirs.dataDir, '--log-dir', dirs.dataLogDir);
    expect(code).toBe(1);
    expect(out.filter((line) => line.startsWith('log: BAD'))).toEqual([expect.stringMatching(/^log: BAD checksum mismatch at 0x32 \(recorded 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\)$/)]);
    expect(out.find((line) => line.startsWith('start-up:'))).toMatch(/→ zxid 0x31, .* would truncate the log at: checksum mismatch at 0x32/);
    const printed = await tool('log', '--log-dir', dirs.dataLogDir, '--from', '0x30');
    expect(printed.out.some((line) => line.startsWith('0x32 BAD checksum mismatch'))).toBe(true);
    expect(printed.code).toBe(1);
  });

  it('explains its usage', async () => {
    const { code, err } = await tool('frobnicate', '--data-dir', dirs.dataDir);
    expect(code).toBe(2);
    expect(err[0]).toBe('coordinator-tools: unknown command frobnicate');
    expect((await tool('log', '--data-dir', join(dirs.root, 'nowhere'))).err[0]).toMatch(/no txnlog.sqlite in/);
  });
});
