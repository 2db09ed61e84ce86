// /api/v1/config: namespaces → groups → keys, values with ETag/If-Match, history, diff, rollback, gray releases,
// export and import. Thin: the logic is in ConfigService; every change is audited.
import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditService } from '../access/audit.service';
import { CurrentUser, RequireRole } from '../access/auth.guard';
import type { Principal } from '../access/users.service';
import { badRequest } from '../shared/http-errors';
import { etag, parseIfMatch } from '../shared/names';
import { GrayDto, ImportDto, PutValueDto, RollbackDto } from './config.dto';
import type { ConfigValue, HistoryEntry } from './config-records';
import { ConfigService, type KeyRef, type WriteResult } from './config.service';

const KEY_ROUTE = ':ns/:group/:key';

function revisionParam(name: string, text: unknown): number {
  const value = typeof text === 'string' && /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value)) throw badRequest(`${name} must be a revision number`);
  return value;
}

@ApiTags('config')
@ApiBearerAuth()
@RequireRole('viewer')
@Controller('api/v1/config')
export class ConfigController {
  constructor(
    @Inject(ConfigService) private readonly config: ConfigService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  @Get()
  namespaces(): ReturnType<ConfigService['namespaces']> {
    return this.config.namespaces();
  }

  @Get(':ns/export')
  export(@Param('ns') ns: string): ReturnType<ConfigService['export']> {
    return this.config.export(ns);
  }

  @Post(':ns/import')
  @RequireRole('editor')
  @HttpCode(200)
  async import(@Param('ns') ns: string, @Body() body: ImportDto, @Query('overwrite') overwrite: unknown, @CurrentUser() user: Principal): ReturnType<ConfigService['import']> {
    if (overwrite !== undefined && overwrite !== 'true' && overwrite !== 'false') throw badRequest('overwrite must be true or false');
    if (body.namespace !== undefined && body.namespace !== ns) throw badRequest(`the body exports namespace ${body.namespace}, not ${ns}: import it under /api/v1/config/${body.namespace}/import or drop its namespace field`);
    const counts = await this.config.import(ns, body.items, overwrite === 'true', user.username);
    await this.audit.record({ user: user.username, action: 'config.import', target: `config:${ns}`, beforeVersion: null, afterVersion: null, detail: JSON.stringify(counts) });
    return counts;
  }

  @Get(':ns')
  namespace(@Param('ns') ns: string): ReturnType<ConfigService['namespace']> {
    return this.config.namespace(ns);
  }

  @Get(KEY_ROUTE)
  async get(@Param('ns') namespace: string, @Param('group') group: string, @Param('key') key: string, @Res({ passthrough: true }) response: Response): Promise<ConfigValue> {
    const value = await this.config.get({ namespace, group, key });
    response.setHeader('ETag', etag(value.version));
    return value;
  }

  @Put(KEY_ROUTE)
  @RequireRole('editor')
  async put(
    @Param('ns') namespace: string,
    @Param('group') group: string,
    @Param('key') key: string,
    @Body() body: PutValueDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ConfigValue> {
    const ref = { namespace, group, key };
    const result = await this.config.put(ref, body, parseIfMatch(ifMatch), user.username);
    return this.done(result, ref, 'config.set', user, response, body.comment);
  }

  @Delete(KEY_ROUTE)
  @RequireRole('editor')
  @HttpCode(204)
  async remove(@Param('ns') namespace: string, @Param('group') group: string, @Param('key') key: string, @Headers('if-match') ifMatch: string | undefined, @CurrentUser() user: Principal): Promise<void> {
    const beforeVersion = await this.config.remove({ namespace, group, key }, parseIfMatch(ifMatch));
    await this.audit.record({ user: user.username, action: 'config.delete', target: `config:${namespace}/${group}/${key}`, beforeVersion, afterVersion: null });
  }

  @Get(`${KEY_ROUTE}/history`)
  history(@Param('ns') namespace: string, @Param('group') group: string, @Param('key') key: string): Promise<HistoryEntry[]> {
    return this.config.history({ namespace, group, key });
  }

  @Get(`${KEY_ROUTE}/diff`)
  diff(@Param('ns') namespace: string, @Param('group') group: string, @Param('key') key: string, @Query('from') from: unknown, @Query('to') to: unknown): ReturnType<ConfigService['diff']> {
    return this.config.diff({ namespace, group, key }, revisionParam('from', from), revisionParam('to', to));
  }

  @Post(`${KEY_ROUTE}/rollback`)
  @RequireRole('editor')
  @HttpCode(200)
  async rollback(@Param('ns') namespace: string, @Param('group') group: string, @Param('key') key: string, @Body() body: RollbackDto, @CurrentUser() user: Principal, @Res({ passthrough: true }) response: Response): Promise<ConfigValue> {
    const ref = { namespace, group, key };
    const result = await this.config.rollback(ref, body.revision, body.comment, user.username);
    return this.done(result, ref, 'config.rollback', user, response, `to revision ${body.revision}`);
  }

  @Put(`${KEY_ROUTE}/gray`)
  @RequireRole('editor')
  async putGray(
    @Param('ns') namespace: string,
    @Param('group') group: string,
    @Param('key') key: string,
    @Body() body: GrayDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ConfigValue> {
    const ref = { namespace, group, key };
    const result = await this.config.putGray(ref, body, parseIfMatch(ifMatch));
    return this.done(result, ref, 'config.gray.set', user, response, `targets ${body.targets.join(', ')}`);
  }

  @Post(`${KEY_ROUTE}/gray/promote`)
  @RequireRole('editor')
  @HttpCode(200)
  async promote(@Param('ns') namespace: string, @Param('group') group: string, @Param('key') key: string, @CurrentUser() user: Principal, @Res({ passthrough: true }) response: Response): Promise<ConfigValue> {
    const ref = { namespace, group, key };
    const result = await this.config.promoteGray(ref, user.username);
    return this.done(result, ref, 'config.gray.promote', user, response);
  }

  @Delete(`${KEY_ROUTE}/gray`)
  @RequireRole('editor')
  @HttpCode(204)
  async deleteGray(@Param('ns') namespace: string, @Param('group') group: string, @Param('key') key: string, @CurrentUser() user: Principal, @Res({ passthrough: true }) response: Response): Promise<void> {
    const ref = { namespace, group, key };
    const result = await this.config.deleteGray(ref);
    await this.done(result, ref, 'config.gray.delete', user, response);
  }

  private async done(result: WriteResult, ref: KeyRef, action: string, user: Principal, response: Response, detail?: string): Promise<ConfigValue> {
    await this.audit.record({ user: user.username, action, target: `config:${ref.namespace}/${ref.group}/${ref.key}`, beforeVersion: result.beforeVersion, afterVersion: result.value.version, detail });
    response.setHeader('ETag', etag(result.value.version));
    return result.value;
  }
}
