// Nest wiring of the admin HTTP API.
import { Module } from '@nestjs/common';
import { ClientModule } from '../client/client.module';
import { AdminController } from './admin.controller';

@Module({ imports: [ClientModule], controllers: [AdminController] })
export class AdminModule {}
