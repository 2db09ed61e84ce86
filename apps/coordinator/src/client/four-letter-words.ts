// ZooKeeper's four-letter words on the client port: a 4-byte command instead of a frame length,
// answered in plain text, then the connection closes. Only whitelisted words run.
import { hostname } from 'node:os';
import type { ServerConfig } from '../config/zoo-config';
import { roleName } from '../server/mode-name';
import type { ServerCore } from '../server/server-core';
import { hexSessionId, hexZxid } from '../util/logger';
import type { ConnectionInfo } from './connection';

export const SERVER_VERSION = '3.8.0-zk-coordinator';

/** The words as ZooKeeper recognises them: the first four bytes, read as a big-endian int. */
export function fourLetterWordOf(firstBytes: Uint8Array): string | undefined {
  if (firstBytes.length < 4) return undefined;
  const word = String.fromCharCode(firstBytes[0], firstBytes[1], firstBytes[2], firstBytes[3]);
  return KNOWN_WORDS.has(word) ? word : undefined;
}

const KNOWN_WORDS = new Set(['ruok', 'srvr', 'stat', 'mntr', 'conf', 'cons', 'crst', 'srst', 'envi', 'wchs', 'wchc', 'wchp', 'dirs', 'isro', 'dump', 'gtmk', 'stmk', 'reqs']);

export interface FourLetterContext {
  core: ServerCore;
  connections: () => ConnectionInfo[];
  resetConnectionStats: () => void;
}

export function runFourLetterWord(word: string, ctx: FourLetterContext): string {
  if (!ctx.core.config.fourLetterWords.has(word)) return `${word} is not executed because it is not in the whitelist.\n`;
  const { core } = ctx;
  switch (word) {
    case 'ruok':
      return 'imok';
    case 'srvr':
      return serverSummary(core, ctx.connections().length);
    case 'stat': {
      const clients = ctx.connections().map((c) => ` ${describeClient(c)}`).join('\n');
      const summary = serverSummary(core, ctx.connections().length);
      const [versionLine, ...rest] = summary.split('\n');
      return `${versionLine}\nClients:\n${clients}${clients ? '\n' : ''}\n${rest.join('\n')}`;
    }
    case 'mntr':
      return monitoringLines(core, ctx.connections().length);
    case 'conf':
      return configLines(core.config);
    case 'cons':
      return ctx.connections().map((c) => ` ${describeClientFull(c)}`).join('\n') + '\n\n';
    case 'crst':
      ctx.resetConnectionStats();
      return 'Connection stats reset.\n';
    case 'srst':
      core.stats.reset();
      return 'Server stats reset.\n';
    case 'envi':
      return environmentLines(core.config);
    case 'wchs': {
      const byWatcher = core.db.watches.byWatcher();
      const paths = core.db.watches.byPath();
      return `${byWatcher.size} connections watching ${paths.size} paths\nTotal watches:${core.db.watches.size}\n`;
    }
    case 'wchc': {
      const lines: string[] = [];
      for (const [watcher, paths] of core.db.watches.byWatcher()) {
        const sessionId = (watcher as { sessionId?: bigint }).sessionId;
        lines.push(hexSessionId(sessionId ?? 0n), ...paths.map((p) => `\t${p}`));
      }
      return lines.join('\n') + '\n';
    }
    case 'wchp': {
      const lines: string[] = [];
      for (const [path, watchers] of core.db.watches.byPath()) {
        lines.push(path, ...watchers.map((w) => `\t${hexSessionId((w as { sessionId?: bigint }).sessionId ?? 0n)}`));
      }
      return lines.join('\n') + '\n';
    }
    case 'dirs':
      return `datadir_size: 0\nlogdir_size: 0\n`;
    case 'isro':
      // As ZooKeeper: "null" when no server is running on the port (here: between leaders).
      return core.serving ? 'rw' : core.readOnly ? 'ro' : 'null';
    default:
      return `${word} is not supported by this server.\n`;
  }
}

function serverSummary(core: ServerCore, connectionCount: number): string {
  const { min, avg, max } = core.stats.latency;
  return [
    `Zookeeper version: ${SERVER_VERSION}, built on 2026-11-25`,
    `Latency min/avg/max: ${min.toFixed(0)}/${avg.toFixed(4)}/${max.toFixed(0)}`,
    `Received: ${core.stats.packetsReceived}`,
    `Sent: ${core.stats.packetsSent}`,
    `Connections: ${connectionCount}`,
    `Outstanding: ${core.writesInFlight}`,
    `Zxid: ${hexZxid(core.lastZxid)}`,
    `Mode: ${modeOf(core)}`,
    `Node count: ${core.db.tree.nodeCount}`,
    '',
  ].join('\n');
}

