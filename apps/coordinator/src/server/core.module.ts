// Nest wiring of the server's domain: one ServerCore per process, started and stopped with the app.
import { Global, Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { ServerConfig } from '../config/zoo-config';
import { ROOT_LOGGER, SERVER_CONFIG } from '../tokens';
import type { Logger } from '../util/logger';
import { ENSEMBLE, type EnsembleParts } from '../quorum/quorum.module';
import { DURABLE_STORAGE } from '../storage/storage.module';
import type { CoordinatorStorage } from '../storage/storage';
import { ServerCore, systemClock } from './server-core';

@Injectable()
export class CoreLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(ServerCore) private readonly core: ServerCore) {}
  onModuleInit(): void {
    this.core.start();
  }
  onApplicationShutdown(): void {
    this.core.stop();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: ServerCore,
      inject: [SERVER_CONFIG, ROOT_LOGGER, { token: DURABLE_STORAGE, optional: true }, { token: ENSEMBLE, optional: true }],
      useFactory: (config: ServerConfig, logger: Logger, storage?: CoordinatorStorage, ensemble?: EnsembleParts) =>
        ensemble
          ? new ServerCore(config, logger, systemClock, undefined, ensemble.storage.tree, ensemble.replication)
          : new ServerCore(config, logger, systemClock, storage?.txnLog, storage?.tree),
    },
    CoreLifecycle,
  ],
  exports: [ServerCore],
})
export class CoreModule {}
