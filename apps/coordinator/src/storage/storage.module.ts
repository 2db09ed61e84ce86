// Nest wiring of durable storage. main.ts opens the storage before Nest starts (so that a refusal stops the
// process with its explanation before anything listens) and hands it to this module; on shutdown the core's
// timers stop first, then the log flushes what is pending and the files close.
import { Global, Inject, Injectable, Module, Optional, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ServerCore } from '../server/server-core';
import type { CoordinatorStorage } from './storage';

export const DURABLE_STORAGE = Symbol('DURABLE_STORAGE');

@Injectable()
export class StorageLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(DURABLE_STORAGE) private readonly storage: CoordinatorStorage,
    @Optional() @Inject(ServerCore) private readonly core?: ServerCore,
  ) {
    storage.onFlush?.((flushMs, txns) => core?.stats.logFlushes.emit(flushMs, txns));
  }

  async onApplicationShutdown(): Promise<void> {
    // No session expiry or container reaping may append once the log is closed.
    this.core?.stop();
    await this.storage.close();
  }
}

@Global()
@Module({})
export class StorageModule {
  static register(storage: CoordinatorStorage): DynamicModule {
    return {
      module: StorageModule,
      providers: [{ provide: DURABLE_STORAGE, useValue: storage }, StorageLifecycle],
      exports: [DURABLE_STORAGE],
    };
  }
}
