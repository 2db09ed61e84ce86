// Helpers shared by the sequential-node recipes: ZooKeeper's 10-digit sequence suffix and sorting by it.

/** The sequence number ZooKeeper appended to a sequential node's name ("lock-0000000042" → 42). */
export function sequenceOf(name: string): number {
  const match = /(\d{10})$/.exec(name);
  if (match === null) throw new Error(`${name} is not a sequential node name`);
  return Number(match[1]);
}

/**
 * Children whose name contains `marker` followed by the sequence, sorted by sequence number (not by name:
 * protected names start with a random uuid).
 */
export function sortBySequence(children: readonly string[], marker: string): string[] {
  const pattern = new RegExp(`${marker}\\d{10}$`);
  return children.filter((child) => pattern.test(child)).sort((a, b) => sequenceOf(a) - sequenceOf(b));
}
