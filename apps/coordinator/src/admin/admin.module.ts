// Nest wiring of the admin HTTP API.
import { Module } from '@nestjs/common';
import { ClientModule, ClientPortService } from '../client/client.module';
import { ServerCore } from '../server/server-core';
import { AdminController } from './admin.controller';
import { CoordinatorMetrics } from './metrics';

@Module({
  imports: [ClientModule],
  controllers: [AdminController],
  providers: [
    {
      provide: CoordinatorMetrics,
      inject: [ServerCore, ClientPortService],
      useFactory: (core: ServerCore, clientPort: ClientPortService) => new CoordinatorMetrics(core, () => clientPort.server.connectionCount),
    },
  ],
})
export class AdminModule {}
