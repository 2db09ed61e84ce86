// Registering a provider (and recording a consumer) under /services/{name}: an ephemeral JSON node that
// lives as long as the session and is re-registered after expiry, so a restarted session reappears by itself.
import type { ZooKeeperClient } from '@zk/sdk';
import { PersistentEphemeralNode, type PersistentEphemeralNodeOptions } from './persistent-ephemeral-node';
import { servicePaths, type ServiceConsumer, type ServiceInstance } from './service-layout';

export interface Registration {
  readonly path: string;
  /** Resolves once the node exists for the first time. */
  ready(): Promise<void>;
  /** Replaces the registered record (e.g. a new weight or metadata). */
  update(record: ServiceInstance | ServiceConsumer): Promise<void>;
  /** Deregisters (deletes the node, stops re-registering). */
  close(): Promise<void>;
}

function register(client: ZooKeeperClient, path: string, record: object, options: PersistentEphemeralNodeOptions): Registration {
  const node = new PersistentEphemeralNode(client, path, JSON.stringify(record), options);
  return {
    path,
    ready: () => node.ready(),
    update: (next) => node.setData(JSON.stringify(next)),
    close: () => node.close(),
  };
}

/** Registers `instance` as a provider of `service`; await `ready()` to know it is visible. */
export function registerInstance(client: ZooKeeperClient, service: string, instance: ServiceInstance, options: PersistentEphemeralNodeOptions = {}): Registration {
  return register(client, servicePaths.provider(service, instance.id), instance, options);
}

/** Records `consumer` as a consumer of `service` (for the dashboard and the REST listing). */
export function recordConsumer(client: ZooKeeperClient, service: string, consumer: ServiceConsumer, options: PersistentEphemeralNodeOptions = {}): Registration {
  return register(client, servicePaths.consumer(service, consumer.id), consumer, options);
}
