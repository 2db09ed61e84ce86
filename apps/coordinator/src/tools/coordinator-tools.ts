// `coordinator-tools`: the operator's view of a data directory, read-only — print the transaction log,
// list snapshots, print one snapshot's tree, and verify every checksum (like ZooKeeper's TxnLogToolkit and
// SnapshotFormatter). Safe on a running server's files: it opens them read-only.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseZooConfig } from '../config/zoo-config';
import { LOG_FILE_NAME, LogStore } from '../storage/log-store';
import { checkRecord, loadSnapshotTree } from '../storage/replay';
import { hex32, SNAPSHOT_FILE_NAME, SnapshotStore } from '../storage/snapshot-store';
import { describeRecord, formatTree, hex } from './format';
import { verifyDataDirectory } from './verify';

export const USAGE = `usage: coordinator-tools <command> [zoo.cfg] [--data-dir DIR] [--log-dir DIR] [options]

commands:
  log        print the transaction log, one txn a line
             --from ZXID   start after this zxid (hex 0x… or decimal)
             --limit N     print at most N txns
             --quarantine  print the records start-up took out of the log instead
  snapshots  list the snapshots with their zxid, digest, size and status
  snapshot   print a snapshot's tree, node by node (default: the newest valid one)
             --id N        the snapshot with this id
             --data        show each node's data too
  verify     check every log record and snapshot, and what start-up would recover;
             exit status 0 when all is well, 1 when anything is damaged

The directories come from zoo.cfg (dataDir, dataLogDir) or from --data-dir / --log-dir.
Files are opened read-only; it is safe to run against a live server.`;

interface Args {
  command: string;
  dataDir?: string;
  dataLogDir?: string;
  options: Map<string, string | true>;
}

class UsageError extends Error {}

const FLAGS_WITH_VALUE = new Set(['--data-dir', '--log-dir', '--from', '--limit', '--id']);

function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') throw new UsageError('');
  const options = new Map<string, string | true>();
  let configPath: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (FLAGS_WITH_VALUE.has(arg)) {
      const value = rest[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      options.set(arg, value);
    } else if (arg.startsWith('--')) {
      options.set(arg, true);
    } else if (configPath === undefined) {
      configPath = arg;
    } else {
      throw new UsageError(`unexpected argument ${arg}`);
    }
  }
  let dataDir = options.get('--data-dir') as string | undefined;
  let dataLogDir = options.get('--log-dir') as string | undefined;
  if (configPath !== undefined) {
    const absolute = resolve(configPath);
    const config = parseZooConfig(readFileSync(absolute, 'utf8'), {
      sourcePath: absolute,
      resolvePath: (p) => (isAbsolute(p) ? p : join(dirname(absolute), p)),
      readMyid: (dir) => (existsSync(join(dir, 'myid')) ? readFileSync(join(dir, 'myid'), 'utf8') : undefined),
    });
    dataDir ??= config.dataDir;
    dataLogDir ??= config.dataLogDir;
  }
  return { command, dataDir, dataLogDir: dataLogDir ?? dataDir, options };
}

function parseZxid(text: string): bigint {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(text)) throw new UsageError(`not a zxid: ${text}`);
  return BigInt(text);
}

async function openLog(dir: string | undefined): Promise<LogStore> {
  if (dir === undefined) throw new UsageError('say where the log is: a zoo.cfg, --log-dir or --data-dir');
  if (!existsSync(join(dir, LOG_FILE_NAME))) throw new UsageError(`no ${LOG_FILE_NAME} in ${dir}`);
  return LogStore.open(dir, { readOnly: true });
}

async function openSnapshots(dir: string | undefined): Promise<SnapshotStore> {
  if (dir === undefined) throw new UsageError('say where the snapshots are: a zoo.cfg or --data-dir');
  if (!existsSync(join(dir, SNAPSHOT_FILE_NAME))) throw new UsageError(`no ${SNAPSHOT_FILE_NAME} in ${dir}`);
  return SnapshotStore.open(dir, { readOnly: true });
}

