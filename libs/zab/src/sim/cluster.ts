// The deterministic cluster simulator: a whole ensemble of ZabPeers in one process, on a seeded
// network (per-link delay, loss, reordering across links, FIFO within a link, partitions that heal),
// with crashes and restarts that keep only what storage made durable, client writes at random
// servers, and the invariant checker run on every event. One seed decides everything.

import { AssertionError } from '../assert';
import { decodeMessage, encodeMessage } from '../codec';
import type { Message } from '../messages';
import { ZabPeer } from '../peer';
import type { Input, LogEntry, Output, ServerId, TickLimits } from '../types';
import { formatZxid } from '../zxid';
import { describeMessage } from '../describe';
import { EventHeap } from './heap';
import { type AppliedTxn, INVARIANT_KINDS, InvariantChecker, InvariantViolation, payloadKey } from './invariants';
import { DEFAULT_TICK_LIMITS, FAULT_PROFILES, type FaultRates, type SimOptions, type SimResult } from './options';
import { Prng } from './prng';

export type { FaultRates, SimOptions, SimResult } from './options';
export { FAULT_PROFILES } from './options';
import { decodeApplied, encodeApplied } from './snapshot-bytes';

export const TICK_UNITS = 10;

interface Durable {
  acceptedEpoch: number;
  currentEpoch: number;
  snapshot: { zxid: bigint; txns: AppliedTxn[] };
  log: LogEntry[];
}

interface Server {
  readonly id: ServerId;
  peer: ZabPeer | null;
  incarnation: number;
  durable: Durable;
  /** persistEntries batches not yet durable, in order. */
  pending: LogEntry[][];
  persistDoneAt: number;
  applied: AppliedTxn[];
  serving: boolean;
  role: string;
}

type Event =
  | { time: number; seq: number; k: 'tick'; id: ServerId }
  | { time: number; seq: number; k: 'msg'; from: ServerId; to: ServerId; inc: number; message: Message }
  | { time: number; seq: number; k: 'persist'; id: ServerId; inc: number }
  | { time: number; seq: number; k: 'input'; id: ServerId; inc: number; input: Input }
  | { time: number; seq: number; k: 'world' }
  | { time: number; seq: number; k: 'restart'; id: ServerId }
  | { time: number; seq: number; k: 'heal' };

type EventBody = Event extends infer E ? (E extends Event ? Omit<E, 'time' | 'seq'> : never) : never;

export function simulate(options: SimOptions): SimResult {
  return new Simulation(options).run();
}

/** How to replay one seed from the command line. */
export function replayHint(seed: number, options: Omit<SimOptions, 'seed'> = {}): string {
  const env = [`ZAB_SEED=${seed}`];
  if (options.disconnectNotices) env.push('ZAB_DISCONNECTS=1');
  if (options.peerLimits?.zxidCounterMax !== undefined) env.push(`ZAB_COUNTER_MAX=${options.peerLimits.zxidCounterMax}`);
  if (options.checkLiveness === false) env.push('ZAB_NO_LIVENESS=1');
  return `${env.join(' ')} npx vitest run libs/zab -t replay`;
}

export class Simulation {
  private readonly rng: Prng;
  private readonly servers: Server[] = [];
  private readonly voterIds: ServerId[];
  private readonly observerIds: ServerId[];
  private readonly heap = new EventHeap<Event>();
  private readonly checker: InvariantChecker;
  private readonly limits: TickLimits;
  private readonly faults: FaultRates;
  private readonly profile: string;
  private readonly faultTicks: number;
  private readonly livenessBoundTicks: number;
  private readonly trace: string[] = [];
  private readonly traceLimit: number;
  private readonly links = new Map<string, number>();
  private group: number[] | null = null;
  private now = 0;
  private seq = 0;
  private messages = 0;
  private payloadCounter = 0;
  private faultsOver = false;
  private probes = new Map<string, Set<ServerId>>();
  private livenessAt: number | null = null;

  constructor(private readonly options: SimOptions) {
    this.rng = new Prng(options.seed);
    const voters = options.voters ?? this.rng.int(3, 5);
    const observers = options.observers ?? this.rng.int(0, Math.min(2, 7 - voters));
    this.voterIds = Array.from({ length: voters }, (_, i) => i + 1);
    this.observerIds = Array.from({ length: observers }, (_, i) => voters + i + 1);
    this.checker = new InvariantChecker(new Set(options.checks ?? INVARIANT_KINDS));
    this.limits = options.tickLimits ?? DEFAULT_TICK_LIMITS;
    const profile = this.rng.pick(Object.keys(FAULT_PROFILES));
    this.profile = profile;
    this.faults = { ...FAULT_PROFILES[profile], ...options.faults };
    this.faultTicks = options.faultTicks ?? 40;
    this.livenessBoundTicks = options.livenessBoundTicks ?? 150;
    this.traceLimit = options.traceLimit ?? 200;
  }

