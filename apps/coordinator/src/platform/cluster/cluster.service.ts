// Cluster status for /api/v1/cluster: this member's own status, and its peers' asked over HTTP (their admin
// addresses are published in the tree at /zk-platform/members/{id}); a peer that does not answer within 1 s is
// listed as unreachable. Works on a member without quorum too (from its last known addresses).
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ClientPortService } from '../../client/client.module';
import { ServerCore } from '../../server/server-core';
import { hexSessionId, hexZxid } from '../../util/logger';
import { platformPaths } from '../shared/platform-paths';
import type { MemberAddress } from '../shared/platform-state';
import { PlatformZk } from '../shared/platform-zk';

import { roleName, type MemberRole } from '../../server/mode-name';

export type { MemberRole };

export interface MemberStatus {
  id: number;
  host: string;
  clientPort: number;
  adminPort: number;
  type: 'participant' | 'observer';
  reachable: boolean;
  role?: MemberRole;
  serving?: boolean;
  readOnly?: boolean;
  epoch?: number;
  lastZxid?: string;
  lagTxns?: number | null;
  connections?: number;
  outstandingRequests?: number;
  uptimeMs?: number;
  lastElectionAt?: number | null;
  znodes?: number;
  sessions?: number;
  latencyMs?: { min: number; avg: number; max: number };
  /** Who this member thinks leads (internal: used to fill leaderId). */
  leaderId?: number | null;
  error?: string;
}

export interface ElectionRecord {
  at: number;
  leaderId: number;
  epoch: number;
}

export interface ClusterStatus {
  leaderId: number | null;
  epoch: number;
  answeredBy: number;
  members: MemberStatus[];
  elections: ElectionRecord[];
}

export const PEER_TIMEOUT_MS = 1_000;

@Injectable()
export class ClusterService implements OnApplicationBootstrap {
  private readonly addresses = new Map<number, MemberAddress>();
  private lastElectionAtMs: number | null = null;
  private lastElections: ElectionRecord[] = [];
  private readonly roleListeners: Array<() => void> = [];

  constructor(
    @Inject(ServerCore) private readonly core: ServerCore,
    @Inject(ClientPortService) private readonly clientPort: ClientPortService,
    @Inject(PlatformZk) private readonly zk: PlatformZk,
  ) {}

  onApplicationBootstrap(): void {
    this.core.onServingChange((serving) => {
      if (serving) this.lastElectionAtMs = Date.now();
      for (const listener of this.roleListeners) listener();
    });
  }

  /** Called when this member starts or stops serving (a role change). */
  onRoleChange(listener: () => void): void {
    this.roleListeners.push(listener);
  }

  self(): MemberStatus {
    const { core } = this;
    const config = core.config;
    const status = core.replicationStatus;
    const peer = config.servers.find((s) => s.id === core.serverId);
    const { min, avg, max } = core.stats.latency;
    return {
      id: core.serverId,
      host: peer?.host ?? '127.0.0.1',
      clientPort: config.clientPort,
      adminPort: config.adminServerPort,
      type: peer?.type ?? 'participant',
      reachable: true,
      role: roleName(status.role, status.readOnly),
      serving: status.serving,
      readOnly: status.readOnly,
      epoch: status.epoch,
      lastZxid: hexZxid(core.lastZxid),
      lagTxns: 0,
      connections: this.clientPort.server.connectionCount,
      outstandingRequests: core.writesInFlight,
      uptimeMs: Date.now() - core.stats.startedAtMs,
      lastElectionAt: this.lastElectionAtMs,
      znodes: core.db.tree.nodeCount,
      sessions: core.db.tree.sessions().size,
      latencyMs: { min, avg, max },
      leaderId: status.role === 'standalone' ? core.serverId : (core.ensembleView()?.leaderId ?? null),
    };
  }

  sessions(): Array<{ sessionId: string; remote: string; timeoutMs: number; transport: 'tcp' | 'websocket'; ephemerals: string[] }> {
    return this.clientPort.server.connectionInfos().flatMap((info) => {
      if (info.sessionId === undefined) return [];
      return [{ sessionId: hexSessionId(info.sessionId), remote: info.remote, timeoutMs: info.timeoutMs, transport: info.transport, ephemerals: this.core.db.tree.ephemeralsOf(info.sessionId) }];
    });
  }

