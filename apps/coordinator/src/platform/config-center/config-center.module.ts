// The config center: values, history, rollback, gray releases, export and import.
import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { PlatformSharedModule } from '../shared/platform-shared.module';
import { ConfigController } from './config.controller';
import { ConfigService } from './config.service';

@Module({ imports: [PlatformSharedModule, AccessModule], controllers: [ConfigController], providers: [ConfigService], exports: [ConfigService] })
export class ConfigCenterModule {}
