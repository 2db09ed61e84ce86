// The coordinator's composition root: config and logger from the edge, then one module per feature.
import { Module, type DynamicModule } from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import { ClientModule } from './client/client.module';
import type { ServerConfig } from './config/zoo-config';
import { GatewayModule } from './gateway/gateway.module';
import { PlatformModule } from './platform/platform.module';
import { QuorumModule, type EnsembleParts } from './quorum/quorum.module';
import { CoreModule } from './server/core.module';
import type { CoordinatorStorage } from './storage/storage';
import { StorageModule } from './storage/storage.module';
import { ROOT_LOGGER, SERVER_CONFIG } from './tokens';
import type { Logger } from './util/logger';

@Module({})
export class AppModule {
  /** Standalone with `{ storage }`, an ensemble member with `{ ensemble }`, in memory with neither (tests). */
  static register(config: ServerConfig, logger: Logger, durability: { storage?: CoordinatorStorage; ensemble?: EnsembleParts } = {}): DynamicModule {
    const { storage, ensemble } = durability;
    return {
      module: AppModule,
      global: true,
      imports: [
        ...(storage ? [StorageModule.register(storage)] : []),
        ...(ensemble ? [QuorumModule.register(ensemble)] : []),
        CoreModule,
        ClientModule,
        GatewayModule,
        AdminModule,
        // The platform (REST, events) lives on the admin port: without it, the member runs no platform session.
        ...(config.adminEnabled ? [PlatformModule] : []),
      ],
      providers: [
        { provide: SERVER_CONFIG, useValue: config },
        { provide: ROOT_LOGGER, useValue: logger },
      ],
      exports: [SERVER_CONFIG, ROOT_LOGGER],
    };
  }
}