  /** Every member's status; `authorization` is passed on to the peers (a token is valid on every member). */
  async cluster(authorization: string | undefined): Promise<ClusterStatus> {
    await this.refreshAddresses();
    const self = this.self();
    const others = this.core.config.servers.filter((s) => s.id !== this.core.serverId);
    const peers = await Promise.all(others.map((server) => this.askPeer(server.id, server.host, server.type, authorization)));
    const members = [self, ...peers].sort((a, b) => a.id - b.id);
    const leader = members.find((m) => m.role === 'leader' || m.role === 'standalone');
    // Only a member that says it leads counts: between leaders (everyone looking) there is none.
    const leaderId = leader?.id ?? null;
    const leaderZxid = leader?.lastZxid === undefined ? undefined : BigInt(leader.lastZxid);
    for (const member of members) {
      if (!member.reachable || member.lastZxid === undefined) continue;
      member.lagTxns = leaderZxid === undefined ? null : lagTxns(leaderZxid, BigInt(member.lastZxid));
    }
    for (const member of members) delete member.leaderId;
    return { leaderId, epoch: leader?.epoch ?? self.epoch ?? 0, answeredBy: self.id, members, elections: await this.elections() };
  }

  private async askPeer(id: number, peerHost: string, type: 'participant' | 'observer', authorization: string | undefined): Promise<MemberStatus> {
    const address = this.addresses.get(id);
    const base: MemberStatus = { id, host: address?.host ?? peerHost, clientPort: address?.clientPort ?? 0, adminPort: address?.adminPort ?? 0, type, reachable: false };
    if (!address) return { ...base, error: 'its admin address is not known yet (it has not published it in the tree)' };
    if (!address.adminEnabled) return { ...base, error: 'its admin server is disabled' };
    try {
      const host = address.host.includes(':') ? `[${address.host}]` : address.host;
      const response = await fetch(`http://${host}:${address.adminPort}/api/v1/cluster/self`, {
        headers: authorization ? { authorization } : {},
        signal: AbortSignal.timeout(PEER_TIMEOUT_MS),
      });
      if (!response.ok) return { ...base, error: `it answered HTTP ${response.status}` };
      const status = (await response.json()) as MemberStatus;
      return { ...status, id, type, reachable: true };
    } catch (error) {
      return { ...base, error: `no answer within ${PEER_TIMEOUT_MS} ms (${(error as Error).message})` };
    }
  }

  private async refreshAddresses(): Promise<void> {
    if (!this.zk.connected || !this.core.serving) return;
    try {
      const ids = await this.zk.children(platformPaths.members);
      const reads = await this.zk.readMany(ids.map((id) => `${platformPaths.members}/${id}`));
      for (const read of reads) {
        if (!read) continue;
        const address = JSON.parse(read.text) as MemberAddress;
        this.addresses.set(address.id, address);
      }
    } catch {
      // Keep the last known addresses.
    }
  }

  private async elections(): Promise<ElectionRecord[]> {
    if (!this.zk.connected || !this.core.serving) return this.lastElections;
    try {
      const names = (await this.zk.children(platformPaths.elections)).sort().reverse();
      const reads = await this.zk.readMany(names.map((name) => `${platformPaths.elections}/${name}`));
      this.lastElections = reads.flatMap((read) => (read ? [JSON.parse(read.text) as ElectionRecord] : []));
    } catch {
      // Keep the last known list.
    }
    return this.lastElections;
  }
}


/** Txns a member is behind the leader: exact within one epoch; across epochs, the leader's count in its epoch. */
export function lagTxns(leaderZxid: bigint, memberZxid: bigint): number {
  if (memberZxid >= leaderZxid) return 0;
  const leaderEpoch = leaderZxid >> 32n;
  if (memberZxid >> 32n === leaderEpoch) return Number(leaderZxid - memberZxid);
  return Number(leaderZxid & 0xffffffffn);
}
