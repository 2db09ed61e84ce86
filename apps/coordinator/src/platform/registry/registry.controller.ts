// /api/v1/services: listings, HTTP registration with heartbeats, and per-instance overrides. Thin: the logic is
// in RegistryService; every change is audited.
import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditService } from '../access/audit.service';
import { CurrentUser, RequireRole } from '../access/auth.guard';
import type { Principal } from '../access/users.service';
import { badRequest } from '../shared/http-errors';
import { checkName, etag, parseIfMatch } from '../shared/names';
import { OverrideDto, RegisterInstanceDto } from './registry.dto';
import type { Provider } from './registry-records';
import { RegistryService, type ServiceDetail, type ServiceSummary } from './registry.service';

@ApiTags('services')
@ApiBearerAuth()
@RequireRole('viewer')
@Controller('api/v1/services')
export class RegistryController {
  constructor(
    @Inject(RegistryService) private readonly registry: RegistryService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  @Get()
  list(@Query('search') search?: unknown): Promise<ServiceSummary[]> {
    if (search !== undefined && (typeof search !== 'string' || search.length > 128)) throw badRequest('search must be one string of at most 128 characters');
    return this.registry.listServices(search === '' ? undefined : search);
  }

  @Get(':name')
  get(@Param('name') name: string): Promise<ServiceDetail> {
    return this.registry.getService(name);
  }

  @Post(':name/instances')
  @RequireRole('editor')
  async register(@Param('name') name: string, @Body() body: RegisterInstanceDto, @CurrentUser() user: Principal): Promise<Provider> {
    const { provider, beforeVersion, afterVersion } = await this.registry.register(name, body);
    await this.audit.record({ user: user.username, action: 'instance.register', target: `service:${name}/instance:${provider.id}`, beforeVersion, afterVersion, detail: `${provider.host}:${provider.port}` });
    return provider;
  }

  @Put(':name/instances/:id/heartbeat')
  @RequireRole('editor')
  heartbeat(@Param('name') name: string, @Param('id') id: string): Promise<{ expiresAt: number }> {
    return this.registry.heartbeat(name, id);
  }

  @Delete(':name/instances/:id')
  @RequireRole('editor')
  @HttpCode(204)
  async deregister(@Param('name') name: string, @Param('id') id: string, @CurrentUser() user: Principal): Promise<void> {
    const beforeVersion = await this.registry.deregister(name, id);
    await this.audit.record({ user: user.username, action: 'instance.deregister', target: `service:${name}/instance:${id}`, beforeVersion, afterVersion: null });
  }

  @Put(':name/overrides/:id')
  @RequireRole('editor')
  async putOverride(
    @Param('name') name: string,
    @Param('id') id: string,
    @Body() body: OverrideDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ weight?: number; disabled?: boolean; version: number }> {
    checkName('service', name);
    const { value, beforeVersion } = await this.registry.putOverride(name, id, body, parseIfMatch(ifMatch));
    await this.audit.record({ user: user.username, action: 'override.set', target: `service:${name}/instance:${id}`, beforeVersion, afterVersion: value.version, detail: JSON.stringify(body) });
    response.setHeader('ETag', etag(value.version));
    return value;
  }

  @Delete(':name/overrides/:id')
  @RequireRole('editor')
  @HttpCode(204)
  async deleteOverride(@Param('name') name: string, @Param('id') id: string, @CurrentUser() user: Principal): Promise<void> {
    const beforeVersion = await this.registry.deleteOverride(name, id);
    await this.audit.record({ user: user.username, action: 'override.delete', target: `service:${name}/instance:${id}`, beforeVersion, afterVersion: null });
  }
}
