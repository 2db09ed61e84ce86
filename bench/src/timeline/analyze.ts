// Where a 3-server write spends its time: reads the servers' timelines (apps/coordinator/src/util/timeline.ts)
// and follows each write from the bytes arriving at the client's server, through the leader and both
// followers, to the reply. Every step is an offset from the request's arrival, as percentiles over the writes.

export interface TimelineEvent {
  ns: bigint;
  event: string;
  a: string;
  b: string;
  c: string;
}

export function parseTimeline(text: string): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const line of text.split('\n')) {
    const [ns, event, a = '', b = '', c = ''] = line.split(' ');
    if (ns === undefined || event === undefined || !/^\d+$/.test(ns)) continue;
    events.push({ ns: BigInt(ns), event, a, b, c });
  }
  return events;
}

export interface Step {
  server: string;
  event: string;
  /** Writes that reached this step. */
  writes: number;
  p10Us: number;
  p50Us: number;
  p90Us: number;
}

export interface WritePathProfile {
  writes: number;
  steps: Step[];
}

/** First time of each (event, zxid) on one server; `peer` narrows messages to one peer. */
class EventIndex {
  private readonly first = new Map<string, bigint>();

  constructor(events: readonly TimelineEvent[]) {
    for (const e of events) {
      // Messages name the peer then the zxid; local steps name the zxid first.
      const keys = e.event.startsWith('send-') || e.event.startsWith('recv-') ? [`${e.event} ${e.b}`, `${e.event} ${e.b} ${e.a}`] : [`${e.event} ${e.a}`];
      for (const key of keys) if (!this.first.has(key)) this.first.set(key, e.ns);
    }
  }

  at(event: string, zxid: string, peer?: string): bigint | undefined {
    return this.first.get(peer === undefined ? `${event} ${zxid}` : `${event} ${zxid} ${peer}`);
  }
}

const percentile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] as number;

/**
 * `servers` maps a name (the file it came from) to its events. The leader is the server that received
 * forwarded writes, the client's follower the one that read client bytes and forwarded them.
 */
export function profileWritePath(servers: ReadonlyMap<string, readonly TimelineEvent[]>): WritePathProfile {
  const named = [...servers.entries()];
  const leader = named.find(([, events]) => events.some((e) => e.event === 'recv-forward'));
  const client = named.find(([name, events]) => name !== leader?.[0] && events.some((e) => e.event === 'submit'));
  if (!leader || !client) throw new Error('no write went through a follower to a leader: is this a 3-server run with the timeline on?');
  const other = named.find(([name]) => name !== leader[0] && name !== client[0]);
  // The id the leader knows the client's follower by: the peer its forwards came from.
  const clientPeerId = leader[1].find((e) => e.event === 'recv-forward')?.c;
  const L = new EventIndex(leader[1]);
  const F = new EventIndex(client[1]);
  const O = other ? new EventIndex(other[1]) : undefined;

  const forwardedAt = new Map<string, bigint>();
  const proposed = new Map<string, { ns: bigint; zxid: string }>();
  for (const e of leader[1]) {
    if (e.event === 'recv-forward') forwardedAt.set(`${e.a}:${e.b}`, e.ns);
    else if (e.event === 'propose') proposed.set(`${e.a}:${e.b}`, { ns: e.ns, zxid: e.c });
  }

  const offsets = new Map<string, { server: string; event: string; us: number[] }>();
  const add = (server: string, event: string, ns: bigint | undefined, start: bigint): void => {
    if (ns === undefined) return;
    const key = `${server}: ${event}`;
    let step = offsets.get(key);
    if (!step) {
      step = { server, event, us: [] };
      offsets.set(key, step);
    }
    step.us.push(Number(ns - start) / 1000);
  };

  let writes = 0;
  let lastClientData: bigint | undefined;
  for (const e of client[1]) {
    if (e.event === 'client-data') {
      lastClientData = e.ns;
      continue;
    }
    if (e.event !== 'submit' || lastClientData === undefined) continue;
    const proposal = proposed.get(`${e.a}:${e.b}`);
    if (!proposal) continue;
    const z = proposal.zxid;
    const t0 = lastClientData;
    writes += 1;
    add("client's follower", 'client bytes read', t0, t0);
    add("client's follower", 'forwarded to the leader', e.ns, t0);
    add('leader', 'forward received', forwardedAt.get(`${e.a}:${e.b}`), t0);
    add('leader', 'proposed', proposal.ns, t0);
    add('leader', "PROPOSAL sent to the client's follower", L.at('send-proposal', z, clientPeerId), t0);
    add('leader', 'log flush started', L.at('flush-start', z), t0);
    add('leader', 'log flush done', L.at('flush-end', z), t0);
    for (const [server, index] of [["client's follower", F], ['other follower', O]] as const) {
      if (!index) continue;
      add(server, 'PROPOSAL received', index.at('recv-proposal', z), t0);
      add(server, 'log flush started', index.at('flush-start', z), t0);
      add(server, 'log flush done', index.at('flush-end', z), t0);
      add(server, 'ACK sent', index.at('send-ack', z), t0);
    }
    add('leader', 'first ACK received', L.at('recv-ack', z), t0);
    add('leader', "COMMIT sent to the client's follower", L.at('send-commit', z, clientPeerId), t0);
    add('leader', 'applied', L.at('deliver', z), t0);
    add("client's follower", 'COMMIT received', F.at('recv-commit', z), t0);
    add("client's follower", 'applied', F.at('deliver', z), t0);
    add("client's follower", 'reply written', F.at('reply', z), t0);
  }

  const steps = [...offsets.values()].map(({ server, event, us }): Step => {
    const sorted = us.sort((x, y) => x - y);
    return { server, event, writes: sorted.length, p10Us: percentile(sorted, 0.1), p50Us: percentile(sorted, 0.5), p90Us: percentile(sorted, 0.9) };
  });
  steps.sort((x, y) => x.p50Us - y.p50Us);
  return { writes, steps };
}

export function formatProfile(title: string, profile: WritePathProfile): string {
  const rows = [
    `#### ${title}: ${profile.writes} writes, offsets from the request's bytes being read (µs)`,
    '',
    '| server | step | p10 | p50 | p90 | p50 − previous p50 |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  let previous = 0;
  for (const step of profile.steps) {
    rows.push(`| ${step.server} | ${step.event} | ${step.p10Us.toFixed(0)} | ${step.p50Us.toFixed(0)} | ${step.p90Us.toFixed(0)} | ${(step.p50Us - previous).toFixed(0)} |`);
    previous = step.p50Us;
  }
  return rows.join('\n');
}