  run(): SimResult {
    let violation: SimResult['violation'] = null;
    try {
      for (const id of [...this.voterIds, ...this.observerIds]) {
        const server: Server = {
          id,
          peer: null,
          incarnation: 0,
          durable: { acceptedEpoch: 0, currentEpoch: 0, snapshot: { zxid: 0n, txns: [] }, log: [] },
          pending: [],
          persistDoneAt: 0,
          applied: [],
          serving: false,
          role: 'down',
        };
        this.servers.push(server);
      }
      for (const server of this.servers) {
        this.boot(server);
        this.schedule(this.rng.int(0, TICK_UNITS - 1), { k: 'tick', id: server.id });
      }
      this.schedule(TICK_UNITS / 2, { k: 'world' });
      const endTime = (this.faultTicks + this.livenessBoundTicks) * TICK_UNITS;
      for (;;) {
        const ev = this.heap.pop();
        if (!ev) break;
        this.now = ev.time;
        if (this.livenessAt !== null) break;
        if (this.now > endTime) {
          if (this.options.checkLiveness !== false) {
            throw new InvariantViolation('liveness', `no write delivered by every server within ${this.livenessBoundTicks} ticks after faults stopped`);
          }
          break;
        }
        this.handle(ev);
      }
    } catch (e) {
      if (e instanceof InvariantViolation) violation = { kind: e.kind, message: e.message };
      else if (e instanceof AssertionError) violation = { kind: 'protocol-assertion', message: e.message };
      else throw e;
      this.log(`VIOLATION ${violation.message}`);
    }
    return {
      seed: this.options.seed,
      ok: violation === null,
      violation,
      voters: this.voterIds.length,
      observers: this.observerIds.length,
      profile: this.profile,
      ticks: Math.floor(this.now / TICK_UNITS),
      committed: this.checker.committedCount,
      messages: this.messages,
      livenessTicks: this.livenessAt === null ? null : this.livenessAt - this.faultTicks,
      trace: this.trace,
    };
  }

  private schedule(delay: number, body: EventBody): void {
    this.heap.push({ ...body, time: this.now + delay, seq: this.seq++ } as Event);
  }

  private log(line: string): void {
    if (this.traceLimit <= 0) return;
    this.trace.push(`t=${this.now} ${line}`);
    if (this.trace.length > this.traceLimit) this.trace.shift();
  }

  private server(id: ServerId): Server {
    return this.servers[id - 1];
  }

  private boot(s: Server): void {
    s.incarnation += 1;
    s.pending = [];
    s.persistDoneAt = this.now;
    s.applied = [...s.durable.snapshot.txns];
    s.serving = false;
    s.role = 'looking';
    this.checker.onStateReplaced(s.id, s.applied);
    s.peer = new ZabPeer({
      myId: s.id,
      voters: this.voterIds,
      observers: this.observerIds,
      tickLimits: this.limits,
      durable: {
        acceptedEpoch: s.durable.acceptedEpoch,
        currentEpoch: s.durable.currentEpoch,
        snapshotZxid: s.durable.snapshot.zxid,
        log: [...s.durable.log],
      },
      mutations: this.options.mutations,
      limits: this.options.peerLimits,
    });
    this.log(`${s.id} boots (incarnation ${s.incarnation}, log to ${formatZxid(s.peer.status().lastLoggedZxid)})`);
    this.apply(s, s.peer.start());
  }

