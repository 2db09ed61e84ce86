// `coordinator-tools verify`: every log record and snapshot checked, and a dry run of start-up (newest valid
// snapshot + replay) — what the server would load, and what it would cut off — without changing anything.
import { DataTree } from '@zk/datatree';
import { LogStore } from '../storage/log-store';
import { checkRecord, loadSnapshotTree } from '../storage/replay';
import { SnapshotCorruptError, SnapshotStore } from '../storage/snapshot-store';
import { hex } from './format';

const PAGE = 10_000;

export async function verifyDataDirectory(dataDir: string, dataLogDir: string, out: (line: string) => void): Promise<number> {
  const log = await LogStore.open(dataLogDir, { readOnly: true });
  let snapshots: SnapshotStore | undefined;
  try {
    snapshots = await SnapshotStore.open(dataDir, { readOnly: true });
    let problems = 0;

    const purgedThrough = await log.purgedThroughZxid();
    let previous = purgedThrough;
    let records = 0;
    for (let after = 0n; ; ) {
      const page = await log.readAfter(after, PAGE);
      if (page.length === 0) break;
      for (const record of page) {
        const checked = checkRecord(record, previous);
        if (!checked.ok) {
          problems++;
          out(`log: BAD ${checked.problem}`);
        }
        previous = record.zxid;
        after = record.zxid;
        records++;
      }
    }
    out(`log: ${records} records checked${purgedThrough > 0n ? `, purged through ${hex(purgedThrough)}` : ''}${records > 0 ? `, last ${hex(previous)}` : ''}`);

    const rows = await snapshots.list();
    let base: { tree: DataTree; label: string } | undefined;
    for (const meta of rows) {
      if (meta.status === 'corrupt') {
        out(`snapshot #${meta.id} ${hex(meta.lastZxid)}: marked corrupt at start-up (${meta.note ?? 'no note'})`);
        continue;
      }
      if (meta.status === 'installing') {
        out(`snapshot #${meta.id} ${hex(meta.lastZxid)}: an install from the leader that start-up will finish or drop`);
        continue;
      }
      try {
        const tree = await loadSnapshotTree(snapshots, meta, {});
        out(`snapshot #${meta.id} ${hex(meta.lastZxid)}: ok, ${meta.nodeCount} nodes, digest ${meta.digest}`);
        if (base === undefined && meta.lastZxid >= purgedThrough) base = { tree, label: `snapshot #${meta.id}` };
      } catch (error) {
        if (!(error instanceof SnapshotCorruptError)) throw error;
        problems++;
        out(`snapshot #${meta.id} ${hex(meta.lastZxid)}: BAD ${error.message}`);
      }
    }

    if (base === undefined && purgedThrough > 0n) {
      out('start-up: would REFUSE: no valid snapshot and the log is purged');
      return 1;
    }
    const start = base ?? { tree: new DataTree(), label: 'an empty tree' };
    let replayed = 0;
    let cut: string | undefined;
    replay: for (;;) {
      const page = await log.readAfter(start.tree.lastZxid, PAGE);
      if (page.length === 0) break;
      for (const record of page) {
        const checked = checkRecord(record, start.tree.lastZxid);
        if (!checked.ok) {
          cut = checked.problem;
          break replay;
        }
        start.tree.apply(checked.header, checked.txn);
        replayed++;
      }
    }
    out(
      `start-up: would load ${start.label} + ${replayed} txns → zxid ${hex(start.tree.lastZxid)}, ${start.tree.nodeCount} nodes, digest ${start.tree.digest()}` +
        (cut ? `; would truncate the log at: ${cut}` : ''),
    );
    out(problems === 0 ? 'verify: OK' : `verify: ${problems} problems`);
    return problems === 0 ? 0 : 1;
  } finally {
    await Promise.allSettled([log.close(), snapshots?.close()]);
  }
}
