import { describe, expect, it, vi } from 'vitest';
import type { WatchEvent } from './watch-registry';
import { WatchStream, WatchStreamOverflowError } from './watch-stream';

const event = (path: string): WatchEvent => ({ type: 'nodeDataChanged', path, zxid: 1n });

describe('WatchStream', () => {
  it('yields pushed events in order, buffered or awaited', async () => {
    const stream = new WatchStream(() => undefined);
    stream.push(event('/a'));
    const first = await stream.next();
    const pending = stream.next();
    stream.push(event('/b'));
    expect(first.value?.path).toBe('/a');
    expect((await pending).value?.path).toBe('/b');
  });

  it('ends a for-await loop on close and calls onClose once', async () => {
    const onClose = vi.fn();
    const stream = new WatchStream(onClose);
    stream.push(event('/a'));
    const seen: string[] = [];
    for await (const e of stream) {
      seen.push(e.path);
      stream.close();
    }
    expect(seen).toEqual(['/a']);
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('fails with an overflow error instead of growing without bound', async () => {
    const stream = new WatchStream(() => undefined, 2);
    stream.push(event('/1'));
    stream.push(event('/2'));
    stream.push(event('/3'));
    await stream.next();
    await stream.next();
    await expect(stream.next()).rejects.toBeInstanceOf(WatchStreamOverflowError);
    expect((await stream.next()).done).toBe(true);
  });

  it('rejects a waiting next() when failed', async () => {
    const stream = new WatchStream(() => undefined);
    const pending = stream.next();
    stream.fail(new Error('expired'));
    await expect(pending).rejects.toThrow('expired');
  });
});