  private handle(ev: Event): void {
    switch (ev.k) {
      case 'tick': {
        this.schedule(TICK_UNITS, { k: 'tick', id: ev.id });
        const s = this.server(ev.id);
        if (s.peer) this.apply(s, s.peer.step({ kind: 'tick' }));
        return;
      }
      case 'msg': {
        const s = this.server(ev.to);
        if (!s.peer || s.incarnation !== ev.inc || this.cut(ev.from, ev.to)) return;
        if (this.options.traceMessages) this.log(`${ev.from} → ${ev.to}: ${describeMessage(ev.message)}`);
        this.apply(s, s.peer.step({ kind: 'message', from: ev.from, message: ev.message }));
        return;
      }
      case 'persist': {
        const s = this.server(ev.id);
        if (!s.peer || s.incarnation !== ev.inc) return;
        const batch = s.pending.shift();
        if (!batch || batch.length === 0) return;
        s.durable.log.push(...batch);
        this.apply(s, s.peer.step({ kind: 'persisted', zxid: batch[batch.length - 1].zxid }));
        return;
      }
      case 'input': {
        const s = this.server(ev.id);
        if (!s.peer || s.incarnation !== ev.inc) return;
        this.apply(s, s.peer.step(ev.input));
        return;
      }
      case 'restart': {
        const s = this.server(ev.id);
        if (!s.peer) this.boot(s);
        return;
      }
      case 'heal':
        this.group = null;
        this.log('network heals');
        return;
      case 'world':
        this.schedule(TICK_UNITS, { k: 'world' });
        return this.world();
    }
  }

  /** Once a tick: faults, client writes, compaction, the liveness probe. */
  private world(): void {
    const tick = Math.floor(this.now / TICK_UNITS);
    if (tick < this.faultTicks) {
      this.injectFaults();
    } else if (!this.faultsOver) {
      this.faultsOver = true;
      this.group = null;
      for (const s of this.servers) if (!s.peer) this.boot(s);
      this.log('faults stop: network healed, every server up');
    }
    if (this.rng.chance(this.faults.proposePerTick)) this.clientWrite(this.rng.pick(this.servers), false);
    if (this.faultsOver) {
      const leader = this.servers.find((s) => s.peer && s.role === 'leading' && s.serving);
      if (leader) this.clientWrite(leader, true);
    }
    if (this.rng.chance(this.faults.compactPerTick)) this.compact(this.rng.pick(this.servers));
  }

  private injectFaults(): void {
    const live = this.servers.filter((s) => s.peer);
    if (live.length > 0 && this.rng.chance(this.faults.crashPerTick)) {
      const s = this.rng.pick(live);
      s.peer = null;
      s.pending = [];
      s.serving = false;
      s.role = 'down';
      this.log(`${s.id} crashes (durable log to ${formatZxid(s.durable.log.at(-1)?.zxid ?? s.durable.snapshot.zxid)})`);
      if (this.options.disconnectNotices) {
        for (const other of this.servers) {
          if (other === s || !other.peer || this.cut(s.id, other.id)) continue;
          const input: Input = { kind: 'disconnected', peer: s.id };
          this.schedule(this.rng.int(1, 2 * TICK_UNITS), { k: 'input', id: other.id, inc: other.incarnation, input });
        }
      }
      this.schedule(this.rng.int(2, 25) * TICK_UNITS, { k: 'restart', id: s.id });
    }
    if (this.group === null && this.rng.chance(this.faults.partitionPerTick)) {
      this.group = this.servers.map(() => (this.rng.chance(0.5) ? 1 : 0));
      this.log(`network splits: ${this.servers.filter((_, i) => this.group?.[i] === 1).map((s) => s.id)} | ${this.servers.filter((_, i) => this.group?.[i] === 0).map((s) => s.id)}`);
      this.schedule(this.rng.int(3, 30) * TICK_UNITS, { k: 'heal' });
    }
  }

  private clientWrite(at: Server, probe: boolean): void {
    if (!at.peer) return;
    const key = `${probe ? 'probe' : 'w'}${++this.payloadCounter}`;
    const payload = new TextEncoder().encode(key);
    if (at.role === 'leading') {
      this.apply(at, at.peer.step({ kind: 'propose', payload }));
      return;
    }
    // A follower forwards the write to the leader it knows of; without one the write is dropped.
    const leader = this.servers.find((s) => s.peer && s.role === 'leading' && s.serving);
    if (!leader || this.cut(at.id, leader.id)) return;
    this.schedule(this.rng.int(1, 8), { k: 'input', id: leader.id, inc: leader.incarnation, input: { kind: 'propose', payload } });
  }

  private compact(s: Server): void {
    if (!s.peer) return;
    const zxid = s.peer.status().deliveredZxid;
    if (zxid <= s.durable.snapshot.zxid) return;
    s.durable.snapshot = { zxid, txns: [...s.applied] };
    s.durable.log = s.durable.log.filter((e) => e.zxid > zxid);
    s.pending = s.pending.map((batch) => batch.filter((e) => e.zxid > zxid));
    this.log(`${s.id} snapshots at ${formatZxid(zxid)}`);
    this.apply(s, s.peer.step({ kind: 'compacted', zxid }));
  }

