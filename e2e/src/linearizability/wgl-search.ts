// The search for a linearization of one concurrent history against a sequential model: Wing & Gong's
// algorithm with Lowe's memo of (linearized-set, model state), the approach of Porcupine and Knossos.
// Generic over the model; pure; bounded by a step budget.

import { assert } from './assert';
import { Bitset } from './bitset';

export interface SequentialModel<State, Action> {
  /** The state after `action` at one instant, or undefined if the action cannot happen in `state`. */
  step(state: State, action: Action): State | undefined;
  /** Equal for equal states, different otherwise: the memo compares states through it. */
  stateKey(state: State): string;
}

export interface SearchOp<Action> {
  readonly action: Action;
  readonly invokeMs: number;
  /** Ignored when `optional`. */
  readonly completeMs: number;
  /**
   * An operation that may take effect at any point after its invocation, or not at all: it has no
   * completion event, so it never blocks the search, and a linearization may leave it out.
   */
  readonly optional: boolean;
}

export type SearchOutcome =
  | { readonly kind: 'linearizable'; readonly steps: number }
  | { readonly kind: 'not-linearizable'; readonly steps: number }
  | { readonly kind: 'budget-exceeded'; readonly steps: number };

/** A way a linearization can end: the state, and which optional operations it took in. */
export interface FinalState<State> {
  readonly state: State;
  readonly optionalLinearized: readonly number[];
}

export type FinalStatesOutcome<State> =
  | { readonly kind: 'complete'; readonly finals: FinalState<State>[]; readonly steps: number }
  | { readonly kind: 'budget-exceeded'; readonly steps: number };

/** Is there a linearization of `ops` starting from `initial`? */
export function findLinearization<State, Action>(
  ops: readonly SearchOp<Action>[],
  initial: State,
  model: SequentialModel<State, Action>,
  stepsMax: number,
): SearchOutcome {
  const run = explore(ops, initial, model, stepsMax, () => 'stop');
  if (run.kind === 'budget-exceeded') return run;
  return { kind: run.stopped ? 'linearizable' : 'not-linearizable', steps: run.steps };
}

/**
 * Every way a linearization of `ops` from `initial` can end (none if there is no linearization): each
 * end state with the optional operations taken in, so that a caller continuing from it does not take
 * them again.
 */
export function collectFinalStates<State, Action>(
  ops: readonly SearchOp<Action>[],
  initial: State,
  model: SequentialModel<State, Action>,
  stepsMax: number,
): FinalStatesOutcome<State> {
  const finals = new Map<string, FinalState<State>>();
  const run = explore(ops, initial, model, stepsMax, (state, linearized) => {
    const optionalLinearized = ops.flatMap((op, k) => (op.optional && linearized.has(k) ? [k] : []));
    finals.set(`${model.stateKey(state)}|${optionalLinearized.join(',')}`, { state, optionalLinearized });
    return 'continue';
  });
  if (run.kind === 'budget-exceeded') return run;
  return { kind: 'complete', finals: [...finals.values()], steps: run.steps };
}

const NIL = -1;

/**
 * The history as a doubly linked list of events in time order: node 2k is the invocation of op k,
 * node 2k+1 its completion (absent for optional ops). Linearizing op k unlinks both; undoing it relinks
 * them in reverse order, which restores the list exactly because undos happen in LIFO order.
 */
class EventList {
  readonly head: number;
  readonly next: Int32Array;
  private readonly prev: Int32Array;

  constructor(ops: readonly SearchOp<unknown>[]) {
    const events: { node: number; timeMs: number }[] = [];
    ops.forEach((op, k) => {
      assert(Number.isFinite(op.invokeMs), `op ${k}: invocation time must be finite`);
      events.push({ node: 2 * k, timeMs: op.invokeMs });
      if (op.optional) return;
      assert(op.completeMs >= op.invokeMs, `op ${k}: completes before it is invoked`);
      events.push({ node: 2 * k + 1, timeMs: op.completeMs });
    });
    // At equal times, invocations go before completions: operations that touch at an instant count as
    // concurrent, so clock granularity can only make the checker more lenient, never raise a false alarm.
    events.sort((a, b) => a.timeMs - b.timeMs || (a.node & 1) - (b.node & 1) || a.node - b.node);
    this.head = 2 * ops.length;
    this.next = new Int32Array(this.head + 1).fill(NIL);
    this.prev = new Int32Array(this.head + 1).fill(NIL);
    let last = this.head;
    for (const { node } of events) {
      this.next[last] = node;
      this.prev[node] = last;
      last = node;
    }
  }

