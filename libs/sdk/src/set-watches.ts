// The SetWatches2 records a reconnect sends to re-arm every watch the client holds, from the last zxid it
// saw (so the server fires whatever changed meanwhile), split into bounded batches as ZooKeeper splits them.
import { OpCode, type SetWatches2Request } from '@zk/wire';
import type { WatchKind, WatchRegistry } from './watch-registry';

/** ZooKeeper's client keeps each SetWatches packet under 128 KiB of paths. */
export const SET_WATCHES_BATCH_BYTES_MAX = 128 * 1024;

type PathField = keyof Omit<SetWatches2Request, 'op' | 'relativeZxid'>;

const FIELDS: readonly [WatchKind, PathField][] = [
  ['data', 'dataWatches'],
  ['exist', 'existWatches'],
  ['child', 'childWatches'],
  ['persistent', 'persistentWatches'],
  ['persistentRecursive', 'persistentRecursiveWatches'],
];

/** No records when there are no watches; otherwise one per batch of at most `batchBytesMax` bytes of paths. */
export function setWatchesBatches(
  watches: WatchRegistry,
  toServerPath: (clientPath: string) => string,
  relativeZxid: bigint,
  batchBytesMax = SET_WATCHES_BATCH_BYTES_MAX,
): SetWatches2Request[] {
  if (watches.isEmpty) return [];
  const fresh = (): SetWatches2Request => ({
    op: OpCode.setWatches2,
    relativeZxid,
    dataWatches: [],
    existWatches: [],
    childWatches: [],
    persistentWatches: [],
    persistentRecursiveWatches: [],
  });
  const batches: SetWatches2Request[] = [];
  let batch = fresh();
  let batchBytes = 0;
  for (const [kind, field] of FIELDS) {
    for (const clientPath of watches.paths(kind)) {
      const path = toServerPath(clientPath);
      const pathBytes = path.length + 4;
      if (batchBytes > 0 && batchBytes + pathBytes > batchBytesMax) {
        batches.push(batch);
        batch = fresh();
        batchBytes = 0;
      }
      batch[field].push(path);
      batchBytes += pathBytes;
    }
  }
  batches.push(batch);
  return batches;
}
