'use client';
// The most recent leader elections, newest first.
import type { Election } from '../../lib/api-types';
import { formatAgo, formatTime } from '../../lib/format';

export function Elections({ elections }: { elections: Election[] }) {
  if (elections.length === 0) return <p className="muted">No elections recorded yet.</p>;
  const newestFirst = [...elections].sort((a, b) => b.at - a.at).slice(0, 10);
  return (
    <ol className="small">
      {newestFirst.map((election) => (
        <li key={`${election.epoch}-${election.at}`}>
          epoch {election.epoch}: member {election.leaderId} became leader <time dateTime={new Date(election.at).toISOString()}>{formatAgo(election.at)}</time>{' '}
          <span className="muted">({formatTime(election.at)})</span>
        </li>
      ))}
    </ol>
  );
}
