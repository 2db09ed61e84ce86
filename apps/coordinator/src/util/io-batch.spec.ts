import { describe, expect, it } from 'vitest';
import { IoBatch, type Corkable } from './io-batch';

/** A stream that records cork/uncork calls (Node's writable counts them: every cork needs its uncork). */
function recordingStream(): Corkable & { calls: string[] } {
  const calls: string[] = [];
  return { calls, cork: () => calls.push('cork'), uncork: () => calls.push('uncork') };
}

const checkPhase = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('IoBatch', () => {
  it('corks once per turn however many writes, and uncorks in the check phase', async () => {
    const batch = new IoBatch();
    const stream = recordingStream();
    batch.hold(stream);
    batch.hold(stream);
    expect(stream.calls).toEqual(['cork']);
    await checkPhase();
    expect(stream.calls).toEqual(['cork', 'uncork']);
    batch.hold(stream);
    await checkPhase();
    expect(stream.calls).toEqual(['cork', 'uncork', 'cork', 'uncork']);
  });

  it('release sends what was held at once; writes after it are held again until the check phase', async () => {
    const batch = new IoBatch();
    const stream = recordingStream();
    batch.hold(stream);
    batch.release();
    expect(stream.calls).toEqual(['cork', 'uncork']);
    batch.release(); // nothing held: nothing to do
    batch.hold(stream);
    expect(stream.calls).toEqual(['cork', 'uncork', 'cork']);
    await checkPhase();
    // One uncork per cork: the release did not leave a second one scheduled.
    expect(stream.calls).toEqual(['cork', 'uncork', 'cork', 'uncork']);
    await checkPhase();
    expect(stream.calls).toHaveLength(4);
  });

  it('uncorks the stream it corked, when a link has since moved to a new socket', async () => {
    const batch = new IoBatch();
    const before = recordingStream();
    const after = recordingStream();
    batch.hold(before);
    batch.release();
    batch.hold(after);
    await checkPhase();
    expect(before.calls).toEqual(['cork', 'uncork']);
    expect(after.calls).toEqual(['cork', 'uncork']);
  });
});
