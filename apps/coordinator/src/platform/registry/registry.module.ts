// The service registry: REST listings and HTTP registrations, and the leader's expiry and health checks.
import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { PlatformSharedModule } from '../shared/platform-shared.module';
import { InstanceKeeper } from './instance-keeper';
import { RegistryController } from './registry.controller';
import { RegistryService } from './registry.service';

@Module({
  imports: [PlatformSharedModule, AccessModule],
  controllers: [RegistryController],
  providers: [RegistryService, InstanceKeeper],
  exports: [RegistryService],
})
export class RegistryModule {}
