// The simulator's safety checks, fed every event that matters and run as the events happen: one
// established leader per epoch, agreement (every applied sequence is a prefix of one common
// sequence), no committed txn lost (every newly established leader's history holds them all), and
// primary order (each epoch's txns apply in their leader's order, gap-free, after earlier epochs).

import type { LogEntry, ServerId } from '../types';
import { counterOf, epochOf, formatZxid } from '../zxid';

export type InvariantKind = 'one-leader-per-epoch' | 'agreement' | 'no-lost-commit' | 'primary-order';
export type ViolationKind = InvariantKind | 'protocol-assertion' | 'liveness';
export const INVARIANT_KINDS: readonly InvariantKind[] = ['one-leader-per-epoch', 'agreement', 'no-lost-commit', 'primary-order'];

export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';
  constructor(
    readonly kind: ViolationKind,
    detail: string,
  ) {
    super(`${kind}: ${detail}`);
  }
}

export interface AppliedTxn {
  readonly zxid: bigint;
  readonly key: string;
}

export function payloadKey(payload: Uint8Array): string {
  let s = '';
  for (const b of payload) s += String.fromCharCode(b);
  return s;
}

export class InvariantChecker {
  private readonly leaderOfEpoch = new Map<number, ServerId>();
  private readonly common: AppliedTxn[] = [];
  private readonly proposed = new Map<bigint, string>();

  constructor(private readonly enabled: ReadonlySet<InvariantKind> = new Set(INVARIANT_KINDS)) {}

  get committedCount(): number {
    return this.common.length;
  }

  private fail(kind: InvariantKind, detail: string): void {
    if (this.enabled.has(kind)) throw new InvariantViolation(kind, detail);
  }

  /** A leader finished establishing its epoch (quorum acked NEWLEADER). */
  onEstablished(id: ServerId, epoch: number, history: { baseZxid: bigint; entries: readonly LogEntry[] }): void {
    const other = this.leaderOfEpoch.get(epoch);
    if (other !== undefined && other !== id) this.fail('one-leader-per-epoch', `servers ${other} and ${id} both established epoch ${epoch}`);
    this.leaderOfEpoch.set(epoch, id);
    const held = new Map<bigint, string>();
    for (const e of history.entries) held.set(e.zxid, payloadKey(e.payload));
    for (const txn of this.common) {
      if (txn.zxid <= history.baseZxid) continue;
      if (held.get(txn.zxid) !== txn.key) {
        this.fail('no-lost-commit', `leader ${id} of epoch ${epoch} lacks committed txn ${formatZxid(txn.zxid)} (${txn.key})`);
      }
    }
  }

  onProposed(id: ServerId, zxid: bigint, payload: Uint8Array): void {
    const key = payloadKey(payload);
    const before = this.proposed.get(zxid);
    if (before !== undefined && before !== key) {
      this.fail('one-leader-per-epoch', `zxid ${formatZxid(zxid)} proposed twice (${before}, then ${key} by ${id})`);
    }
    this.proposed.set(zxid, key);
  }

  /** Server `id` applied `txn` as the `index`-th txn of its state (0-based); `prev` is the one before. */
  onApplied(id: ServerId, index: number, txn: AppliedTxn, prev: AppliedTxn | undefined): void {
    const prevZxid = prev?.zxid ?? 0n;
    if (txn.zxid <= prevZxid) {
      this.fail('primary-order', `server ${id} applied ${formatZxid(txn.zxid)} after ${formatZxid(prevZxid)}`);
    } else {
      const expected = epochOf(txn.zxid) === epochOf(prevZxid) ? counterOf(prevZxid) + 1n : 1n;
      if (counterOf(txn.zxid) !== expected) {
        this.fail('primary-order', `server ${id} applied ${formatZxid(txn.zxid)} right after ${formatZxid(prevZxid)}: a txn of the epoch is missing`);
      }
    }
    const proposedKey = this.proposed.get(txn.zxid);
    if (proposedKey !== undefined && proposedKey !== txn.key) {
      this.fail('primary-order', `server ${id} applied ${formatZxid(txn.zxid)} as ${txn.key}, its leader proposed ${proposedKey}`);
    }
    this.checkAgreement(id, index, txn);
  }

  /** Server `id` replaced its state (restart from its snapshot, or a SNAP from the leader). */
  onStateReplaced(id: ServerId, txns: readonly AppliedTxn[]): void {
    for (let i = 0; i < txns.length; i++) this.checkAgreement(id, i, txns[i]);
  }

  private checkAgreement(id: ServerId, index: number, txn: AppliedTxn): void {
    if (index < this.common.length) {
      const c = this.common[index];
      if (c.zxid !== txn.zxid || c.key !== txn.key) {
        this.fail('agreement', `server ${id} applied ${formatZxid(txn.zxid)} (${txn.key}) as txn #${index}, others applied ${formatZxid(c.zxid)} (${c.key})`);
      }
    } else if (index === this.common.length) {
      this.common.push(txn);
    } else {
      this.fail('agreement', `server ${id} applied txn #${index} with only ${this.common.length} known`);
    }
  }
}
