// Helpers for the scripted conversation tests: a tiny in-memory network that carries messages in
// send order, answers storage at once (or when told), and writes every output as one readable line.

import { describeOutput } from './describe';
import type { Message } from './messages';
import { ZabPeer } from './peer';
import type { DurableState, Input, LogEntry, Output, PeerConfig, ServerId, TickLimits } from './types';

export const TEST_LIMITS: TickLimits = { initLimitTicks: 5, syncLimitTicks: 3, electionTimeoutTicks: 2, finalizeWaitTicks: 1 };

export function entry(epoch: number, counter: number, payload = `e${epoch}c${counter}`): LogEntry {
  return { zxid: (BigInt(epoch) << 32n) | BigInt(counter), payload: new TextEncoder().encode(payload) };
}

export function durable(acceptedEpoch: number, currentEpoch: number, log: LogEntry[] = [], snapshotZxid = 0n): DurableState {
  return { acceptedEpoch, currentEpoch, snapshotZxid, log };
}

interface Envelope {
  readonly from: ServerId;
  readonly to: ServerId;
  readonly message: Message;
}

/**
 * Servers wired together. Messages wait in one queue in send order until `deliver*` is called;
 * `persistEntries` is answered with `persisted` right away unless `manualPersist` is set.
 */
export class Ensemble {
  readonly peers = new Map<ServerId, ZabPeer>();
  readonly queue: Envelope[] = [];
  readonly transcript: string[] = [];
  readonly delivered = new Map<ServerId, string[]>();
  manualPersist = false;
  snapshotOf: (id: ServerId) => { zxid: bigint; bytes: Uint8Array } = () => ({ zxid: 0n, bytes: new Uint8Array() });
  private readonly unpersisted = new Map<ServerId, bigint[]>();

  constructor(
    readonly voters: ServerId[],
    readonly observers: ServerId[] = [],
    durables: Partial<Record<ServerId, DurableState>> = {},
    extra: Partial<PeerConfig> = {},
  ) {
    for (const id of [...voters, ...observers]) {
      this.peers.set(id, new ZabPeer({ myId: id, voters, observers, tickLimits: TEST_LIMITS, durable: durables[id] ?? durable(0, 0), ...extra }));
      this.delivered.set(id, []);
    }
  }

  peer(id: ServerId): ZabPeer {
    const p = this.peers.get(id);
    if (!p) throw new Error(`no server ${id}`);
    return p;
  }

  start(...ids: ServerId[]): string[] {
    const lines: string[] = [];
    for (const id of ids) lines.push(...this.handle(id, this.peer(id).start()));
    return lines;
  }

  step(id: ServerId, input: Input): string[] {
    return this.handle(id, this.peer(id).step(input));
  }

  tick(...ids: ServerId[]): string[] {
    return ids.flatMap((id) => this.step(id, { kind: 'tick' }));
  }

  /** A write at `id`; `origin` is the learner that forwarded it there. */
  propose(id: ServerId, payload: string, origin?: ServerId): string[] {
    return this.step(id, { kind: 'propose', payload: new TextEncoder().encode(payload), origin });
  }

  /** Make the oldest unpersisted batch of a server durable (manualPersist mode). */
  persist(id: ServerId): string[] {
    const batch = this.unpersisted.get(id)?.shift();
    if (batch === undefined) throw new Error(`nothing to persist at ${id}`);
    return this.step(id, { kind: 'persisted', zxid: batch });
  }

  /** Drop every queued message matching the filter (a lost message). */
  drop(filter: (e: Envelope) => boolean): void {
    for (let i = this.queue.length - 1; i >= 0; i--) if (filter(this.queue[i])) this.queue.splice(i, 1);
  }

  /** Deliver the oldest queued message (optionally the oldest between two servers). */
  deliverOne(from?: ServerId, to?: ServerId): string[] {
    const i = this.queue.findIndex((e) => (from === undefined || e.from === from) && (to === undefined || e.to === to));
    if (i < 0) throw new Error(`no message queued ${from ?? '*'} → ${to ?? '*'}`);
    const [e] = this.queue.splice(i, 1);
    return this.step(e.to, { kind: 'message', from: e.from, message: e.message });
  }

  /** Deliver queued messages in send order until none is left (or the step budget runs out). */
  deliverAll(budget = 10_000, filter: (e: Envelope) => boolean = () => true): string[] {
    const lines: string[] = [];
    for (let n = 0; n < budget; n++) {
      const i = this.queue.findIndex(filter);
      if (i < 0) return lines;
      const [e] = this.queue.splice(i, 1);
      lines.push(...this.step(e.to, { kind: 'message', from: e.from, message: e.message }));
    }
    throw new Error('deliverAll: budget exhausted');
  }

  private handle(id: ServerId, outputs: Output[]): string[] {
    const lines: string[] = [];
    const follow: Input[] = [];
    for (const o of outputs) {
      lines.push(describeOutput(id, o));
      if (o.kind === 'send') this.queue.push({ from: id, to: o.to, message: o.message });
      else if (o.kind === 'deliver') this.delivered.get(id)?.push(new TextDecoder().decode(o.payload));
      else if (o.kind === 'persistEntries') {
        const last = o.entries[o.entries.length - 1].zxid;
        if (this.manualPersist) {
          const q = this.unpersisted.get(id) ?? [];
          q.push(last);
          this.unpersisted.set(id, q);
        } else {
          follow.push({ kind: 'persisted', zxid: last });
        }
      } else if (o.kind === 'requestSnapshot') {
        const s = this.snapshotOf(id);
        follow.push({ kind: 'snapshot', zxid: s.zxid, bytes: s.bytes });
      }
    }
    this.transcript.push(...lines);
    for (const input of follow) lines.push(...this.step(id, input));
    return lines;
  }
}
