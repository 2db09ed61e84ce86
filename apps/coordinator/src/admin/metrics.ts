// Prometheus text exposition (format 0.0.4) of the server's counters and gauges.
import type { ServerCore } from '../server/server-core';

export function renderMetrics(core: ServerCore, connectionCount: number): string {
  const { avg, max, min, count } = core.stats.latency;
  const memory = process.memoryUsage();
  const lines: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter', help: string, value: number | bigint): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
  };
  metric('zk_packets_received_total', 'counter', 'Packets received on the client port.', core.stats.packetsReceived);
  metric('zk_packets_sent_total', 'counter', 'Packets sent on the client port.', core.stats.packetsSent);
  metric('zk_requests_total', 'counter', 'Requests answered (pings excluded).', count);
  metric('zk_request_latency_avg_ms', 'gauge', 'Mean request latency since start or srst.', avg);
  metric('zk_request_latency_min_ms', 'gauge', 'Smallest request latency.', min);
  metric('zk_request_latency_max_ms', 'gauge', 'Largest request latency.', max);
  metric('zk_num_alive_connections', 'gauge', 'Open client connections.', connectionCount);
  metric('zk_outstanding_requests', 'gauge', 'Writes accepted and not yet applied.', core.writesInFlight);
  metric('zk_znode_count', 'gauge', 'Znodes in the tree.', core.db.tree.nodeCount);
  metric('zk_watch_count', 'gauge', 'Watches registered on this server.', core.db.watches.size);
  metric('zk_global_sessions', 'gauge', 'Live sessions.', core.db.tree.sessions().size);
  metric('zk_last_zxid', 'gauge', 'The last applied zxid.', core.lastZxid);
  metric('process_resident_memory_bytes', 'gauge', 'Resident set size.', memory.rss);
  return lines.join('\n') + '\n';
}
