// The admin HTTP API on admin.serverPort: this member's raw status and Prometheus text metrics. Health
// (/api/v1/health, /ready) and everything else of the platform API is in ../platform.
import { Controller, Get, HttpException, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ClientPortService } from '../client/client.module';
import { ServerCore } from '../server/server-core';
import { hexZxid } from '../util/logger';
import { CoordinatorMetrics } from './metrics';

@Controller()
export class AdminController {
  constructor(
    @Inject(ServerCore) private readonly core: ServerCore,
    @Inject(ClientPortService) private readonly clientPort: ClientPortService,
    @Inject(CoordinatorMetrics) private readonly metricsRegistry: CoordinatorMetrics,
  ) {}

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
  async metrics(@Res({ passthrough: true }) response: Response): Promise<string> {
    response.setHeader('Content-Type', this.metricsRegistry.contentType);
    return this.metricsRegistry.render();
  }

  @Get('api/v1')
  index(): never {
    throw new HttpException({ statusCode: 404, error: 'Not Found', message: 'see /api/docs for the API; /api/v1/status, /api/v1/health, /metrics' }, HttpStatus.NOT_FOUND);
  }
}
