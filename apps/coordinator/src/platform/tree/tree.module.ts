// The raw tree over REST.
import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { PlatformSharedModule } from '../shared/platform-shared.module';
import { TreeController } from './tree.controller';
import { TreeService } from './tree.service';

@Module({ imports: [PlatformSharedModule, AccessModule], controllers: [TreeController], providers: [TreeService], exports: [TreeService] })
export class TreeModule {}