async function printLog(args: Args, out: (line: string) => void): Promise<number> {
  const log = await openLog(args.dataLogDir);
  try {
    if (args.options.has('--quarantine')) {
      const rows = await log.quarantined();
      for (const row of rows) {
        out(`#${row.id} ${new Date(row.quarantinedAtMs).toISOString()} ${hex(row.zxid)} reason: ${row.reason}`);
      }
      out(`${rows.length} quarantined records`);
      return 0;
    }
    const limit = args.options.has('--limit') ? Number(args.options.get('--limit')) : Infinity;
    if (!(limit >= 0)) throw new UsageError('--limit needs a number');
    const purgedThrough = await log.purgedThroughZxid();
    let after = args.options.has('--from') ? parseZxid(args.options.get('--from') as string) : 0n;
    let previous = after > purgedThrough ? after : purgedThrough;
    let printed = 0;
    let bad = 0;
    out(`log ${log.path}${purgedThrough > 0n ? ` (purged through ${hex(purgedThrough)})` : ''}`);
    while (printed < limit) {
      const page = await log.readAfter(after, Math.min(1_000, limit - printed));
      if (page.length === 0) break;
      for (const record of page) {
        const checked = checkRecord(record, previous);
        if (checked.ok) out(describeRecord(checked.header, checked.txn));
        else {
          bad++;
          out(`${hex(record.zxid)} BAD ${checked.problem}`);
        }
        previous = record.zxid;
        after = record.zxid;
        printed++;
      }
    }
    out(`${printed} txns${bad > 0 ? `, ${bad} BAD` : ''}`);
    return bad > 0 ? 1 : 0;
  } finally {
    await log.close();
  }
}

async function listSnapshots(args: Args, out: (line: string) => void): Promise<number> {
  const snapshots = await openSnapshots(args.dataDir);
  try {
    const rows = await snapshots.list();
    out('id\tzxid\tdigest\tnodes\tsessions\tbytes\tchecksum\tcreated\tstatus');
    for (const s of rows) {
      out([s.id, hex(s.lastZxid), s.digest, s.nodeCount, s.sessionCount, s.sizeBytes, hex32(s.checksum), new Date(s.createdAtMs).toISOString(), s.status + (s.note ? ` (${s.note})` : '')].join('\t'));
    }
    out(`${rows.length} snapshots`);
    return 0;
  } finally {
    await snapshots.close();
  }
}

async function printSnapshot(args: Args, out: (line: string) => void): Promise<number> {
  const snapshots = await openSnapshots(args.dataDir);
  try {
    const rows = await snapshots.list();
    const id = args.options.has('--id') ? Number(args.options.get('--id')) : undefined;
    const meta = id === undefined ? rows.find((row) => row.status === 'valid') : rows.find((row) => row.id === id);
    if (meta === undefined) throw new UsageError(id === undefined ? 'no valid snapshot' : `no snapshot #${id}`);
    const tree = await loadSnapshotTree(snapshots, meta, {});
    out(`snapshot #${meta.id} zxid ${hex(meta.lastZxid)} digest ${meta.digest} nodes ${meta.nodeCount} taken ${new Date(meta.createdAtMs).toISOString()}`);
    for (const line of formatTree(tree, args.options.has('--data'))) out(line);
    return 0;
  } finally {
    await snapshots.close();
  }
}

/** Runs one command; returns the exit status. */
export async function run(argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
    switch (args.command) {
      case 'log':
        return await printLog(args, out);
      case 'snapshots':
        return await listSnapshots(args, out);
      case 'snapshot':
        return await printSnapshot(args, out);
      case 'verify':
        if (args.dataDir === undefined) throw new UsageError('say where the data is: a zoo.cfg or --data-dir');
        return await verifyDataDirectory(args.dataDir, args.dataLogDir ?? args.dataDir, out);
      default:
        throw new UsageError(`unknown command ${args.command}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message) err(`coordinator-tools: ${error.message}`);
      err(USAGE);
      return 2;
    }
    err(`coordinator-tools: ${(error as Error).message}`);
    return 1;
  }
}

/** The command line entry (bin/coordinator-tools.js): sets the exit status when done. */
export function main(argv: string[]): void {
  // `coordinator-tools log … | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const write = (stream: NodeJS.WriteStream) => (line: string) => void stream.write(line + '\n');
  run(argv, write(process.stdout), write(process.stderr)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`coordinator-tools: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
