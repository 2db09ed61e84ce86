// Nest wiring of an ensemble member: main.ts opens the ensemble storage and builds the replication before
// Nest starts; this module hands both to the core, starts the peer links once the app is up, and on
// shutdown stops the core's timers, then the links, then closes the files.
import { Global, Inject, Injectable, Module, Optional, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ServerCore } from '../server/server-core';
import type { ZabStorage } from '../storage/ensemble-storage';
import type { ZabReplication } from './zab-replication';

export const ENSEMBLE = Symbol('ENSEMBLE');

export interface EnsembleParts {
  storage: ZabStorage;
  replication: ZabReplication;
}

@Injectable()
export class EnsembleLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(ENSEMBLE) private readonly ensemble: EnsembleParts,
    @Optional() @Inject(ServerCore) private readonly core?: ServerCore,
  ) {
    ensemble.storage.onFlush?.((flushMs, txns) => core?.stats.logFlushes.emit(flushMs, txns));
    ensemble.replication.onProposalCommitted((commitMs) => core?.stats.proposalsCommitted.emit(commitMs));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensemble.replication.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.core?.stop();
    await this.ensemble.replication.stop();
    await this.ensemble.storage.close();
  }
}

@Global()
@Module({})
export class QuorumModule {
  static register(ensemble: EnsembleParts): DynamicModule {
    return {
      module: QuorumModule,
      providers: [{ provide: ENSEMBLE, useValue: ensemble }, EnsembleLifecycle],
      exports: [ENSEMBLE],
    };
  }
}
