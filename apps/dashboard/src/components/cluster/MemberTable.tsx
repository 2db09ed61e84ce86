'use client';
// One row per ensemble member: role, epoch, zxid, lag, health, connections, latency.
import type { Member } from '../../lib/api-types';
import { formatDuration, formatNumber } from '../../lib/format';
import { HealthBadge, RoleBadge } from './RoleBadge';

export function MemberTable({ members, answeredBy }: { members: Member[]; answeredBy: number }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="muted small" style={{ textAlign: 'left' }}>
          Answered by member {answeredBy}
        </caption>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Role</th>
            <th scope="col">Health</th>
            <th scope="col" className="num">Epoch</th>
            <th scope="col">Last zxid</th>
            <th scope="col" className="num">Lag (txns)</th>
            <th scope="col" className="num">Connections</th>
            <th scope="col" className="num">Latency avg / max (ms)</th>
            <th scope="col" className="num">Uptime</th>
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr key={member.id} data-member={member.id} data-role={member.role ?? 'unknown'}>
              <th scope="row">
                {member.id} <span className="muted small mono">{`${member.host}:${member.clientPort}`}</span>
                {member.type === 'observer' ? <span className="badge">observer</span> : null}
              </th>
              <td>
                <RoleBadge member={member} />
              </td>
              <td>
                <HealthBadge member={member} />
              </td>
              <td className="num">{member.epoch ?? '—'}</td>
              <td className="mono">{member.lastZxid ?? '—'}</td>
              <td className="num">{member.lagTxns ?? '—'}</td>
              <td className="num">{member.connections ?? '—'}</td>
              <td className="num">{member.latencyMs ? `${formatNumber(member.latencyMs.avg)} / ${formatNumber(member.latencyMs.max)}` : '—'}</td>
              <td className="num">{formatDuration(member.uptimeMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
