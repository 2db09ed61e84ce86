// Users, tokens, roles (a global guard) and the audit trail.
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PlatformSharedModule } from '../shared/platform-shared.module';
import { AccessController } from './access.controller';
import { AuditService } from './audit.service';
import { AuthGuard } from './auth.guard';
import { UsersService } from './users.service';

@Module({
  imports: [PlatformSharedModule],
  controllers: [AccessController],
  providers: [UsersService, AuditService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [UsersService, AuditService],
})
export class AccessModule {}
