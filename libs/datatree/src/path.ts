// Znode path rules: PathUtils.validatePath with ZooKeeper's exact messages, parent/child split as
// the server does it (no validation), the special /zookeeper paths and the %010d sequence suffix.

/** Why `path` is not a valid znode path (PathUtils wording), or undefined when it is valid. */
export function validatePath(path: string, sequential = false): string | undefined {
  // A sequential create is checked with a suffix, so "/a/" is fine there (it becomes "/a/0000000001").
  const checked = sequential ? path + '1' : path;
  if (checked.length === 0) return 'Path length must be > 0';
  if (checked.charCodeAt(0) !== 0x2f) return 'Path must start with / character';
  if (checked.length === 1) return undefined;
  if (checked.charCodeAt(checked.length - 1) === 0x2f) return 'Path must not end with / character';
  const reason = invalidPathReason(checked);
  return reason === undefined ? undefined : `Invalid path string "${checked}" caused by ${reason}`;
}

function invalidPathReason(path: string): string | undefined {
  let last = 0x2f;
  for (let i = 1; i < path.length; last = path.charCodeAt(i), i++) {
    const c = path.charCodeAt(i);
    const next = i + 1 === path.length ? 0x2f : path.charCodeAt(i + 1);
    if (c === 0) return `null character not allowed @${i}`;
    if (c === 0x2f && last === 0x2f) return `empty node name specified @${i}`;
    if (c === 0x2e && last === 0x2e) {
      if (path.charCodeAt(i - 2) === 0x2f && next === 0x2f) return `relative paths not allowed @${i}`;
    } else if (c === 0x2e) {
      if (last === 0x2f && next === 0x2f) return `relative paths not allowed @${i}`;
    } else if (
      (c > 0x00 && c <= 0x1f) ||
      (c >= 0x7f && c <= 0x9f) ||
      (c >= 0xd800 && c <= 0xf8ff) ||
      (c >= 0xfff0 && c <= 0xffff)
    ) {
      return `invalid character @${i}`;
    }
  }
  return undefined;
}

/** ZooKeeper keeps the root under both "" and "/"; we key it as "/" only. */
export function nodeKey(path: string): string {
  return path === '' ? '/' : path;
}

/** The parent as the server computes it: everything before the last '/', the root for "/x". */
export function parentOf(path: string): string {
  return nodeKey(path.substring(0, path.lastIndexOf('/')));
}

export function childNameOf(path: string): string {
  return path.substring(path.lastIndexOf('/') + 1);
}

/** The paths ZooKeeper refuses to delete (DataTree.isSpecialPath). */
export function isSpecialPath(path: string): boolean {
  return path === '/' || path === '/zookeeper' || path === '/zookeeper/quota' || path === '/zookeeper/config';
}

/** String.format("%010d", n) for a Java int. */
export function sequenceSuffix(cversion: number): string {
  if (cversion >= 0) return String(cversion).padStart(10, '0');
  return '-' + String(-cversion).padStart(9, '0');
}

/** Paths under /zookeeper/ are outside the digest (ZooKeeper's ZOOKEEPER_NODE_SUBTREE rule). */
export function isInZookeeperSubtree(path: string): boolean {
  return path.startsWith('/zookeeper/');
}
