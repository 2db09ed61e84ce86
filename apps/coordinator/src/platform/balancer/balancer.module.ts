// Load-balancing policies per service, stored where SDK discovery reads them.
import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { RegistryModule } from '../registry/registry.module';
import { PolicyController } from './policy.controller';

@Module({ imports: [AccessModule, RegistryModule], controllers: [PolicyController] })
export class BalancerModule {}
