// One typed server configuration, written as the zoo.cfg that both ZooKeeper and the coordinator read.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ServerConfig {
  clientPort: number;
  dataDir: string;
  tickTimeMs: number;
  minSessionTimeoutMs?: number;
  maxSessionTimeoutMs?: number;
  maxClientCnxns?: number;
  /** `user:base64(sha1(user:password))`, the DigestAuthenticationProvider.superDigest value. */
  superDigest?: string;
  /** jute.maxbuffer in bytes; ZooKeeper's default is 0xfffff. */
  juteMaxBufferBytes?: number;
  containerCheckIntervalMs: number;
}

/** The zoo.cfg text. ZooKeeper also gets the keys it reads from system properties as JVM flags. */
export function zooCfgText(config: ServerConfig): string {
  const lines = [
    `tickTime=${config.tickTimeMs}`,
    `dataDir=${config.dataDir}`,
    `clientPort=${config.clientPort}`,
    'clientPortAddress=127.0.0.1',
    `maxClientCnxns=${config.maxClientCnxns ?? 60}`,
    '4lw.commands.whitelist=*',
    'extendedTypesEnabled=true',
    `znode.container.checkIntervalMs=${config.containerCheckIntervalMs}`,
    'admin.enableServer=false',
  ];
  if (config.minSessionTimeoutMs !== undefined) lines.push(`minSessionTimeout=${config.minSessionTimeoutMs}`);
  if (config.maxSessionTimeoutMs !== undefined) lines.push(`maxSessionTimeout=${config.maxSessionTimeoutMs}`);
  if (config.juteMaxBufferBytes !== undefined) lines.push(`jute.maxbuffer=${config.juteMaxBufferBytes}`);
  if (config.superDigest !== undefined) lines.push(`DigestAuthenticationProvider.superDigest=${config.superDigest}`);
  return `${lines.join('\n')}\n`;
}

export function writeZooCfg(directory: string, config: ServerConfig): string {
  const path = join(directory, 'zoo.cfg');
  writeFileSync(path, zooCfgText(config));
  return path;
}
