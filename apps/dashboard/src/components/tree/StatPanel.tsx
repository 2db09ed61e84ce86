'use client';
// A znode's Stat, every field, with times in words.
import type { Stat } from '../../lib/api-types';
import { formatBytes, formatTime } from '../../lib/format';

export function StatPanel({ stat }: { stat: Stat }) {
  const rows: [string, string][] = [
    ['version', String(stat.version)],
    ['cversion', String(stat.cversion)],
    ['aversion', String(stat.aversion)],
    ['czxid', stat.czxid],
    ['mzxid', stat.mzxid],
    ['pzxid', stat.pzxid],
    ['ctime', formatTime(stat.ctime)],
    ['mtime', formatTime(stat.mtime)],
    ['ephemeralOwner', stat.ephemeralOwner === '0x0' || !stat.ephemeralOwner || /^0x0+$/.test(stat.ephemeralOwner) ? 'none (persistent)' : stat.ephemeralOwner],
    ['dataLength', formatBytes(stat.dataLength)],
    ['numChildren', String(stat.numChildren)],
  ];
  return (
    <dl className="kv">
      {rows.map(([name, value]) => (
        <div key={name} style={{ display: 'contents' }}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
