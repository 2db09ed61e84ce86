// The connect string: "host:port,host:port/chroot" as ZooKeeper's ConnectStringParser reads it,
// and the shuffled host order the client tries (StaticHostProvider).

export interface HostAddress {
  host: string;
  port: number;
}

export interface ConnectString {
  hosts: HostAddress[];
  /** "" when there is no chroot. */
  chroot: string;
}

const DEFAULT_PORT = 2181;

export function parseConnectString(text: string): ConnectString {
  const slash = text.indexOf('/');
  let chroot = slash < 0 ? '' : text.slice(slash);
  const hostList = slash < 0 ? text : text.slice(0, slash);
  if (chroot === '/') chroot = '';
  if (chroot.length > 1 && chroot.endsWith('/')) throw new Error(`connect string ${JSON.stringify(text)}: chroot must not end with /`);
  const hosts = hostList
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => parseHost(part, text));
  if (hosts.length === 0) throw new Error(`connect string ${JSON.stringify(text)} names no host`);
  return { hosts, chroot };
}

function parseHost(part: string, text: string): HostAddress {
  // "[::1]:2181" for IPv6, "host:port" or "host" otherwise.
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(part);
  if (bracketed !== null) return { host: bracketed[1], port: portOf(bracketed[2], text) };
  const colon = part.lastIndexOf(':');
  if (colon < 0) return { host: part, port: DEFAULT_PORT };
  return { host: part.slice(0, colon), port: portOf(part.slice(colon + 1), text) };
}

function portOf(raw: string | undefined, text: string): number {
  if (raw === undefined) return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`connect string ${JSON.stringify(text)}: bad port ${raw}`);
  return port;
}

/** A Fisher–Yates shuffle, so that clients spread over the ensemble; `random` is injectable for tests. */
export function shuffled<T>(items: readonly T[], random: () => number = Math.random): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}
