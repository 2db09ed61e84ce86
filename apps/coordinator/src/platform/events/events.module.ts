// The live events WebSocket.
import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { ClusterModule } from '../cluster/cluster.module';
import { ConfigCenterModule } from '../config-center/config-center.module';
import { RegistryModule } from '../registry/registry.module';
import { PlatformSharedModule } from '../shared/platform-shared.module';
import { TreeModule } from '../tree/tree.module';
import { EventsGateway } from './events.gateway';

@Module({ imports: [PlatformSharedModule, AccessModule, RegistryModule, ConfigCenterModule, ClusterModule, TreeModule], providers: [EventsGateway] })
export class EventsModule {}
