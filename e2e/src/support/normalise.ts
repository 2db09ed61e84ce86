// Turns a raw transcript into text that is equal for two correct servers: zxids become Z1, Z2… in order of
// first appearance (and their numeric order is appended), times become "the time of txn Zn" after a
// consistency check, session ids become S1, S2…, children lists are sorted.

export interface Entry {
  label: string;
  value: unknown;
}

const ZXID_KEYS = new Set(['czxid', 'mzxid', 'pzxid', 'zxid']);
const SESSION_KEYS = new Set(['ephemeralOwner', 'sessionId', 'owner']);
const TIME_OF_ZXID: Record<string, string> = { ctime: 'czxid', mtime: 'mzxid' };
/** Times must fall in the scenario's run, give or take this (clock granularity, slow start-up). */
const TIME_SLACK_MS = 5_000n;

export interface NormaliseContext {
  /** Session ids of the scenario's clients in the order they connected: they become S1, S2… */
  sessionIds: bigint[];
  startedAtMs: number;
  endedAtMs: number;
}

export function normaliseTranscript(entries: Entry[], context: NormaliseContext): string[] {
  const zxidLabels = new Map<bigint, string>();
  const sessionLabels = new Map<bigint, string>();
  for (const id of context.sessionIds) if (!sessionLabels.has(id)) sessionLabels.set(id, `S${sessionLabels.size + 1}`);
  const timeOfZxid = new Map<string, bigint>();
  const problems: string[] = [];
  const start = BigInt(context.startedAtMs) - TIME_SLACK_MS;
  const end = BigInt(context.endedAtMs) + TIME_SLACK_MS;

  const zxid = (value: bigint): string => {
    if (value === 0n) return '0';
    let label = zxidLabels.get(value);
    if (label === undefined) {
      label = `Z${zxidLabels.size + 1}`;
      zxidLabels.set(value, label);
    }
    return label;
  };
  const session = (value: bigint): string => {
    if (value === 0n) return '0';
    // Containers and TTL nodes carry a marker, not a session, in ephemeralOwner (EphemeralType): show its bits.
    if (value < 0n) return `0x${BigInt.asUintN(64, value).toString(16)}`;
    let label = sessionLabels.get(value);
    if (label === undefined) {
      label = `S?${sessionLabels.size + 1}`;
      sessionLabels.set(value, label);
    }
    return label;
  };
  const time = (value: bigint, zxidLabel: string | undefined, where: string): string => {
    if (value === 0n) return '0';
    if (value < start || value > end) {
      problems.push(`${where}: time ${value} outside the scenario's run`);
      return 'T?';
    }
    if (zxidLabel === undefined || zxidLabel === '0') return 'T';
    const seen = timeOfZxid.get(zxidLabel);
    if (seen === undefined) timeOfZxid.set(zxidLabel, value);
    else if (seen !== value) problems.push(`${where}: txn ${zxidLabel} has two times (${seen} and ${value})`);
    return `T(${zxidLabel})`;
  };

  const walk = (value: unknown, key: string | undefined, where: string): unknown => {
    if (typeof value === 'bigint') {
      if (key !== undefined && ZXID_KEYS.has(key)) return zxid(value);
      if (key !== undefined && SESSION_KEYS.has(key)) return session(value);
      return value.toString();
    }
    if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `<${value.length} bytes>`;
    if (Array.isArray(value)) {
      const items = value.map((item, index) => walk(item, undefined, `${where}[${index}]`));
      if (key === 'children' && items.every((item) => typeof item === 'string')) return [...(items as string[])].sort();
      return items;
    }
    if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      // zxids first, so a stat's times can name the txn they belong to.
      for (const [name, field] of Object.entries(record)) {
        if (!(name in TIME_OF_ZXID)) out[name] = walk(field, name, `${where}.${name}`);
      }
      for (const [name, field] of Object.entries(record)) {
        if (!(name in TIME_OF_ZXID)) continue;
        const zxidField = record[TIME_OF_ZXID[name] as string];
        const zxidLabel = typeof zxidField === 'bigint' ? zxid(zxidField) : undefined;
        out[name] = typeof field === 'bigint' ? time(field, zxidLabel, `${where}.${name}`) : walk(field, name, `${where}.${name}`);
      }
      // Keep the recorded key order, with the time fields back in their places.
      const ordered = Object.fromEntries(Object.keys(record).map((name) => [name, out[name]]));
      return isStat(ordered) ? statLine(ordered) : ordered;
    }
    return value;
  };

  const lines = entries.map((entry) => `${entry.label} → ${render(walk(entry.value, undefined, entry.label))}`);
  if (zxidLabels.size > 1) {
    const ordered = [...zxidLabels.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, label]) => label);
    lines.push(`zxid order: ${ordered.join(' < ')}`);
  }
  for (const problem of problems) lines.push(`!! ${problem}`);
  return lines;
}

const STAT_FIELDS = ['czxid', 'mzxid', 'ctime', 'mtime', 'version', 'cversion', 'aversion', 'ephemeralOwner', 'dataLength', 'numChildren', 'pzxid'];

function isStat(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === STAT_FIELDS.length && STAT_FIELDS.every((field) => keys.includes(field));
}

/** A Stat on one line, fields in the jute record's order, so a diff points at the op whose Stat differs. */
function statLine(stat: Record<string, unknown>): string {
  return `Stat{${STAT_FIELDS.map((field) => `${field}=${String(stat[field])}`).join(' ')}}`;
}

/** One line when short, indented JSON when long, so a diff points at the field that differs. */
function render(value: unknown): string {
  const flat = JSON.stringify(value);
  if (flat === undefined) return 'undefined';
  if (flat.length <= 200) return flat;
  return JSON.stringify(value, null, 2);
}