  first(): number {
    return this.next[this.head];
  }

  lift(k: number, optional: boolean): void {
    this.unlink(2 * k);
    if (!optional) this.unlink(2 * k + 1);
  }

  unlift(k: number, optional: boolean): void {
    if (!optional) this.relink(2 * k + 1);
    this.relink(2 * k);
  }

  private unlink(node: number): void {
    this.next[this.prev[node]] = this.next[node];
    if (this.next[node] !== NIL) this.prev[this.next[node]] = this.prev[node];
  }

  private relink(node: number): void {
    this.next[this.prev[node]] = node;
    if (this.next[node] !== NIL) this.prev[this.next[node]] = node;
  }
}

/** Configurations already explored: nothing new can be found by reaching one again. */
class Memo {
  private readonly buckets = new Map<number, { words: Uint32Array; stateId: number }[]>();

  /** True if (linearized, stateId) was not there before. */
  add(linearized: Bitset, stateId: number): boolean {
    const hash = (linearized.hash() ^ Math.imul(stateId + 1, 0x27d4eb2d)) | 0;
    const bucket = this.buckets.get(hash);
    if (bucket === undefined) {
      this.buckets.set(hash, [{ words: linearized.snapshot(), stateId }]);
      return true;
    }
    if (bucket.some((e) => e.stateId === stateId && linearized.equalsWords(e.words))) return false;
    bucket.push({ words: linearized.snapshot(), stateId });
    return true;
  }
}

type ExploreRun = { kind: 'done'; stopped: boolean; steps: number } | { kind: 'budget-exceeded'; steps: number };

/**
 * Depth-first search over linearizations. From the head of the event list, try each invocation in turn
 * (only operations invoked before the first remaining completion are candidates); reaching a completion
 * means the operations linearized so far leave no way forward, so undo the last choice and try the next.
 * `onComplete` sees the state whenever every non-optional operation is linearized (and, since optional
 * ones may follow, possibly again after each further optional one).
 */
function explore<State, Action>(
  ops: readonly SearchOp<Action>[],
  initial: State,
  model: SequentialModel<State, Action>,
  stepsMax: number,
  onComplete: (state: State, linearized: Bitset) => 'stop' | 'continue',
): ExploreRun {
  const list = new EventList(ops);
  const linearized = new Bitset(ops.length);
  const memo = new Memo();
  const stateIds = new Map<string, number>();
  const internState = (state: State): number => {
    const key = model.stateKey(state);
    let id = stateIds.get(key);
    if (id === undefined) stateIds.set(key, (id = stateIds.size));
    return id;
  };
  const undo: { k: number; state: State }[] = [];
  let state = initial;
  let completionsLeft = ops.filter((op) => !op.optional).length;
  let steps = 0;
  if (completionsLeft === 0 && onComplete(state, linearized) === 'stop') return { kind: 'done', stopped: true, steps };
  memo.add(linearized, internState(state));

  let node = list.first();
  for (;;) {
    if (steps >= stepsMax) return { kind: 'budget-exceeded', steps };
    steps++;
    if (node !== NIL && (node & 1) === 0) {
      const k = node >>> 1;
      const next = model.step(state, ops[k].action);
      if (next !== undefined) {
        linearized.add(k);
        if (memo.add(linearized, internState(next))) {
          undo.push({ k, state });
          state = next;
          list.lift(k, ops[k].optional);
          if (!ops[k].optional) completionsLeft--;
          if (completionsLeft === 0 && onComplete(state, linearized) === 'stop') return { kind: 'done', stopped: true, steps };
          node = list.first();
          continue;
        }
        linearized.delete(k);
      }
      node = list.next[node];
      continue;
    }
    // A completion (or, once only optional operations are left, the end of the list): backtrack.
    const last = undo.pop();
    if (last === undefined) return { kind: 'done', stopped: false, steps };
    state = last.state;
    linearized.delete(last.k);
    list.unlift(last.k, ops[last.k].optional);
    if (!ops[last.k].optional) completionsLeft++;
    node = list.next[2 * last.k];
  }
}
