// Test support: terse builders for hand-made histories, and a generator of histories that are correct by
// construction (a real sequential execution, each operation's instant inside its recorded interval).

import type { CasOp, ReadOp, RegisterOp, RegisterState, WriteOp } from './types';

export const KEY = '/r';

export function write(clientId: string, invokeMs: number, completeMs: number, value: string, version?: number, key = KEY): WriteOp {
  return { kind: 'write', clientId, key, invokeMs, completeMs, value, result: { status: 'ok', version } };
}

export function cas(
  clientId: string,
  invokeMs: number,
  completeMs: number,
  value: string,
  expectedVersion: number,
  result: CasOp['result'],
  key = KEY,
): CasOp {
  return { kind: 'cas', clientId, key, invokeMs, completeMs, value, expectedVersion, result };
}

export function read(clientId: string, invokeMs: number, completeMs: number, value: string, version: number, key = KEY): ReadOp {
  return { kind: 'read', clientId, key, invokeMs, completeMs, result: { status: 'ok', value, version } };
}

/** An operation whose outcome the client never learnt; `gaveUpMs` is when it stopped waiting. */
export function unknown<T extends RegisterOp>(op: T, gaveUpMs = op.completeMs): T {
  return { ...op, completeMs: gaveUpMs, result: { status: 'unknown' } };
}

/** One planned operation, before the execution decides its result. */
export interface PlannedOp {
  readonly clientId: string;
  readonly key: string;
  readonly kind: 'write' | 'cas' | 'read';
  readonly invokeMs: number;
  readonly completeMs: number;
  /** When it takes effect; inside [invokeMs, completeMs], or later for an unknown outcome. */
  readonly effectMs: number;
  /** A CAS expects the current version plus this (so 0 succeeds). */
  readonly casOffset: number;
  readonly fate: 'recorded' | 'unknown-applied' | 'unknown-dropped';
  readonly reportsVersion: boolean;
}

/** Runs the plans one at a time in order of their effect and records what each client would have seen. */
export function executeSequentially(plans: readonly PlannedOp[], initial: RegisterState = { value: '', version: 0 }): RegisterOp[] {
  const registers = new Map<string, RegisterState>();
  const order = plans.map((plan, index) => ({ plan, index })).sort((a, b) => a.plan.effectMs - b.plan.effectMs || a.index - b.index);
  const recorded: RegisterOp[] = new Array<RegisterOp>(plans.length);
  for (const { plan, index } of order) {
    const state = registers.get(plan.key) ?? initial;
    const timing = { clientId: plan.clientId, key: plan.key, invokeMs: plan.invokeMs, completeMs: plan.completeMs };
    const value = `${plan.clientId}#${index}`;
    const applies = plan.fate !== 'unknown-dropped';
    const known = plan.fate === 'recorded';
    const next = { value, version: state.version + 1 };
    if (plan.kind === 'read') {
      recorded[index] = { ...timing, kind: 'read', result: known ? { status: 'ok', ...state } : { status: 'unknown' } };
    } else if (plan.kind === 'write') {
      if (applies) registers.set(plan.key, next);
      const version = plan.reportsVersion ? next.version : undefined;
      recorded[index] = { ...timing, kind: 'write', value, result: known ? { status: 'ok', version } : { status: 'unknown' } };
    } else {
      const expectedVersion = Math.max(0, state.version + plan.casOffset);
      const succeeds = expectedVersion === state.version;
      if (applies && succeeds) registers.set(plan.key, next);
      const version = plan.reportsVersion ? next.version : undefined;
      const result: CasOp['result'] = !known ? { status: 'unknown' } : succeeds ? { status: 'ok', version } : { status: 'fail' };
      recorded[index] = { ...timing, kind: 'cas', value, expectedVersion, result };
    }
  }
  return recorded;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so that a big test history is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Clients each issuing operations one after another, with random gaps and durations. */
export function plannedWorkload(options: { seed: number; clients: number; opsPerClient: number; keys: readonly string[]; unknownRate: number }): PlannedOp[] {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const plans: PlannedOp[] = [];
  for (let c = 0; c < options.clients; c++) {
    let nowMs = 0;
    for (let i = 0; i < options.opsPerClient; i++) {
      const invokeMs = nowMs + Math.floor(random() * 5);
      const completeMs = invokeMs + 1 + Math.floor(random() * 20);
      const isUnknown = random() < options.unknownRate;
      const spanMs = (completeMs - invokeMs) * (isUnknown ? 3 : 1);
      plans.push({
        clientId: `c${c}`,
        key: pick(options.keys),
        kind: pick(['write', 'cas', 'read', 'read'] as const),
        invokeMs,
        completeMs,
        effectMs: invokeMs + Math.floor(random() * (spanMs + 1)),
        casOffset: pick([-1, 0, 0, 1]),
        fate: isUnknown ? pick(['unknown-applied', 'unknown-dropped'] as const) : 'recorded',
        reportsVersion: random() < 0.5,
      });
      nowMs = completeMs;
    }
  }
  return plans;
}
