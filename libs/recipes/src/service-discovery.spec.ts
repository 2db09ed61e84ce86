// Service registration and discovery against real servers (our coordinator and Apache ZooKeeper):
// the live cache, stored policy and overrides, re-registration after expiry, and a stale cache refusing.
import { ZooKeeperClient } from '@zk/sdk';
import { selectedTargets, startTcpProxy, useServer, waitFor, type TcpProxy } from '@zk/sdk/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { discover, ServiceUnavailableError, type ServiceCache } from './service-discovery';
import { servicePaths } from './service-layout';
import { recordConsumer, registerInstance, type Registration } from './service-registry';

describe.each(selectedTargets())('service discovery against %s', (target) => {
  const server = useServer(target);
  let admin: ZooKeeperClient;
  let proxy: TcpProxy;
  let counter = 0;
  const cleanups: (() => Promise<void>)[] = [];
  const serviceName = (): string => `svc-${Date.now()}-${++counter}`;
  const connect = async (viaProxy = false, sessionTimeoutMs = 10_000): Promise<ZooKeeperClient> => {
    const client = await ZooKeeperClient.connect(viaProxy ? proxy.connectString : server.get().connectString, { sessionTimeoutMs });
    cleanups.push(() => client.close());
    return client;
  };
  const ids = (cache: ServiceCache): string[] => cache.instances().map((instance) => instance.id);

  beforeAll(async () => {
    admin = await ZooKeeperClient.connect(server.get().connectString);
    proxy = await startTcpProxy(server.get().port);
  });
  afterEach(async () => {
    proxy.setRefusing(false);
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });
  afterAll(async () => {
    await admin?.close();
    await proxy?.close();
  });

  it('discovers registered providers live and honours the stored policy and overrides', async () => {
    const service = serviceName();
    const registrations: Registration[] = [];
    for (const id of ['a', 'b', 'c']) {
      const provider = await connect();
      const registration = registerInstance(provider, service, { id, host: '127.0.0.1', port: 9000, weight: 100 });
      await registration.ready();
      registrations.push(registration);
    }
    const consumer = await connect();
    await recordConsumer(consumer, service, { id: 'consumer-1' }).ready();
    // Sessions on different members: each reads its member's state, so catch up before reading (ZooKeeper's rule).
    await admin.sync(servicePaths.consumers(service));
    expect(await admin.getChildren(servicePaths.consumers(service))).toEqual(['consumer-1']);
    await consumer.sync(servicePaths.consumers(service));
    const cache = await discover(consumer, service);
    cleanups.push(() => cache.close());
    expect(ids(cache)).toEqual(['a', 'b', 'c']);
    expect(cache.policy.strategy).toBe('random');

    await admin.create(servicePaths.policy(service), JSON.stringify({ strategy: 'round-robin' }));
    await waitFor(() => cache.policy.strategy === 'round-robin', 'the stored policy');
    expect([0, 1, 2, 3].map(() => cache.pick().id)).toEqual(['a', 'b', 'c', 'a']);

    await admin.mkdirp(servicePaths.overrides(service));
    await admin.create(servicePaths.override(service, 'b'), JSON.stringify({ disabled: true }));
    await admin.create(servicePaths.override(service, 'c'), JSON.stringify({ weight: 7 }));
    await waitFor(() => ids(cache).join() === 'a,c' && cache.instances()[1].weight === 7, 'the overrides');

    await registrations[0].close();
    await waitFor(() => ids(cache).join() === 'c', 'a to deregister');
    await registrations[2].update({ id: 'c', host: '127.0.0.2', port: 9001 });
    await waitFor(() => cache.instances()[0]?.host === '127.0.0.2', 'the updated record');
    await admin.delete(servicePaths.override(service, 'b'));
    await waitFor(() => ids(cache).join() === 'b,c', 'b to be enabled again');
  });

  it('re-registers a provider after its session expired, and the cache follows', async () => {
    const service = serviceName();
    const provider = await connect(true, 2_000);
    const registration = registerInstance(provider, service, { id: 'p1', host: '127.0.0.1', port: 9000 });
    await registration.ready();
    const cache = await discover(await connect(), service);
    cleanups.push(() => cache.close());
    expect(ids(cache)).toEqual(['p1']);
    const oldSession = provider.sessionId;
    proxy.setRefusing(true);
    proxy.cutConnections();
    await waitFor(() => ids(cache).length === 0, 'the expired provider to leave the cache', 15_000);
    proxy.setRefusing(false);
    await waitFor(() => ids(cache).join() === 'p1', 'the provider to re-register', 15_000);
    await admin.sync(servicePaths.provider(service, 'p1')); // the cache's session may be on another member: catch up before reading
    expect((await admin.exists(servicePaths.provider(service, 'p1')))?.ephemeralOwner).toBe(provider.sessionId);
    expect(provider.sessionId).not.toBe(oldSession);
    await registration.close();
  });

  it('refuses to pick from a cache cut off longer than a session timeout, then recovers', async () => {
    const service = serviceName();
    const provider = await connect();
    await registerInstance(provider, service, { id: 'p1', host: '127.0.0.1', port: 9000 }).ready();
    const consumer = await connect(true, 2_000);
    const cache = await discover(consumer, service);
    cleanups.push(() => cache.close());
    expect(cache.pick().id).toBe('p1');
    proxy.setRefusing(true);
    proxy.cutConnections();
    await waitFor(() => cache.isStale, 'the cache to go stale', 10_000);
    expect(() => cache.pick()).toThrow(ServiceUnavailableError);
    await admin.create(servicePaths.provider(service, 'p2'), JSON.stringify({ host: '127.0.0.1', port: 9002 }));
    proxy.setRefusing(false);
    await waitFor(() => !cache.isStale && ids(cache).join() === 'p1,p2', 'the cache to recover', 15_000);
  });
});
