// ZooKeeper tells null data (length -1) from empty data: a node created with null answers getData with null.
// Records hold Uint8Array, so null travels as this one shared, empty, frozen instance, written back as -1.

export const NULL_DATA: Uint8Array = Object.freeze(new Uint8Array(0)) as Uint8Array;

/** A jute buffer as data: null (-1) becomes NULL_DATA so that it can be written back as null. */
export function dataOrNull(buffer: Uint8Array | null): Uint8Array {
  return buffer ?? NULL_DATA;
}
