// Tree cache and group membership against real servers: the subtree mirrored through changes and a
// reconnect; members listed with payloads.
import { toText, ZooKeeperClient } from '@zk/sdk';
import { selectedTargets, startTcpProxy, useServer, waitFor } from '@zk/sdk/testing';
import { describe, expect, it } from 'vitest';
import { GroupMember } from './group-member';
import { TreeCache } from './tree-cache';

describe.each(selectedTargets())('TreeCache and GroupMember against %s', (target) => {
  const server = useServer(target);

  it('mirrors a subtree through creates, changes, deletes and a reconnect', async () => {
    const root = `/recipes-tree-${Date.now()}`;
    const admin = await ZooKeeperClient.connect(server.get().connectString);
    const proxy = await startTcpProxy(server.get().port);
    const client = await ZooKeeperClient.connect(proxy.connectString);
    await admin.create(root);
    await admin.create(`${root}/a`, '1');
    await client.sync(root); // written through another session (perhaps another member): catch up before reading
    const cache = await TreeCache.start(client, root);
    try {
      expect(cache.paths()).toEqual([root, `${root}/a`]);
      await admin.create(`${root}/a/b`, '2');
      await admin.setData(`${root}/a`, '1b');
      await waitFor(() => cache.get(`${root}/a/b`) !== undefined && toText(cache.get(`${root}/a`)?.data ?? new Uint8Array()) === '1b', 'the create and the change');
      expect(cache.children(`${root}/a`)).toEqual(['b']);
      proxy.setRefusing(true);
      proxy.cutConnections();
      await waitFor(() => client.state === 'suspended', 'suspended');
      await admin.create(`${root}/c`, '3');
      await admin.delete(`${root}/a/b`);
      proxy.setRefusing(false);
      await waitFor(() => cache.get(`${root}/c`) !== undefined && cache.get(`${root}/a/b`) === undefined, 'the changes made while disconnected');
      await admin.deleteRecursive(`${root}/a`);
      await waitFor(() => cache.get(`${root}/a`) === undefined, 'the deletion');
      expect(cache.paths()).toEqual([root, `${root}/c`]);
    } finally {
      await cache.close();
      await client.close();
      await admin.close();
      await proxy.close();
    }
  });

  it('lists group members with payloads and drops closed ones', async () => {
    const group = `/recipes-group-${Date.now()}`;
    const a = await ZooKeeperClient.connect(server.get().connectString);
    const b = await ZooKeeperClient.connect(server.get().connectString);
    try {
      const first = new GroupMember(a, group, 'one', 'host-1');
      const second = new GroupMember(b, group, 'two', 'host-2');
      await Promise.all([first.ready(), second.ready()]);
      await a.sync(group); // b may be on another member: catch up before reading through a
      expect(await first.members()).toEqual(new Map([['one', 'host-1'], ['two', 'host-2']]));
      await second.close();
      await a.sync(group); // b may be on another member: catch up before reading through a
      expect(await first.members()).toEqual(new Map([['one', 'host-1']]));
      await first.close();
    } finally {
      await a.close();
      await b.close();
    }
  });
});
