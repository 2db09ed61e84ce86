// The coordinator's composition root: config and logger from the edge, then one module per feature.
import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { ClientModule } from './client/client.module';
import type { ServerConfig } from './config/zoo-config';
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
        ...(config.adminEnabled ? adminPortModules() : []),
      ],
      providers: [
        { provide: SERVER_CONFIG, useValue: config },
        { provide: ROOT_LOGGER, useValue: logger },
      ],
      exports: [SERVER_CONFIG, ROOT_LOGGER],
    };
  }
}

/**
 * What lives on the admin port (REST and /metrics, ZooKeeper over WebSocket at /zk, the platform), loaded only
 * when the port is on: with admin.enableServer=false a member neither runs a platform session nor loads the
 * ~1,500 modules behind them (OpenAPI, validation, health checks), which cost ~40 MiB of RSS and start-up time.
 */
function adminPortModules(): Type[] {
  const { AdminModule } = require('./admin/admin.module') as typeof import('./admin/admin.module');
  const { GatewayModule } = require('./gateway/gateway.module') as typeof import('./gateway/gateway.module');
  const { PlatformModule } = require('./platform/platform.module') as typeof import('./platform/platform.module');
  return [AdminModule, GatewayModule, PlatformModule];
}
