// /api/v1/tree: the raw znode tree for the dashboard (viewer reads, editor writes). Thin: see TreeService.
import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import type { Response } from 'express';
import { AuditService } from '../access/audit.service';
import { CurrentUser, RequireRole } from '../access/auth.guard';
import type { Principal } from '../access/users.service';
import { badRequest } from '../shared/http-errors';
import { etag, parseIfMatch } from '../shared/names';
import { checkTreePath, TREE_MODES, TreeService, type NodeBody, type StatBody, type TreeMode } from './tree.service';

const ENCODINGS = ['utf8', 'base64'] as const;

export class CreateNodeDto {
  @ApiProperty() @IsString() @Length(1, 4096) path!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1_400_000) data?: string;
  @ApiPropertyOptional({ enum: ENCODINGS }) @IsOptional() @IsIn(ENCODINGS) encoding?: 'utf8' | 'base64';
  @ApiProperty({ enum: TREE_MODES }) @IsIn(TREE_MODES) mode!: TreeMode;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(10 * 365 * 24 * 3600 * 1000) ttlMs?: number;
}

export class SetDataDto {
  @ApiProperty() @IsString() @MaxLength(1_400_000) data!: string;
  @ApiPropertyOptional({ enum: ENCODINGS }) @IsOptional() @IsIn(ENCODINGS) encoding?: 'utf8' | 'base64';
}

export class AclEntryDto {
  @ApiProperty() @IsString() @Length(1, 64) scheme!: string;
  @ApiProperty() @IsString() @MaxLength(1024) id!: string;
  @ApiProperty({ minimum: 0, maximum: 31 }) @IsInt() @Min(0) @Max(31) perms!: number;
}

export class SetAclDto {
  @ApiProperty({ type: [AclEntryDto] }) @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => AclEntryDto) acl!: AclEntryDto[];
}

@ApiTags('tree')
@ApiBearerAuth()
@RequireRole('viewer')
@Controller('api/v1/tree')
export class TreeController {
  constructor(
    @Inject(TreeService) private readonly tree: TreeService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  @Get()
  async get(@Query('path') path: unknown, @Res({ passthrough: true }) response: Response): Promise<NodeBody> {
    const node = await this.tree.get(checkTreePath(path));
    response.setHeader('ETag', etag(node.stat.version));
    return node;
  }

  @Post()
  @RequireRole('editor')
  async create(@Body() body: CreateNodeDto, @CurrentUser() user: Principal): Promise<{ path: string; stat: StatBody | null }> {
    const created = await this.tree.create(body);
    await this.audit.record({ user: user.username, action: 'tree.create', target: `tree:${created.path}`, beforeVersion: null, afterVersion: 0, detail: body.mode });
    return created;
  }

  @Put()
  @RequireRole('editor')
  async setData(@Query('path') path: unknown, @Body() body: SetDataDto, @Headers('if-match') ifMatch: string | undefined, @CurrentUser() user: Principal): Promise<{ stat: StatBody }> {
    const version = parseIfMatch(ifMatch);
    const result = await this.tree.setData(checkTreePath(path), body.data, body.encoding, version);
    await this.audit.record({ user: user.username, action: 'tree.set', target: `tree:${String(path)}`, beforeVersion: result.stat.version - 1, afterVersion: result.stat.version });
    return result;
  }

  @Delete()
  @RequireRole('editor')
  @HttpCode(204)
  async remove(@Query('path') path: unknown, @Query('recursive') recursive: unknown, @Headers('if-match') ifMatch: string | undefined, @CurrentUser() user: Principal): Promise<void> {
    if (recursive !== undefined && recursive !== 'true' && recursive !== 'false') throw badRequest('recursive must be true or false');
    const version = parseIfMatch(ifMatch);
    await this.tree.remove(checkTreePath(path), recursive === 'true', version);
    await this.audit.record({ user: user.username, action: 'tree.delete', target: `tree:${String(path)}`, beforeVersion: version ?? null, afterVersion: null, detail: recursive === 'true' ? 'recursive' : undefined });
  }

  @Put('acl')
  @RequireRole('editor')
  async setAcl(@Query('path') path: unknown, @Body() body: SetAclDto, @Headers('if-match') ifMatch: string | undefined, @CurrentUser() user: Principal): Promise<{ stat: StatBody }> {
    const result = await this.tree.setAcl(checkTreePath(path), body.acl, parseIfMatch(ifMatch));
    await this.audit.record({ user: user.username, action: 'tree.acl', target: `tree:${String(path)}`, beforeVersion: result.stat.aversion - 1, afterVersion: result.stat.aversion });
    return result;
  }
}