  private cut(a: ServerId, b: ServerId): boolean {
    return this.group !== null && this.group[a - 1] !== this.group[b - 1];
  }

  private send(from: Server, to: ServerId, message: Message): void {
    this.messages += 1;
    if (!this.faultsOver && this.rng.chance(this.faults.lossRate)) return;
    if (this.cut(from.id, to)) return;
    const dest = this.server(to);
    const linkKey = `${from.id}>${to}`;
    const slow = this.rng.chance(0.05);
    const delay = slow ? this.rng.int(8, 40) : this.rng.int(1, 6);
    const arrival = Math.max(this.now + delay, this.links.get(linkKey) ?? 0);
    this.links.set(linkKey, arrival);
    const carried = this.options.roundTripCodec === false ? message : decodeMessage(encodeMessage(message));
    this.schedule(arrival - this.now, { k: 'msg', from: from.id, to, inc: dest.incarnation, message: carried });
  }

  /** Carry out a peer's outputs, in order, as a driver must. */
  private apply(s: Server, outputs: Output[]): void {
    for (const o of outputs) {
      if (!s.peer) return;
      switch (o.kind) {
        case 'send':
          this.send(s, o.to, o.message);
          break;
        case 'persistEntries': {
          s.pending.push([...o.entries]);
          s.persistDoneAt = Math.max(this.now + this.rng.int(0, 6), s.persistDoneAt);
          this.schedule(s.persistDoneAt - this.now, { k: 'persist', id: s.id, inc: s.incarnation });
          break;
        }
        case 'persistEpochs':
          s.durable.acceptedEpoch = o.acceptedEpoch;
          s.durable.currentEpoch = o.currentEpoch;
          break;
        case 'truncateLog':
          s.durable.log = s.durable.log.filter((e) => e.zxid <= o.afterZxid);
          s.pending = s.pending.map((batch) => batch.filter((e) => e.zxid <= o.afterZxid));
          this.log(`${s.id} truncates its log after ${formatZxid(o.afterZxid)}`);
          break;
        case 'installSnapshot': {
          const txns = decodeApplied(o.bytes);
          s.durable.snapshot = { zxid: o.zxid, txns };
          s.durable.log = [];
          s.pending = s.pending.map(() => []);
          s.applied = [...txns];
          this.log(`${s.id} installs a snapshot at ${formatZxid(o.zxid)} (${txns.length} txns)`);
          this.checker.onStateReplaced(s.id, s.applied);
          break;
        }
        case 'deliver': {
          const txn: AppliedTxn = { zxid: o.zxid, key: payloadKey(o.payload) };
          const index = s.applied.length;
          this.checker.onApplied(s.id, index, txn, s.applied[index - 1]);
          s.applied.push(txn);
          this.onProbeDelivered(s, txn);
          break;
        }
        case 'requestSnapshot': {
          const zxid = s.peer.status().deliveredZxid;
          this.schedule(0, { k: 'input', id: s.id, inc: s.incarnation, input: { kind: 'snapshot', zxid, bytes: encodeApplied(s.applied) } });
          break;
        }
        case 'proposed':
          this.checker.onProposed(s.id, o.zxid, s.peer.history().entries.at(-1)?.payload ?? new Uint8Array());
          break;
        case 'proposeRefused':
          break;
        case 'roleChanged': {
          s.role = o.role;
          s.serving = o.serving;
          this.log(`${s.id} is ${o.role}${o.serving ? ' (serving)' : ''} leader=${o.leaderId} epoch=${o.epoch}${o.reason ? ` — ${o.reason}` : ''}`);
          if (o.role === 'leading' && o.serving) this.checker.onEstablished(s.id, o.epoch, s.peer.history());
          break;
        }
      }
    }
  }

  private onProbeDelivered(s: Server, txn: AppliedTxn): void {
    if (!this.faultsOver || !txn.key.startsWith('probe')) return;
    let seen = this.probes.get(txn.key);
    if (!seen) this.probes.set(txn.key, (seen = new Set()));
    seen.add(s.id);
    if (seen.size === this.servers.length && this.livenessAt === null) this.livenessAt = Math.ceil(this.now / TICK_UNITS);
  }
}
