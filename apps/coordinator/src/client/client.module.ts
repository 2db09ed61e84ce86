// Nest wiring of the client port: listens once the app is up, closes every connection on shutdown.
import { Inject, Injectable, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ServerCore } from '../server/server-core';
import { ROOT_LOGGER } from '../tokens';
import type { Logger } from '../util/logger';
import { ClientPortServer } from './client-port-server';

@Injectable()
export class ClientPortService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly server: ClientPortServer;

  constructor(@Inject(ServerCore) core: ServerCore, @Inject(ROOT_LOGGER) logger: Logger) {
    this.server = new ClientPortServer(core, logger);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.server.listen();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.server.close();
  }
}

@Module({ providers: [ClientPortService], exports: [ClientPortService] })
export class ClientModule {}
