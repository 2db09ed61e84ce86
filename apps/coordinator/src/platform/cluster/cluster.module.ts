// Cluster status (this member and its peers) and this member's client sessions.
import { Module } from '@nestjs/common';
import { ClientModule } from '../../client/client.module';
import { PlatformSharedModule } from '../shared/platform-shared.module';
import { ClusterController } from './cluster.controller';
import { ClusterService } from './cluster.service';

@Module({ imports: [PlatformSharedModule, ClientModule], controllers: [ClusterController], providers: [ClusterService], exports: [ClusterService] })
export class ClusterModule {}
