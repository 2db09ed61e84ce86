// zoo.cfg, parsed once at the edge into a typed object: the same file and keys Apache ZooKeeper reads.
// Unknown keys are kept (ZooKeeper turns them into system properties) so nothing an operator wrote is silently lost.

export type PeerType = 'participant' | 'observer';

export interface PeerAddress {
  id: number;
  host: string;
  quorumPort: number;
  electionPort: number;
  type: PeerType;
  clientPort?: number;
}

export interface ServerConfig {
  /** Where the file came from; relative paths in it are resolved against its folder. */
  sourcePath?: string;
  tickTimeMs: number;
  initLimitTicks: number;
  syncLimitTicks: number;
  dataDir: string;
  dataLogDir: string;
  clientPort: number;
  clientPortAddress: string;
  maxClientCnxns: number;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  snapCount: number;
  /**
   * snapSizeLimitInKb: a snapshot is also due after about this many KiB of logged txns (0 or less: none).
   * By default ZooKeeper's 4 GiB standalone, where it bounds only the log on disk, and 256 MiB in an ensemble,
   * where a member also holds the log after its last snapshot in memory.
   */
  snapSizeLimitKb: number;
  autopurgeSnapRetainCount: number;
  autopurgePurgeIntervalHours: number;
  /** Four-letter words allowed on the client port; '*' in the file allows every one. */
  fourLetterWords: ReadonlySet<string>;
  adminEnabled: boolean;
  adminServerPort: number;
  adminServerAddress: string;
  /** jute.maxbuffer: the largest frame and znode payload. */
  maxBufferBytes: number;
  extendedTypesEnabled: boolean;
  containerCheckIntervalMs: number;
  /** readonlymode.enabled: a member cut off from its quorum serves reads to clients that allow it. */
  readOnlyModeEnabled: boolean;
  /** DigestAuthenticationProvider.superDigest: "super:base64(sha1)". */
  superDigest?: string;
  /** platform.adminPassword: the first platform admin's password (env COORDINATOR_ADMIN_PASSWORD wins). */
  platformAdminPassword?: string;
  servers: PeerAddress[];
  /** Read from dataDir/myid when servers are listed. */
  myid?: number;
  extra: ReadonlyMap<string, string>;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** snapSizeLimitInKb when the file does not say (see ServerConfig.snapSizeLimitKb): ZooKeeper's, standalone ... */
export const SNAP_SIZE_LIMIT_KB_ZOOKEEPER = 4 * 1024 * 1024;
/**
 * ... and an ensemble member's, whose log since the last snapshot is also in memory. Not lower: each
 * snapshot costs the snapshot process a replay of that log from disk, on the cores that serve clients.
 */
export const SNAP_SIZE_LIMIT_KB_ENSEMBLE = 256 * 1024;

/** Every four-letter word we serve; '*' expands to these. */
export const ALL_FOUR_LETTER_WORDS = ['ruok', 'srvr', 'stat', 'mntr', 'conf', 'cons', 'crst', 'srst', 'envi', 'wchs', 'wchc', 'wchp', 'dirs', 'isro'];

const KNOWN_KEYS = new Set([
  'tickTime', 'initLimit', 'syncLimit', 'dataDir', 'dataLogDir', 'clientPort', 'clientPortAddress',
  'maxClientCnxns', 'minSessionTimeout', 'maxSessionTimeout', 'snapCount', 'snapSizeLimitInKb', 'zookeeper.snapSizeLimitInKb', 'autopurge.snapRetainCount',
  'autopurge.purgeInterval', '4lw.commands.whitelist', 'admin.enableServer', 'admin.serverPort',
  'admin.serverAddress', 'jute.maxbuffer', 'extendedTypesEnabled', 'zookeeper.extendedTypesEnabled',
  'znode.container.checkIntervalMs', 'DigestAuthenticationProvider.superDigest',
  'zookeeper.DigestAuthenticationProvider.superDigest', 'readonlymode.enabled', 'platform.adminPassword',
]);

/** Parses the text of a zoo.cfg. `readMyid` is asked for dataDir/myid only when server.N lines exist. */
export function parseZooConfig(text: string, options: { sourcePath?: string; resolvePath?: (p: string) => string; readMyid?: (dataDir: string) => string | undefined } = {}): ServerConfig {
  const entries = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new ConfigError(`line ${index + 1}: expected key=value, got "${line}"`);
    entries.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  });
  const resolvePath = options.resolvePath ?? ((p: string) => p);

  const int = (key: string, fallback: number, min = 0): number => {
    const value = entries.get(key);
    if (value === undefined) return fallback;
    if (!/^-?\d+$/.test(value)) throw new ConfigError(`${key}=${value}: not a whole number`);
    const n = Number(value);
    if (n < min) throw new ConfigError(`${key}=${value}: must be at least ${min}`);
    return n;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const value = entries.get(key);
    if (value === undefined) return fallback;
    if (value !== 'true' && value !== 'false') throw new ConfigError(`${key}=${value}: expected true or false`);
    return value === 'true';
  };

  const tickTimeMs = int('tickTime', 2000, 1);
  const dataDirRaw = entries.get('dataDir');
  if (!dataDirRaw) throw new ConfigError('dataDir is not set');
  const dataDir = resolvePath(dataDirRaw);
  const clientPort = int('clientPort', -1);
  if (clientPort <= 0 || clientPort > 65535) throw new ConfigError('clientPort is not set to a port (1-65535)');
  const minSessionTimeoutMs = int('minSessionTimeout', tickTimeMs * 2, 1);
  const maxSessionTimeoutMs = int('maxSessionTimeout', tickTimeMs * 20, 1);
  if (minSessionTimeoutMs > maxSessionTimeoutMs) {
    throw new ConfigError(`minSessionTimeout (${minSessionTimeoutMs}) is larger than maxSessionTimeout (${maxSessionTimeoutMs})`);
  }

  const whitelist = (entries.get('4lw.commands.whitelist') ?? 'srvr').split(',').map((w) => w.trim()).filter(Boolean);
  const fourLetterWords = new Set(whitelist.includes('*') ? ALL_FOUR_LETTER_WORDS : whitelist);

  const servers = parseServers(entries);
  let myid: number | undefined;
  if (servers.length > 0) {
    const text = options.readMyid?.(dataDir);
    if (text === undefined) throw new ConfigError(`server.N lines are present but ${dataDir}/myid is missing`);
    myid = Number(text.trim());
    if (!Number.isInteger(myid) || !servers.some((s) => s.id === myid)) {
      throw new ConfigError(`myid "${text.trim()}" does not name one of the server.N lines`);
    }
  }

  const superDigest = entries.get('DigestAuthenticationProvider.superDigest') ?? entries.get('zookeeper.DigestAuthenticationProvider.superDigest');
  if (superDigest !== undefined && !/^[^:]+:.+$/.test(superDigest)) {
    throw new ConfigError('DigestAuthenticationProvider.superDigest must look like super:base64digest');
  }

  return {
    sourcePath: options.sourcePath,
    tickTimeMs,
    initLimitTicks: int('initLimit', 10, 1),
    syncLimitTicks: int('syncLimit', 5, 1),
    dataDir,
    dataLogDir: entries.has('dataLogDir') ? resolvePath(entries.get('dataLogDir') as string) : dataDir,
    clientPort,
    clientPortAddress: entries.get('clientPortAddress') ?? '0.0.0.0',
    maxClientCnxns: int('maxClientCnxns', 60),
    minSessionTimeoutMs,
    maxSessionTimeoutMs,
    snapCount: int('snapCount', 100_000, 2),
    snapSizeLimitKb: int('snapSizeLimitInKb', int('zookeeper.snapSizeLimitInKb', servers.length > 0 ? SNAP_SIZE_LIMIT_KB_ENSEMBLE : SNAP_SIZE_LIMIT_KB_ZOOKEEPER, -Infinity), -Infinity),
    autopurgeSnapRetainCount: int('autopurge.snapRetainCount', 3, 3),
    autopurgePurgeIntervalHours: int('autopurge.purgeInterval', 0),
    fourLetterWords,
    adminEnabled: bool('admin.enableServer', true),
    adminServerPort: int('admin.serverPort', 8080),
    adminServerAddress: entries.get('admin.serverAddress') ?? '0.0.0.0',
    maxBufferBytes: int('jute.maxbuffer', 0xfffff, 1024),
    extendedTypesEnabled: bool('extendedTypesEnabled', bool('zookeeper.extendedTypesEnabled', false)),
    containerCheckIntervalMs: int('znode.container.checkIntervalMs', 60_000, 10),
    readOnlyModeEnabled: bool('readonlymode.enabled', false),
    superDigest,
    platformAdminPassword: entries.get('platform.adminPassword') || undefined,
    servers,
    myid,
    extra: new Map([...entries].filter(([key]) => !KNOWN_KEYS.has(key) && !key.startsWith('server.'))),
  };
}

