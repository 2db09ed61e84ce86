// Prometheus metrics (prom-client, text format 0.0.4) of one member: the zk_* gauges and counters of srvr/mntr
// (names kept from the first exporter), requests by op and result with latency histograms, elections and
// leader changes, and the process's own metrics. One registry per app (tests may run several in a process).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { errorName } from '@zk/wire';
import type { EnsembleView, ServerCore } from '../server/server-core';

export class CoordinatorMetrics {
  readonly registry = new Registry();
  /** The ensemble's view, built once per scrape (a whole peer status) for the gauges that read it. */
  private scrapeView: EnsembleView | undefined;

  constructor(
    private readonly core: ServerCore,
    connectionCount: () => number,
  ) {
    const view = (): EnsembleView | undefined => this.scrapeView ?? core.ensembleView();
    const registry = this.registry;
    const gauge = (name: string, help: string, read: () => number | bigint): void => {
      new Gauge({ name, help, registers: [registry], collect() { this.set(Number(read())); } });
    };
    // Counters that srst resets are exposed as gauges' values under their historic *_total names.
    const counter = (name: string, help: string, read: () => number): void => {
      new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
    };
    counter('zk_packets_received_total', 'Packets received on the client port.', () => core.stats.packetsReceived);
    counter('zk_packets_sent_total', 'Packets sent on the client port.', () => core.stats.packetsSent);
    counter('zk_requests_total', 'Requests answered (pings excluded).', () => core.stats.latency.count);
    gauge('zk_request_latency_avg_ms', 'Mean request latency since start or srst.', () => core.stats.latency.avg);
    gauge('zk_request_latency_min_ms', 'Smallest request latency.', () => core.stats.latency.min);
    gauge('zk_request_latency_max_ms', 'Largest request latency.', () => core.stats.latency.max);
    gauge('zk_num_alive_connections', 'Open client connections.', connectionCount);
    gauge('zk_outstanding_requests', 'Writes accepted and not yet applied.', () => core.writesInFlight);
    gauge('zk_znode_count', 'Znodes in the tree.', () => core.db.tree.nodeCount);
    gauge('zk_watch_count', 'Watches registered on this server.', () => core.db.watches.size);
    gauge('zk_global_sessions', 'Live sessions.', () => core.db.tree.sessions().size);
    gauge('zk_last_zxid', 'The last applied zxid.', () => core.lastZxid);
    gauge('zk_epoch', 'The current epoch.', () => core.replicationStatus.epoch);
    gauge('zk_serving', '1 while this member serves clients.', () => (core.serving ? 1 : 0));
    gauge('zk_is_leader', '1 while this member leads (or runs standalone).', () => (['leading', 'standalone'].includes(core.replicationStatus.role) ? 1 : 0));
    gauge('zk_pending_syncs', 'sync() calls waiting to catch up with the leader.', () => view()?.pendingSyncs ?? 0);
    gauge('zk_zab_log_entries', 'Txns since the last snapshot that ZAB holds in memory (for DIFF sync).', () => view()?.logEntries ?? 0);
    gauge('zk_zab_log_bytes', 'Payload bytes of those txns (bounded by snapSizeLimitInKb: a snapshot drops them).', () => view()?.logBytes ?? 0);
    gauge('zk_synced_followers', 'On the leader: learners in sync.', () => view()?.learners.filter((l) => l.synced).length ?? 0);

    const requests = new Counter({ name: 'zk_requests_by_op_total', help: 'Requests answered, by op and result (ok or the ZooKeeper error name).', labelNames: ['op', 'result'], registers: [registry] });
    const latency = new Histogram({
      name: 'zk_request_duration_seconds',
      help: 'Request latency from receipt to reply, by op.',
      labelNames: ['op'],
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    core.stats.onRequest((op, err, ms) => {
      requests.inc({ op, result: err === 0 ? 'ok' : errorName(err) });
      latency.observe({ op }, ms / 1000);
    });

    const fsync = new Histogram({
      name: 'zk_log_flush_seconds',
      help: 'Time to make one batch of txns durable in the transaction log (SQLite commit with fsync).',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    });
    const flushedTxns = new Counter({ name: 'zk_log_flushed_txns_total', help: 'Txns made durable in the transaction log.', registers: [registry] });
    core.stats.logFlushes.on((flushMs, txns) => {
      fsync.observe(flushMs / 1000);
      flushedTxns.inc(txns);
    });
    const proposals = new Counter({ name: 'zk_proposals_total', help: 'On the leader: txns proposed and committed.', registers: [registry] });
    const commitLatency = new Histogram({
      name: 'zk_proposal_commit_seconds',
      help: 'On the leader: time from proposing a txn to its commit (a quorum logged it) and delivery.',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    });
    core.stats.proposalsCommitted.on((commitMs) => {
      proposals.inc();
      commitLatency.observe(commitMs / 1000);
    });

    const elections = new Counter({ name: 'zk_elections_total', help: 'Times this member started serving after an election (it found or became a leader).', registers: [registry] });
    const leaderChanges = new Counter({ name: 'zk_leader_changes_total', help: 'Times the leader this member follows (or is) changed.', registers: [registry] });
    let lastLeader: number | null | undefined;
    core.onServingChange((serving) => {
      if (!serving) return;
      elections.inc();
      const leader = core.replicationStatus.role === 'standalone' ? core.serverId : (core.ensembleView()?.leaderId ?? null);
      if (lastLeader !== undefined && leader !== lastLeader) leaderChanges.inc();
      lastLeader = leader;
    });
    collectDefaultMetrics({ register: registry });
  }

  async render(): Promise<string> {
    this.scrapeView = this.core.ensembleView();
    try {
      return await this.registry.metrics();
    } finally {
      this.scrapeView = undefined;
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
