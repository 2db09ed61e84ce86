// Nest wiring of the WebSocket gateway (ZooKeeper frames over ws://host:admin.serverPort/zk) and its adapter.
import { Module, type INestApplication } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { ClientModule } from '../client/client.module';
import { ZkGateway } from './zk-gateway';

@Module({ imports: [ClientModule], providers: [ZkGateway] })
export class GatewayModule {}

/**
 * The ws adapter for every gateway of the app. Nest's default parser decodes each message as JSON; binary messages
 * (our ZooKeeper frames) are never JSON, so they skip it, and text messages stay JSON for gateways that want them.
 */
export function createWebSocketAdapter(app: INestApplication): WsAdapter {
  return new WsAdapter(app, { messageParser: (data: unknown) => (typeof data === 'string' ? JSON.parse(data) : undefined) });
}
