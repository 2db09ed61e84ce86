// The connect string: "host:port,host:port/chroot" as ZooKeeper's ConnectStringParser reads it, or a list of
// WebSocket URLs "ws://host:port/zk,wss://host/zk#/chroot"; and the shuffled host order the client tries (StaticHostProvider).

export interface HostAddress {
  host: string;
  port: number;
  /** A WebSocket host's full URL (ws: or wss:); host and port are read from it. Absent for host:port hosts. */
  url?: string;
}

export interface ConnectString {
  hosts: HostAddress[];
  /** "" when there is no chroot. */
  chroot: string;
}

const DEFAULT_PORT = 2181;
/** The coordinator's WebSocket gateway path, used for a ws:// URL that names none. */
export const DEFAULT_WEBSOCKET_PATH = '/zk';

export function parseConnectString(text: string): ConnectString {
  if (/^\s*wss?:\/\//i.test(text)) return parseWebSocketConnectString(text);
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

/**
 * "ws://h1:8080/zk,ws://h2:8080/zk#/app": every host a ws: or wss: URL; a URL without a path gets /zk. The chroot,
 * if any, is the last URL's fragment (a fragment never reaches the server), as ZooKeeper's follows the last host.
 */
function parseWebSocketConnectString(text: string): ConnectString {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  let chroot = '';
  const hosts = parts.map((part, index): HostAddress => {
    let url: URL;
    try {
      url = new URL(part);
    } catch {
      throw new Error(`connect string ${JSON.stringify(text)}: ${JSON.stringify(part)} is not a URL`);
    }
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
      throw new Error(`connect string ${JSON.stringify(text)}: ${JSON.stringify(part)} is not a ws:// or wss:// URL (do not mix them with host:port)`);
    }
    if (url.hash !== '') {
      if (index !== parts.length - 1) throw new Error(`connect string ${JSON.stringify(text)}: only the last URL may carry the chroot (#/path)`);
      chroot = decodeURIComponent(url.hash.slice(1));
      url.hash = '';
    }
    if (url.pathname === '/') url.pathname = DEFAULT_WEBSOCKET_PATH;
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const port = url.port === '' ? (url.protocol === 'wss:' ? 443 : 80) : Number(url.port);
    return { host, port, url: url.href };
  });
  if (chroot === '/') chroot = '';
  if (chroot !== '' && (!chroot.startsWith('/') || chroot.endsWith('/'))) {
    throw new Error(`connect string ${JSON.stringify(text)}: chroot ${JSON.stringify(chroot)} must start and not end with /`);
  }
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
