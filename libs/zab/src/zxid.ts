// zxid = (epoch << 32) | counter, as a bigint: the total order of every txn the ensemble ever proposes.

import { assert } from './assert';

export const ZXID_COUNTER_MAX = 0xffff_ffffn;
export const ZXID_NONE = 0n;

export function makeZxid(epoch: number, counter: bigint | number): bigint {
  const c = BigInt(counter);
  assert(Number.isInteger(epoch) && epoch >= 0 && epoch <= 0xffff_ffff, `epoch out of range: ${epoch}`);
  assert(c >= 0n && c <= ZXID_COUNTER_MAX, `zxid counter out of range: ${c}`);
  return (BigInt(epoch) << 32n) | c;
}

export function epochOf(zxid: bigint): number {
  return Number(zxid >> 32n);
}

export function counterOf(zxid: bigint): bigint {
  return zxid & ZXID_COUNTER_MAX;
}

/** The counter the proposal after `last` gets in `epoch`: the next one, or 1 when the epoch is new (unchecked). */
export function nextCounter(last: bigint, epoch: number): bigint {
  return epochOf(last) === epoch ? counterOf(last) + 1n : 1n;
}

/** ZooKeeper's log format: 0x<epoch hex><counter 8 hex digits>. */
export function formatZxid(zxid: bigint): string {
  return `0x${zxid.toString(16)}`;
}
