// The platform on the admin port: one module per domain, all of them clients of this member's own tree.
import { Module } from '@nestjs/common';
import { AccessModule } from './access/access.module';
import { BalancerModule } from './balancer/balancer.module';
import { ClusterModule } from './cluster/cluster.module';
import { ConfigCenterModule } from './config-center/config-center.module';
import { HealthModule } from './health/health.module';
import { EventsModule } from './events/events.module';
import { RegistryModule } from './registry/registry.module';
import { TreeModule } from './tree/tree.module';

@Module({ imports: [AccessModule, RegistryModule, BalancerModule, ConfigCenterModule, ClusterModule, HealthModule, TreeModule, EventsModule] })
export class PlatformModule {}
