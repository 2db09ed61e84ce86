// Node cache against real servers: mirrors creation, changes and deletion, including changes made while
// its connection was down.
import { toText, ZooKeeperClient } from '@zk/sdk';
import { selectedTargets, startTcpProxy, useServer, waitFor } from '@zk/sdk/testing';
import { describe, expect, it } from 'vitest';
import { NodeCache } from './node-cache';

describe.each(selectedTargets())('NodeCache against %s', (target) => {
  const server = useServer(target);

  it('mirrors the node through changes, deletion and a reconnect', async () => {
    const path = `/recipes-node-cache-${Date.now()}`;
    const admin = await ZooKeeperClient.connect(server.get().connectString);
    const proxy = await startTcpProxy(server.get().port);
    const client = await ZooKeeperClient.connect(proxy.connectString);
    const seen: (string | undefined)[] = [];
    const cache = await NodeCache.start(client, path, (node) => seen.push(node === undefined ? undefined : toText(node.data)));
    try {
      expect(cache.node).toBeUndefined();
      await admin.create(path, 'one');
      await waitFor(() => cache.node !== undefined, 'the creation');
      await admin.setData(path, 'two');
      await waitFor(() => cache.node !== undefined && toText(cache.node.data) === 'two', 'the change');
      proxy.setRefusing(true);
      proxy.cutConnections();
      await waitFor(() => client.state === 'suspended', 'suspended');
      await admin.setData(path, 'three');
      proxy.setRefusing(false);
      await waitFor(() => cache.node !== undefined && toText(cache.node.data) === 'three', 'the change made while disconnected');
      await admin.delete(path);
      await waitFor(() => cache.node === undefined, 'the deletion');
      expect(seen).toEqual(['one', 'two', 'three', undefined]);
    } finally {
      cache.close();
      await client.close();
      await admin.close();
      await proxy.close();
    }
  });
});
