// Node data in and out: strings are UTF-8, null is ZooKeeper's null data (distinct from empty).
import { NULL_DATA } from '@zk/wire';

export type DataInput = Uint8Array | string | null;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function toBytes(data: DataInput | undefined): Uint8Array {
  if (data === null || data === undefined) return NULL_DATA;
  return typeof data === 'string' ? encoder.encode(data) : data;
}

/** UTF-8 text of node data. */
export function toText(data: Uint8Array): string {
  return decoder.decode(data);
}