function monitoringLines(core: ServerCore, connectionCount: number): string {
  const { min, avg, max } = core.stats.latency;
  const memory = process.memoryUsage();
  const rows: Array<[string, string | number]> = [
    ['zk_version', SERVER_VERSION],
    ['zk_server_state', modeOf(core)],
    ['zk_epoch', core.replicationStatus.epoch],
    ['zk_serving', core.serving ? 1 : 0],
    ['zk_avg_latency', avg.toFixed(4)],
    ['zk_max_latency', max.toFixed(0)],
    ['zk_min_latency', min.toFixed(0)],
    ['zk_packets_received', core.stats.packetsReceived],
    ['zk_packets_sent', core.stats.packetsSent],
    ['zk_num_alive_connections', connectionCount],
    ['zk_outstanding_requests', core.writesInFlight],
    ['zk_znode_count', core.db.tree.nodeCount],
    ['zk_watch_count', core.db.watches.size],
    ['zk_ephemerals_count', [...core.db.tree.sessions().keys()].reduce((n, id) => n + core.db.tree.ephemeralsOf(id).length, 0)],
    ['zk_approximate_data_size', memory.heapUsed],
    ['zk_global_sessions', core.db.tree.sessions().size],
    ['zk_uptime', Date.now() - core.stats.startedAtMs],
    ['zk_last_zxid', hexZxid(core.lastZxid)],
    ['zk_digest', core.db.tree.digest().toString()],
    ['zk_rss_bytes', memory.rss],
    ...ensembleRows(core),
  ];
  return rows.map(([key, value]) => `${key}\t${value}`).join('\n') + '\n';
}

/** ZooKeeper's quorum rows of mntr; the learner counts only on the leader, as there. */
function ensembleRows(core: ServerCore): Array<[string, string | number]> {
  const view = core.ensembleView();
  if (!view) return [];
  const rows: Array<[string, string | number]> = [
    ['zk_peer_state', peerState(core)],
    ['zk_leader_id', view.leaderId ?? -1],
    ['zk_commit_zxid', hexZxid(view.commitZxid)],
    ['zk_last_logged_zxid', hexZxid(view.lastLoggedZxid)],
    ['zk_pending_syncs', view.pendingSyncs],
    ['zk_zab_log_entries', view.logEntries],
    ['zk_zab_log_bytes', view.logBytes],
  ];
  if (core.replicationStatus.role === 'leading') {
    const followers = view.learners.filter((l) => !l.observer);
    const observers = view.learners.filter((l) => l.observer);
    rows.push(
      ['zk_learners', view.learners.length],
      ['zk_followers', followers.length],
      ['zk_synced_followers', followers.filter((l) => l.synced).length],
      ['zk_synced_observers', observers.filter((l) => l.synced).length],
      ...view.learners.map((l): [string, string] => [`zk_learner_${l.id}_acked_zxid`, hexZxid(l.ackedZxid)]),
    );
  }
  return rows;
}

/** As ZooKeeper's zk_peer_state: "leading - broadcast", "following - synchronization", "looking"... */
function peerState(core: ServerCore): string {
  const { role, serving, readOnly } = core.replicationStatus;
  if (role === 'looking') return readOnly ? 'looking - read-only' : 'looking';
  return `${role} - ${serving ? 'broadcast' : 'synchronization'}`;
}

function configLines(config: ServerConfig): string {
  const rows: Array<[string, string | number]> = [
    ['clientPort', config.clientPort],
    ['clientPortAddress', config.clientPortAddress],
    ['dataDir', config.dataDir],
    ['dataLogDir', config.dataLogDir],
    ['tickTime', config.tickTimeMs],
    ['maxClientCnxns', config.maxClientCnxns],
    ['minSessionTimeout', config.minSessionTimeoutMs],
    ['maxSessionTimeout', config.maxSessionTimeoutMs],
    ['serverId', config.myid ?? 0],
  ];
  return rows.map(([key, value]) => `${key}=${value}`).join('\n') + '\n';
}

function environmentLines(config: ServerConfig): string {
  const rows: Array<[string, string]> = [
    ['zookeeper.version', SERVER_VERSION],
    ['host.name', hostname()],
    ['node.version', process.version],
    ['os.name', process.platform],
    ['os.arch', process.arch],
    ['user.dir', process.cwd()],
    ['config.file', config.sourcePath ?? ''],
  ];
  return 'Environment:\n' + rows.map(([key, value]) => `${key}=${value}`).join('\n') + '\n';
}

function describeClient(c: ConnectionInfo): string {
  return `/${c.remote}[1](queued=${c.queued},recved=${c.received},sent=${c.sent})`;
}

function describeClientFull(c: ConnectionInfo): string {
  const session = c.sessionId === undefined ? '' : `,sid=${hexSessionId(c.sessionId)},lop=${c.lastOp},est=${c.establishedAtMs},to=${c.timeoutMs},llat=${Math.round(c.lastLatencyMs)}`;
  return `/${c.remote}[1](queued=${c.queued},recved=${c.received},sent=${c.sent}${session})`;
}

/** ZooKeeper's names for a server's mode, as srvr and mntr print them. */
function modeOf(core: ServerCore): string {
  const { role, readOnly } = core.replicationStatus;
  return roleName(role, readOnly);
}
