// Numbers and times as a person reads them.
export function formatTime(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms) || ms <= 0) return '—';
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function formatDuration(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '—';
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

export function formatAgo(ms: number | undefined | null, now = Date.now()): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms) || ms <= 0) return '—';
  return `${formatDuration(Math.max(0, now - ms))} ago`;
}

export function formatBytes(bytes: number | undefined | null): string {
  if (bytes === undefined || bytes === null || !Number.isFinite(bytes)) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function formatNumber(value: number | undefined | null, digits = 1): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '—';
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

/** ZooKeeper's permission bits (READ 1, WRITE 2, CREATE 4, DELETE 8, ADMIN 16) as "crwda" letters. */
export function permsToLetters(perms: number | string): string {
  if (typeof perms === 'string') return perms;
  return [
    [4, 'c'],
    [1, 'r'],
    [2, 'w'],
    [8, 'd'],
    [16, 'a'],
  ]
    .map(([bit, letter]) => ((perms & (bit as number)) !== 0 ? letter : '-'))
    .join('');
}

export function lettersToPerms(letters: string): number {
  const bits: Record<string, number> = { c: 4, r: 1, w: 2, d: 8, a: 16 };
  let perms = 0;
  for (const letter of letters.toLowerCase()) {
    if (letter === '-') continue;
    const bit = bits[letter];
    if (bit === undefined) throw new Error(`"${letter}" is not a permission: use c, r, w, d, a`);
    perms |= bit;
  }
  return perms;
}
