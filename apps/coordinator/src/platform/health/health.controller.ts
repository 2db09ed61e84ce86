// Liveness and readiness for load balancers and orchestrators (@nestjs/terminus): /api/v1/health is 200 while
// the process runs; /api/v1/health/ready is 200 only while this member serves clients (it has a quorum).
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorResult } from '@nestjs/terminus';
import { ServerCore } from '../../server/server-core';
import { ApiError } from '../shared/http-errors';
import { roleName } from '../../server/mode-name';

@ApiTags('health')
@Controller('api/v1/health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(ServerCore) private readonly core: ServerCore,
  ) {}

  @Get()
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([async () => this.indicators.check('process').up({ pid: process.pid, uptimeMs: Math.round(process.uptime() * 1000) })]);
  }

  @Get('ready')
  async ready(): Promise<HealthCheckResult & { role: string }> {
    const role = this.role();
    try {
      const result = await this.health.check([() => this.serving()]);
      return { ...result, role };
    } catch {
      throw new ApiError(503, `member ${this.core.serverId} is not serving (role ${role}): it has no quorum right now`, { status: 'not serving', role });
    }
  }

  private role(): string {
    const { role, readOnly } = this.core.replicationStatus;
    return roleName(role, readOnly);
  }

  private async serving(): Promise<HealthIndicatorResult> {
    const quorum = this.indicators.check('quorum');
    return this.core.serving ? quorum.up({ role: this.role() }) : quorum.down({ role: this.role() });
  }
}
