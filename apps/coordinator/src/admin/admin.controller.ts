// The admin HTTP API on admin.serverPort: health for load balancers, status for the dashboard,
// and Prometheus text metrics.
import { Controller, Get, Header, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { ClientPortService } from '../client/client.module';
import { ServerCore } from '../server/server-core';
import { hexZxid } from '../util/logger';
import { renderMetrics } from './metrics';

@Controller()
export class AdminController {
  constructor(
    @Inject(ServerCore) private readonly core: ServerCore,
    @Inject(ClientPortService) private readonly clientPort: ClientPortService,
  ) {}

  @Get('api/v1/health')
  health(): { status: string; role: string; serving: boolean } {
    const { role, serving } = this.core.replicationStatus;
    if (!serving) throw new HttpException({ status: 'not serving', role, serving }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ok', role, serving };
  }

  @Get('api/v1/status')
  status(): Record<string, unknown> {
    const { core } = this;
    return {
      serverId: core.serverId,
      role: core.replicationStatus.role,
      epoch: core.replicationStatus.epoch,
      serving: core.serving,
      zxid: hexZxid(core.lastZxid),
      nodeCount: core.db.tree.nodeCount,
      sessions: core.db.tree.sessions().size,
      connections: this.clientPort.server.connectionCount,
      watches: core.db.watches.size,
      digest: core.db.tree.digest().toString(),
      latencyMs: core.stats.latency,
    };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): string {
    return renderMetrics(this.core, this.clientPort.server.connectionCount);
  }

  @Get('api/v1')
  index(): never {
    throw new HttpException({ message: 'see /api/v1/status, /api/v1/health, /metrics' }, HttpStatus.NOT_FOUND);
  }
}
