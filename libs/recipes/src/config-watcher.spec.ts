// The config watcher against real servers (our coordinator and Apache ZooKeeper): every change with its
// version, deletion, and changes made while the watcher was disconnected or its session expired.
import { ZooKeeperClient } from '@zk/sdk';
import { selectedTargets, startTcpProxy, useServer, waitFor, type TcpProxy } from '@zk/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configPath, decodeConfigData, encodeConfigData, watchConfig, type ConfigValue } from './config-watcher';

describe('config data encoding', () => {
  it('reads the envelope and takes anything else as text', () => {
    expect(decodeConfigData(encodeConfigData('{"a":1}', 'json'))).toEqual({ value: '{"a":1}', contentType: 'json' });
    expect(decodeConfigData('plain')).toEqual({ value: 'plain', contentType: 'text' });
    expect(decodeConfigData('{"value":1}')).toEqual({ value: '{"value":1}', contentType: 'text' });
  });

  it('refuses names that are not one path segment', () => {
    expect(() => configPath({ namespace: 'a/b', group: 'g', key: 'k' })).toThrow();
    expect(configPath({ namespace: 'prod', group: 'db', key: 'url' })).toBe('/config/prod/db/url');
  });
});

describe.each(selectedTargets())('config watcher against %s', (target) => {
  const server = useServer(target);
  let admin: ZooKeeperClient;
  let proxy: TcpProxy;
  let counter = 0;
  const freshKey = () => ({ namespace: `ns${Date.now()}`, group: 'g', key: `k${++counter}` });

  beforeAll(async () => {
    admin = await ZooKeeperClient.connect(server.get().connectString);
    proxy = await startTcpProxy(server.get().port);
  });
  afterAll(async () => {
    await admin?.close();
    await proxy?.close();
  });

  it('reports the value, each change with its version, and deletion', async () => {
    const key = freshKey();
    const client = await ZooKeeperClient.connect(server.get().connectString);
    const seen: ConfigValue[] = [];
    const watcher = await watchConfig(client, key, (value) => seen.push(value));
    try {
      expect(seen).toEqual([{ value: undefined, contentType: 'text', version: -1 }]);
      await admin.mkdirp(configPath(key).slice(0, configPath(key).lastIndexOf('/')));
      await admin.create(configPath(key), encodeConfigData('{"pool":5}', 'json'));
      await waitFor(() => seen.length === 2, 'the creation');
      expect(seen[1]).toMatchObject({ value: '{"pool":5}', contentType: 'json', version: 0 });
      await admin.setData(configPath(key), encodeConfigData('{"pool":6}', 'json'));
      await waitFor(() => seen.length === 3, 'the change');
      expect(seen[2]).toMatchObject({ value: '{"pool":6}', version: 1 });
      await admin.delete(configPath(key));
      await waitFor(() => seen.length === 4, 'the deletion');
      expect(seen[3]).toEqual({ value: undefined, contentType: 'text', version: -1 });
    } finally {
      watcher.close();
      await client.close();
    }
  });

  it('sees changes made while it was disconnected and after its session expired', async () => {
    const key = freshKey();
    await admin.mkdirp(configPath(key));
    await admin.setData(configPath(key), 'v0');
    const client = await ZooKeeperClient.connect(proxy.connectString, { sessionTimeoutMs: 2_000 });
    const seen: string[] = [];
    const watcher = await watchConfig(client, key, (value) => seen.push(`${value.value}@${value.version}`));
    try {
      proxy.setRefusing(true);
      proxy.cutConnections();
      await waitFor(() => client.state === 'suspended', 'suspended');
      await admin.setData(configPath(key), 'v1');
      proxy.setRefusing(false);
      await waitFor(() => seen.length === 2, 'the change made while disconnected');
      expect(client.state).toBe('connected');
      proxy.setRefusing(true);
      proxy.cutConnections();
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      await admin.setData(configPath(key), 'v2');
      proxy.setRefusing(false);
      await waitFor(() => seen.length === 3, 'the change made while the session expired', 15_000);
      expect(seen).toEqual(['v0@1', 'v1@2', 'v2@3']);
    } finally {
      watcher.close();
      await client.close();
    }
  });
});
