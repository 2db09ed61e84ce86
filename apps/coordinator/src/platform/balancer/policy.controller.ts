// /api/v1/services/{name}/policy: the service's load-balancing strategy and its parameters, which SDK discovery
// (libs/recipes ServiceCache) reads from /services/{name}/policy.
import { Body, Controller, Get, Headers, Inject, Param, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditService } from '../access/audit.service';
import { CurrentUser, RequireRole } from '../access/auth.guard';
import type { Principal } from '../access/users.service';
import { etag, parseIfMatch } from '../shared/names';
import { PolicyDto } from '../registry/registry.dto';
import { RegistryService, type StoredPolicy } from '../registry/registry.service';

@ApiTags('services')
@ApiBearerAuth()
@RequireRole('viewer')
@Controller('api/v1/services/:name/policy')
export class PolicyController {
  constructor(
    @Inject(RegistryService) private readonly registry: RegistryService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  @Get()
  async get(@Param('name') name: string, @Res({ passthrough: true }) response: Response): Promise<StoredPolicy & { version: number }> {
    const policy = await this.registry.getPolicy(name);
    if (policy.version >= 0) response.setHeader('ETag', etag(policy.version));
    return policy;
  }

  @Put()
  @RequireRole('editor')
  async put(
    @Param('name') name: string,
    @Body() body: PolicyDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StoredPolicy & { version: number }> {
    const { value, beforeVersion } = await this.registry.putPolicy(name, body, parseIfMatch(ifMatch));
    await this.audit.record({ user: user.username, action: 'policy.set', target: `service:${name}/policy`, beforeVersion, afterVersion: value.version, detail: JSON.stringify(body) });
    response.setHeader('ETag', etag(value.version));
    return value;
  }
}
