// The coordinator's composition root: config and logger from the edge, then one module per feature.
import { Module, type DynamicModule } from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import { ClientModule } from './client/client.module';
import type { ServerConfig } from './config/zoo-config';
import { CoreModule } from './server/core.module';
import type { CoordinatorStorage } from './storage/storage';
import { StorageModule } from './storage/storage.module';
import { ROOT_LOGGER, SERVER_CONFIG } from './tokens';
import type { Logger } from './util/logger';

@Module({})
export class AppModule {
  static register(config: ServerConfig, logger: Logger, storage?: CoordinatorStorage): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [...(storage ? [StorageModule.register(storage)] : []), CoreModule, ClientModule, AdminModule],
      providers: [
        { provide: SERVER_CONFIG, useValue: config },
        { provide: ROOT_LOGGER, useValue: logger },
      ],
      exports: [SERVER_CONFIG, ROOT_LOGGER],
    };
  }
}
