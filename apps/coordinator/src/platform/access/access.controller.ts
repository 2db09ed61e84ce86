// /api/v1/auth, /api/v1/users and /api/v1/audit: thin; the logic is in UsersService and AuditService.
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { badRequest } from '../shared/http-errors';
import { checkName } from '../shared/names';
import { AUDIT_LIST_MAX, AuditService, type AuditEntry } from './audit.service';
import { CurrentUser, RequireRole } from './auth.guard';
import { CreateUserDto, LoginDto, UpdateUserDto } from './access.dto';
import { UsersService, type Principal } from './users.service';

@ApiTags('access')
@Controller('api/v1')
export class AccessController {
  constructor(
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  @Post('auth/login')
  @HttpCode(200)
  login(@Body() body: LoginDto): ReturnType<UsersService['login']> {
    return this.users.login(body.username, body.password);
  }

  @Get('auth/me')
  @RequireRole('viewer')
  @ApiBearerAuth()
  me(@CurrentUser() user: Principal): Principal {
    return user;
  }

  @Get('users')
  @RequireRole('admin')
  @ApiBearerAuth()
  list(): ReturnType<UsersService['list']> {
    return this.users.list();
  }

  @Post('users')
  @RequireRole('admin')
  @ApiBearerAuth()
  async create(@Body() body: CreateUserDto, @CurrentUser() user: Principal): Promise<Principal> {
    const created = await this.users.create(body.username, body.password, body.role);
    await this.audit.record({ user: user.username, action: 'user.create', target: `user:${body.username}`, beforeVersion: null, afterVersion: 0, detail: `role ${body.role}` });
    return created;
  }

  @Put('users/:username')
  @RequireRole('admin')
  @ApiBearerAuth()
  async update(@Param('username') username: string, @Body() body: UpdateUserDto, @CurrentUser() user: Principal): Promise<Principal> {
    checkName('user', username);
    const result = await this.users.update(username, body);
    const what = [body.role === undefined ? '' : `role ${body.role}`, body.password === undefined ? '' : 'password changed'].filter(Boolean).join(', ');
    await this.audit.record({ user: user.username, action: 'user.update', target: `user:${username}`, beforeVersion: result.beforeVersion, afterVersion: result.afterVersion, detail: what });
    return result.user;
  }

  @Delete('users/:username')
  @RequireRole('admin')
  @ApiBearerAuth()
  @HttpCode(204)
  async remove(@Param('username') username: string, @CurrentUser() user: Principal): Promise<void> {
    checkName('user', username);
    await this.users.remove(username);
    await this.audit.record({ user: user.username, action: 'user.delete', target: `user:${username}`, beforeVersion: null, afterVersion: null });
  }

  @Get('audit')
  @RequireRole('viewer')
  @ApiBearerAuth()
  listAudit(@Query('limit') limitText?: string, @Query('before') beforeText?: string): Promise<AuditEntry[]> {
    const limit = limitText === undefined ? 100 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_LIST_MAX) throw badRequest(`limit must be a whole number from 1 to ${AUDIT_LIST_MAX}`);
    const before = beforeText === undefined ? undefined : Number(beforeText);
    if (before !== undefined && !Number.isFinite(before)) throw badRequest('before must be a time in epoch milliseconds');
    return this.audit.list(limit, before);
  }
}
