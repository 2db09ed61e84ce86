// The stat ZooKeeper stores per node (StatPersisted) and the Stat a client sees, which derives
// dataLength and numChildren, shows cversion as creates*2 - children and hides container/TTL owners.
import type { Stat } from '@zk/wire';
import { clientEphemeralOwner, type NodeKind } from './node-kind';

export interface PersistedStat {
  czxid: bigint;
  mzxid: bigint;
  pzxid: bigint;
  ctime: bigint;
  mtime: bigint;
  version: number;
  /** The number of children ever created (not the client's cversion; see clientStat). */
  cversion: number;
  aversion: number;
  /** The stored owner: a session, or the container/TTL encoding (see node-kind.ts). */
  ephemeralOwner: bigint;
}

/** DataTree.createStat. `time` is in ms. */
export function createPersistedStat(zxid: bigint, time: bigint, ephemeralOwner: bigint): PersistedStat {
  return { czxid: zxid, mzxid: zxid, pzxid: zxid, ctime: time, mtime: time, version: 0, cversion: 0, aversion: 0, ephemeralOwner };
}

/** Field by field: `stat` may be a whole node, whose other fields must not come along. */
export function copyPersistedStat(stat: PersistedStat): PersistedStat {
  return {
    czxid: stat.czxid,
    mzxid: stat.mzxid,
    pzxid: stat.pzxid,
    ctime: stat.ctime,
    mtime: stat.mtime,
    version: stat.version,
    cversion: stat.cversion,
    aversion: stat.aversion,
    ephemeralOwner: stat.ephemeralOwner,
  };
}

/** DataNode.copyStat. */
export function clientStat(stat: PersistedStat, kind: NodeKind, dataLength: number, numChildren: number): Stat {
  return {
    czxid: stat.czxid,
    mzxid: stat.mzxid,
    ctime: stat.ctime,
    mtime: stat.mtime,
    version: stat.version,
    // "translate from the count of the creates to the count of the changes": Java int arithmetic.
    cversion: (stat.cversion * 2 - numChildren) | 0,
    aversion: stat.aversion,
    ephemeralOwner: clientEphemeralOwner(kind, stat.ephemeralOwner),
    dataLength,
    numChildren,
    pzxid: stat.pzxid,
  };
}

/** A Java int increment (versions wrap at 2^31). */
export function nextInt32(n: number): number {
  return (n + 1) | 0;
}