function parseServers(entries: Map<string, string>): PeerAddress[] {
  const servers: PeerAddress[] = [];
  for (const [key, value] of entries) {
    const match = /^server\.(\d+)$/.exec(key);
    if (!match) continue;
    const id = Number(match[1]);
    // host:quorumPort:electionPort[:participant|observer][;[clientHost:]clientPort]
    const [addressPart, clientPart] = value.split(';');
    const parts = addressPart.split(':');
    if (parts.length < 3 || parts.length > 4) throw new ConfigError(`${key}=${value}: expected host:quorumPort:electionPort[:participant|observer]`);
    const [host, quorum, election, role] = parts;
    const type = (role ?? 'participant') as PeerType;
    if (type !== 'participant' && type !== 'observer') throw new ConfigError(`${key}=${value}: role must be participant or observer`);
    const quorumPort = Number(quorum);
    const electionPort = Number(election);
    if (!isPort(quorumPort) || !isPort(electionPort)) throw new ConfigError(`${key}=${value}: bad port`);
    const clientPort = clientPart ? Number(clientPart.split(':').pop()) : undefined;
    servers.push({ id, host, quorumPort, electionPort, type, clientPort });
  }
  return servers.sort((a, b) => a.id - b.id);
}

function isPort(n: number): boolean {
  return Number.isInteger(n) && n > 0 && n <= 65535;
}
