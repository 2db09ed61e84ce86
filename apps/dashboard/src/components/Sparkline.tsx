'use client';
// A small line chart as inline SVG, with the newest value in words for screen readers.
import { sparklinePoints, type Sample } from '../lib/rates';
import { formatNumber } from '../lib/format';

export function Sparkline({ title, unit, series }: { title: string; unit: string; series: Sample[] }) {
  const width = 240;
  const height = 48;
  const latest = series[series.length - 1]?.value;
  const peak = series.reduce((max, sample) => Math.max(max, sample.value), 0);
  const label = `${title}: ${latest === undefined ? 'no data yet' : `${formatNumber(latest)} ${unit} now`}, peak ${formatNumber(peak)} ${unit} over the last ${series.length} samples`;
  return (
    <figure className="chart-card" style={{ margin: 0 }}>
      <figcaption className="small">
        <strong>{title}</strong> <span className="muted">{latest === undefined ? '—' : `${formatNumber(latest)} ${unit}`}</span>
      </figcaption>
      <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} preserveAspectRatio="none">
        <line x1="0" y1={height - 0.5} x2={width} y2={height - 0.5} stroke="#c9d0d8" />
        <polyline fill="none" stroke="#0b5cad" strokeWidth="2" points={sparklinePoints(series, width, height - 2)} />
      </svg>
    </figure>
  );
}
