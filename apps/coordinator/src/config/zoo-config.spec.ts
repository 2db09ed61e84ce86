import { describe, expect, it } from 'vitest';
import { ConfigError, parseZooConfig } from './zoo-config';

describe('parseZooConfig', () => {
  it('reads a standalone file with ZooKeeper defaults for what is missing', () => {
    const config = parseZooConfig('tickTime=2000\ndataDir=/var/zk\nclientPort=2181\n');
    expect(config.servers).toEqual([]);
    expect(config.minSessionTimeoutMs).toBe(4000);
    expect(config.maxSessionTimeoutMs).toBe(40000);
    expect(config.maxClientCnxns).toBe(60);
    expect([...config.fourLetterWords]).toEqual(['srvr']);
    expect(config.dataLogDir).toBe('/var/zk');
    expect(config.maxBufferBytes).toBe(0xfffff);
  });

  it('reads snapSizeLimitInKb (or its system-property name), by default 4 GiB standalone and 256 MiB in an ensemble, 0 or less for none', () => {
    const base = 'dataDir=/d\nclientPort=1\n';
    expect(parseZooConfig(base).snapSizeLimitKb).toBe(4 * 1024 * 1024);
    const ensemble = `${base}server.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n`;
    expect(parseZooConfig(ensemble, { readMyid: () => '1' }).snapSizeLimitKb).toBe(256 * 1024);
    expect(parseZooConfig(`${ensemble}snapSizeLimitInKb=1024\n`, { readMyid: () => '1' }).snapSizeLimitKb).toBe(1024);
    expect(parseZooConfig(`${base}snapSizeLimitInKb=4096\n`).snapSizeLimitKb).toBe(4096);
    expect(parseZooConfig(`${base}zookeeper.snapSizeLimitInKb=-1\n`).snapSizeLimitKb).toBe(-1);
    expect(parseZooConfig(`${base}snapSizeLimitInKb=4096\n`).extra.has('snapSizeLimitInKb')).toBe(false);
    expect(() => parseZooConfig(`${base}snapSizeLimitInKb=4MB\n`)).toThrow(ConfigError);
  });

  it('expands a * whitelist and keeps unknown keys', () => {
    const config = parseZooConfig('dataDir=/d\nclientPort=1\n4lw.commands.whitelist=*\nfoo.bar=baz\n');
    expect(config.fourLetterWords.has('mntr')).toBe(true);
    expect(config.extra.get('foo.bar')).toBe('baz');
  });

  it('reads server lines and myid', () => {
    const config = parseZooConfig(
      'dataDir=/d\nclientPort=2181\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.2:2888:3888:observer\n',
      { readMyid: () => '2\n' },
    );
    expect(config.myid).toBe(2);
    expect(config.servers.map((s) => [s.id, s.type])).toEqual([[1, 'participant'], [2, 'observer']]);
  });

  it.each([
    ['clientPort=2181\n', /dataDir/],
    ['dataDir=/d\n', /clientPort/],
    ['dataDir=/d\nclientPort=abc\n', /not a whole number/],
    ['dataDir=/d\nclientPort=1\nminSessionTimeout=9000\nmaxSessionTimeout=100\n', /larger than/],
    ['dataDir=/d\nclientPort=1\nserver.1=host\n', /expected host/],
    ['dataDir=/d\nclientPort=1\njunk line\n', /key=value/],
    ['dataDir=/d\nclientPort=1\nadmin.enableServer=yes\n', /true or false/],
  ])('refuses %j with a clear message', (text, message) => {
    expect(() => parseZooConfig(text, { readMyid: () => '1' })).toThrowError(ConfigError);
    expect(() => parseZooConfig(text, { readMyid: () => '1' })).toThrowError(message);
  });

  it('refuses server lines without a matching myid', () => {
    expect(() => parseZooConfig('dataDir=/d\nclientPort=1\nserver.1=h:1:2\n', { readMyid: () => undefined })).toThrowError(/myid/);
    expect(() => parseZooConfig('dataDir=/d\nclientPort=1\nserver.1=h:1:2\n', { readMyid: () => '7' })).toThrowError(/myid/);
  });
});
