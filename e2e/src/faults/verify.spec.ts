// The post-heal checks that need no servers: they must flag what they exist to catch.
import { describe, expect, it } from 'vitest';
import type { RegisterOp } from '../linearizability';
import { checkLinearizable, checkSequentialNames } from './verify';
import type { AckedCreate } from './workload';

function acked(clientId: string, sequence: number, invokeMs: number, completeMs: number): AckedCreate {
  return { clientId, path: `/run/seq/n-${String(sequence).padStart(10, '0')}`, sequence, invokeMs, completeMs };
}

describe('checkSequentialNames', () => {
  it('accepts concurrent creates in any order and later creates with larger numbers', () => {
    expect(checkSequentialNames([acked('a', 2, 0, 10), acked('b', 1, 1, 9), acked('a', 3, 11, 12)])).toEqual([]);
  });

  it('flags a name acknowledged to two clients', () => {
    expect(checkSequentialNames([acked('a', 1, 0, 5), acked('b', 1, 1, 6)]).join()).toMatch(/acknowledged twice/);
  });

  it('flags a create invoked after another was acknowledged but numbered below it', () => {
    expect(checkSequentialNames([acked('a', 5, 0, 5), acked('b', 4, 6, 8)]).join()).toMatch(/sequence order/);
  });
});

describe('checkLinearizable on recorded histories', () => {
  const write = (clientId: string, invokeMs: number, completeMs: number, value: string, version: number): RegisterOp => ({
    kind: 'write', clientId, key: '/r0', value, invokeMs, completeMs, result: { status: 'ok', version },
  });
  const read = (clientId: string, invokeMs: number, completeMs: number, value: string, version: number): RegisterOp => ({
    kind: 'read', clientId, key: '/r0', invokeMs, completeMs, result: { status: 'ok', value, version },
  });

  it('accepts a read of the last acknowledged write', () => {
    expect(checkLinearizable([write('a', 0, 5, 'x', 1), read('b', 6, 8, 'x', 1)]).violations).toEqual([]);
  });

  it('reports a stale read after sync with its failing window', () => {
    const { violations } = checkLinearizable([write('a', 0, 5, 'x', 1), write('a', 6, 9, 'y', 2), read('b', 10, 12, 'x', 1)]);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(/not linearizable: key \/r0/);
  });
});
