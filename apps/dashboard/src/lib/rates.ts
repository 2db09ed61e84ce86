// Small time series for the cluster charts: committed writes per second from the leader's zxid, and latency.
export interface Sample {
  at: number;
  value: number;
}

/** The counter half of a zxid ("0x300000012" → 0x12) and its epoch half (→ 3). */
export function splitZxid(zxid: string | undefined): { epoch: number; counter: number } | null {
  if (!zxid || !/^0x[0-9a-f]+$/i.test(zxid)) return null;
  const value = BigInt(zxid);
  return { epoch: Number(value >> 32n), counter: Number(value & 0xffffffffn) };
}

/**
 * Writes per second between two zxid readings. Within one epoch it is the counter's growth; a new epoch restarts the
 * counter at 0, so the new counter is the writes since then (a lower bound).
 */
export function writesPerSecond(previous: { at: number; zxid: string } | undefined, next: { at: number; zxid: string }): number | null {
  if (!previous) return null;
  const a = splitZxid(previous.zxid);
  const b = splitZxid(next.zxid);
  const seconds = (next.at - previous.at) / 1000;
  if (!a || !b || seconds <= 0) return null;
  const writes = b.epoch === a.epoch ? b.counter - a.counter : b.epoch > a.epoch ? b.counter : 0;
  return Math.max(0, writes) / seconds;
}

/** Appends a sample and keeps the newest `max`. */
export function pushSample(series: Sample[], sample: Sample, max = 60): Sample[] {
  const next = [...series, sample];
  return next.length > max ? next.slice(next.length - max) : next;
}

/** SVG polyline points for a series in a width × height box (y grows downwards; 0 at the bottom). */
export function sparklinePoints(series: Sample[], width: number, height: number, maxValue?: number): string {
  if (series.length === 0) return '';
  const top = Math.max(maxValue ?? 0, ...series.map((sample) => sample.value), 1e-9);
  const step = series.length > 1 ? width / (series.length - 1) : 0;
  return series
    .map((sample, index) => {
      const x = series.length > 1 ? index * step : width;
      const y = height - (Math.max(0, sample.value) / top) * height;
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}
