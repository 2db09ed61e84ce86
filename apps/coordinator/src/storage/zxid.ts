// zxids as SQLite stores them: INTEGER columns that node-sqlite3 hands back as JS numbers, exact up to
// 2^53 - 1, i.e. epochs below 2^21. Past that limit storage refuses the zxid explicitly.
import { assert } from '@zk/datatree';

export const ZXID_STORABLE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

export function zxidToSql(zxid: bigint): number {
  assert(zxid >= 0n && zxid <= ZXID_STORABLE_MAX, `zxid 0x${zxid.toString(16)} is outside what storage can hold (epoch < 2^21)`);
  return Number(zxid);
}

export function zxidFromSql(value: number | string | bigint): bigint {
  const zxid = BigInt(value);
  assert(zxid >= 0n && zxid <= ZXID_STORABLE_MAX, `zxid ${String(value)} read from storage is out of range`);
  return zxid;
}

export function epochOf(zxid: bigint): bigint {
  return zxid >> 32n;
}

export function counterOf(zxid: bigint): bigint {
  return zxid & 0xffffffffn;
}

/**
 * Whether `next` may follow `previous` in a log: the next counter in the same epoch, or the first txn of a
 * later epoch (ZAB starts every epoch's counter at 1). Anything else is a hole: a txn is missing.
 */
export function isSuccessorZxid(previous: bigint, next: bigint): boolean {
  if (next === previous + 1n) return true;
  return epochOf(next) > epochOf(previous) && counterOf(next) === 1n;
}

export function hexZxid(zxid: bigint): string {
  return '0x' + zxid.toString(16);
}
