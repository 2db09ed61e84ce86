// The simulated application's state is the sequence of txns it applied; its snapshot bytes encode it.

import type { AppliedTxn } from './invariants';

export function encodeApplied(txns: readonly AppliedTxn[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(txns.map((t) => [t.zxid.toString(), t.key])));
}

export function decodeApplied(bytes: Uint8Array): AppliedTxn[] {
  const rows = JSON.parse(new TextDecoder().decode(bytes)) as Array<[string, string]>;
  return rows.map(([zxid, key]) => ({ zxid: BigInt(zxid), key }));
}
