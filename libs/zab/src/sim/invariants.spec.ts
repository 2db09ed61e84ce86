// The invariant checker on hand-made histories: what each check accepts and what it refuses.
import { describe, expect, it } from 'vitest';
import { entry } from '../test-harness';
import { InvariantChecker, InvariantViolation } from './invariants';

const txn = (epoch: number, counter: number, key = `e${epoch}c${counter}`) => ({ zxid: entry(epoch, counter).zxid, key });

describe('InvariantChecker', () => {
  it('accepts servers applying prefixes of one sequence, and a leader holding all of it', () => {
    const c = new InvariantChecker();
    c.onApplied(1, 0, txn(1, 1), undefined);
    c.onApplied(1, 1, txn(1, 2), txn(1, 1));
    c.onApplied(2, 0, txn(1, 1), undefined);
    c.onEstablished(2, 2, { baseZxid: 0n, entries: [entry(1, 1), entry(1, 2)] });
    c.onApplied(2, 1, txn(1, 2), txn(1, 1));
    c.onApplied(2, 2, txn(2, 1), txn(1, 2));
    expect(c.committedCount).toBe(3);
  });

  it('refuses two leaders establishing one epoch', () => {
    const c = new InvariantChecker();
    c.onEstablished(1, 3, { baseZxid: 0n, entries: [] });
    expect(() => c.onEstablished(2, 3, { baseZxid: 0n, entries: [] })).toThrow(InvariantViolation);
  });

  it('refuses diverging applied sequences', () => {
    const c = new InvariantChecker();
    c.onApplied(1, 0, txn(1, 1, 'a'), undefined);
    expect(() => c.onApplied(2, 0, txn(1, 1, 'b'), undefined)).toThrow(/agreement/);
  });

  it('refuses a new leader missing a committed txn', () => {
    const c = new InvariantChecker();
    c.onApplied(1, 0, txn(1, 1), undefined);
    expect(() => c.onEstablished(2, 2, { baseZxid: 0n, entries: [] })).toThrow(/no-lost-commit/);
  });

  it('refuses gaps and reordering within an epoch (primary order)', () => {
    const c = new InvariantChecker();
    expect(() => c.onApplied(1, 0, txn(1, 2), undefined)).toThrow(/primary-order/);
    const d = new InvariantChecker();
    d.onApplied(1, 0, txn(2, 1), undefined);
    expect(() => d.onApplied(1, 1, txn(1, 5), txn(2, 1))).toThrow(/primary-order/);
  });

  it('checks only what it is asked to', () => {
    const c = new InvariantChecker(new Set(['agreement']));
    expect(() => c.onApplied(1, 0, txn(1, 2), undefined)).not.toThrow();
  });
});
