'use client';
// A member's role and health as a coloured badge with words (colour is never the only signal).
import type { Member } from '../../lib/api-types';

export function RoleBadge({ member }: { member: Member }) {
  if (!member.reachable) return <span className="badge badge-err">unreachable</span>;
  const role = member.role ?? 'unknown';
  const tone = role === 'leader' ? 'badge-leader' : role === 'looking' || role === 'read-only' ? 'badge-warn' : 'badge-ok';
  return <span className={`badge ${tone}`}>{role}</span>;
}

export function HealthBadge({ member }: { member: Member }) {
  if (!member.reachable) return <span className="badge badge-err">down</span>;
  return member.serving ? <span className="badge badge-ok">serving</span> : <span className="badge badge-warn">not serving</span>;
}
