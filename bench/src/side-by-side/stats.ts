// Figures from raw measurements: percentiles of merged latency arrays, medians, and the row type the
// report is made of.

export type Better = 'higher' | 'lower';

/** One figure of one system on one row, e.g. "getData 100 B, 8 clients × 64 in flight" / "p99 latency". */
export interface Figure {
  row: string;
  metric: string;
  unit: string;
  better: Better;
  /** undefined = not measured (e.g. "not yet"); `note` says why. */
  value: number | undefined;
  note?: string;
}

export function mergeSorted(arrays: readonly Float64Array[]): Float64Array {
  const total = arrays.reduce((sum, array) => sum + array.length, 0);
  const merged = new Float64Array(total);
  let offset = 0;
  for (const array of arrays) {
    merged.set(array, offset);
    offset += array.length;
  }
  return merged.sort();
}

/** Nearest-rank percentile of sorted values (p in 0..100); NaN for no values. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** The middle value; the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** ops/s and p50/p99/max latency figures for one load row. */
export function loadFigures(row: string, ops: number, windowMs: number, sorted: Float64Array, opsUnit = 'ops/s'): Figure[] {
  return [
    { row, metric: 'throughput', unit: opsUnit, better: 'higher', value: (ops / windowMs) * 1_000 },
    { row, metric: 'p50 latency', unit: 'ms', better: 'lower', value: percentile(sorted, 50) },
    { row, metric: 'p99 latency', unit: 'ms', better: 'lower', value: percentile(sorted, 99) },
    { row, metric: 'max latency', unit: 'ms', better: 'lower', value: percentile(sorted, 100) },
  ];
}
