'use client';
// The ensemble as a picture: the leader on top, voting followers below it, observers on a row of their own.
import type { Member } from '../../lib/api-types';

const WIDTH = 600;

function place(row: Member[], y: number): { member: Member; x: number; y: number }[] {
  const gap = WIDTH / (row.length + 1);
  return row.map((member, index) => ({ member, x: gap * (index + 1), y }));
}

function colour(member: Member): { fill: string; stroke: string; text: string } {
  if (!member.reachable) return { fill: '#fdecee', stroke: '#a40e26', text: '#a40e26' };
  if (member.role === 'leader') return { fill: '#0b5cad', stroke: '#0b5cad', text: '#ffffff' };
  if (member.role === 'looking' || !member.serving) return { fill: '#fff4d6', stroke: '#7a4d00', text: '#7a4d00' };
  return { fill: '#e6f4ea', stroke: '#116329', text: '#116329' };
}

export function Topology({ members, leaderId }: { members: Member[]; leaderId: number | null }) {
  const leader = members.filter((member) => member.id === leaderId);
  const voters = members.filter((member) => member.id !== leaderId && member.type !== 'observer');
  const observers = members.filter((member) => member.id !== leaderId && member.type === 'observer');
  const nodes = [...place(leader, 40), ...place(voters, 130), ...place(observers, 220)];
  const height = observers.length > 0 ? 260 : 170;
  const top = nodes.find((node) => node.member.id === leaderId);
  const summary = `Leader: ${leaderId === null ? 'none (election in progress)' : `member ${leaderId}`}. Followers: ${voters.map((m) => m.id).join(', ') || 'none'}. Observers: ${observers.map((m) => m.id).join(', ') || 'none'}.`;
  return (
    <svg className="topology" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={summary}>
      {top
        ? nodes
            .filter((node) => node !== top)
            .map((node) => (
              <line
                key={`link-${node.member.id}`}
                x1={top.x}
                y1={top.y + 22}
                x2={node.x}
                y2={node.y - 22}
                stroke={node.member.reachable ? '#7b8794' : '#a40e26'}
                strokeDasharray={node.member.type === 'observer' || !node.member.reachable ? '5 4' : undefined}
              />
            ))
        : null}
      {nodes.map(({ member, x, y }) => {
        const tone = colour(member);
        return (
          <g key={member.id}>
            <rect x={x - 62} y={y - 22} width="124" height="44" rx="8" fill={tone.fill} stroke={tone.stroke} strokeWidth="2" />
            <text x={x} y={y - 3} textAnchor="middle" fill={tone.text} fontSize="14" fontWeight="700">
              {`member ${member.id}`}
            </text>
            <text x={x} y={y + 14} textAnchor="middle" fill={tone.text} fontSize="12">
              {member.reachable ? (member.role ?? '?') : 'unreachable'}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
