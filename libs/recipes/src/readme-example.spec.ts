// The ten-line example proposed for the root README (register a provider, discover it), run verbatim
// against both targets so the documentation cannot rot.
import { selectedTargets, useServer } from '@zk/sdk/testing';
import { describe, expect, it } from 'vitest';
import { ZooKeeperClient } from '@zk/sdk';
import { discover } from './service-discovery';
import { registerInstance } from './service-registry';

describe.each(selectedTargets())('README example against %s', (target) => {
  const server = useServer(target);

  it('registers and discovers a service in ten lines', async () => {
    const connectString = server.get().connectString;
    // --- README example, from here ---
    const provider = await ZooKeeperClient.connect(connectString);
    await registerInstance(provider, 'orders', { id: 'orders-1', host: '10.0.0.5', port: 8080 }).ready();

    const consumer = await ZooKeeperClient.connect(connectString);
    const orders = await discover(consumer, 'orders', { defaultPolicy: { strategy: 'round-robin' } });
    const { host, port } = orders.pick();
    console.log(`calling orders at ${host}:${port}`);

    await orders.close();
    await Promise.all([provider.close(), consumer.close()]);
    // --- to here ---
    expect(`${host}:${port}`).toBe('10.0.0.5:8080');
  });
});
