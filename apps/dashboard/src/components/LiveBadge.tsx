'use client';
// Whether updates arrive live over the WebSocket or by polling.
import { useApp } from './AppProvider';

const LABELS = { live: 'Live', connecting: 'Connecting…', offline: 'Polling', unauthorized: 'Polling (events refused the token)' } as const;

export function LiveBadge() {
  const { streamStatus } = useApp();
  return (
    <span className={`badge badge-${streamStatus === 'live' ? 'ok' : 'warn'}`} title={streamStatus === 'live' ? 'Updates arrive over the events WebSocket' : 'The events WebSocket is not connected: pages refresh every few seconds'}>
      {LABELS[streamStatus]}
    </span>
  );
}
