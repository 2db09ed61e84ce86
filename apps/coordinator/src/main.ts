// Entry point: `coordinator path/to/zoo.cfg`. Parses the file once, builds the Nest app, listens (clientPort: ZooKeeper
// over TCP; admin.serverPort: REST, /metrics and ZooKeeper over WebSocket at /zk), and shuts down cleanly on
// SIGTERM/SIGINT. Exit codes: 2 bad usage or config, 3 storage refused the data, 1 failed start.
import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { ConfigError, parseZooConfig, type ServerConfig } from './config/zoo-config';
import { ServerCore } from './server/server-core';
import { StorageRefusedError } from './storage/errors';
import { DurableStorage, storageOptionsFromConfig } from './storage/storage';
import { ZabReplication } from './quorum/zab-replication';
import { installNativeCrc32 } from './util/native-crc32';
import { Logger, type LogFields, type LogLevel } from './util/logger';
import { NestLoggerAdapter } from './util/nest-logger';
import { tuneGarbageCollection } from './util/gc-tuning';

export function loadConfig(configPath: string): ServerConfig {
  const absolute = resolve(configPath);
  const text = readFileSync(absolute, 'utf8');
  const folder = dirname(absolute);
  return parseZooConfig(text, {
    sourcePath: absolute,
    resolvePath: (p) => (isAbsolute(p) ? p : join(folder, p)),
    readMyid: (dataDir) => {
      const file = join(dataDir, 'myid');
      return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    },
  });
}

async function main(argv: string[]): Promise<void> {
  const v8Flags = tuneGarbageCollection();
  installNativeCrc32();
  const configPath = argv[0];
  if (!configPath || configPath === '--help' || configPath === '-h') {
    process.stderr.write('usage: coordinator path/to/zoo.cfg\n');
    process.exit(configPath ? 0 : 2);
  }
  let identity: () => LogFields = () => ({ role: 'starting' });
  const level = (process.env.LOG_LEVEL as LogLevel | undefined) ?? 'info';
  const logger = new Logger({ write: (line) => process.stderr.write(line) }, level, () => identity());

  let config: ServerConfig;
  try {
    config = loadConfig(configPath);
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : (error as Error).message;
    logger.error('cannot start: bad configuration', { config: configPath, error: message });
    process.exit(2);
  }
  identity = () => ({ server: config.myid ?? 0, role: 'starting' });
  const storageOptions = storageOptionsFromConfig(config);
  let durability: Parameters<typeof AppModule.register>[2];
  try {
    if (config.servers.length > 0) {
      const storage = await DurableStorage.openForEnsemble(storageOptions, logger);
      const replication = new ZabReplication({ config, storage, logger });
      durability = { ensemble: { storage, replication } };
    } else {
      durability = { storage: await DurableStorage.open(storageOptions, logger) };
    }
  } catch (error) {
    if (!(error instanceof StorageRefusedError)) throw error;
    logger.error('cannot start: storage refused the data on disk', { reason: error.message, remedy: error.remedy });
    process.exit(3);
  }

  const appModule = AppModule.register(config, logger, durability);
  const nestOptions = { logger: new NestLoggerAdapter(logger), abortOnError: false };
  const serveLogsAndSignals = (app: INestApplicationContext): void => {
    const core = app.get(ServerCore);
    identity = () => core.logContext();
    app.enableShutdownHooks();
  };
  if (config.adminEnabled) {
    // The body parser is set up by configureHttp (1 MiB limit, the contract's 413/400 bodies).
    const app = await NestFactory.create(appModule, { ...nestOptions, bodyParser: false });
    serveLogsAndSignals(app);
    // Loaded here, not at the top: a member without its admin port never needs them (see adminPortModules).
    const { createWebSocketAdapter } = require('./gateway/gateway.module') as typeof import('./gateway/gateway.module');
    const { configureHttp } = require('./platform/shared/http-setup') as typeof import('./platform/shared/http-setup');
    // ZooKeeper clients over WebSocket share the admin HTTP server: ws://admin.serverAddress:admin.serverPort/zk.
    app.useWebSocketAdapter(createWebSocketAdapter(app));
    configureHttp(app, logger);
    await app.listen(config.adminServerPort, config.adminServerAddress);
    logger.info('admin API listening', { address: config.adminServerAddress, port: config.adminServerPort });
  } else {
    // No admin port: no HTTP server at all (express is never loaded), only the client port.
    const app = await NestFactory.createApplicationContext(appModule, nestOptions);
    serveLogsAndSignals(app);
    await app.init();
  }
  logger.info('coordinator started', { config: config.sourcePath, clientPort: config.clientPort, dataDir: config.dataDir, dataLogDir: config.dataLogDir, storage: 'sqlite', mode: config.servers.length > 0 ? 'ensemble' : 'standalone', servers: config.servers.length, v8Flags: v8Flags.join(' ') });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`coordinator failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
