import { describe, expect, it } from 'vitest';
import { AuthBook } from './auth-book';
import { AuthFailedError, ConnectionLossError } from './errors';

const info = (scheme: string) => ({ scheme, auth: new Uint8Array([1]) });

describe('AuthBook', () => {
  it('settles each caller with the reply to its own packet', async () => {
    const book = new AuthBook();
    const first = book.add(info('a'), true);
    const second = book.add(info('b'), true);
    book.replied(undefined);
    book.replied(new AuthFailedError());
    await expect(first).resolves.toBeUndefined();
    await expect(second).rejects.toBeInstanceOf(AuthFailedError);
  });

  it('replays every credential on a new connection; only callers still waiting are settled by the replies', async () => {
    const book = new AuthBook();
    const early = book.add(info('a'), true);
    book.replied(undefined);
    await early;
    const lost = book.add(info('b'), true);
    book.failInFlight(() => new ConnectionLossError());
    await expect(lost).rejects.toBeInstanceOf(ConnectionLossError);
    const offline = book.add(info('c'), false);
    expect(book.replay().map((i) => i.scheme)).toEqual(['a', 'b', 'c']);
    book.replied(undefined);
    book.replied(undefined);
    book.replied(undefined);
    await expect(offline).resolves.toBeUndefined();
  });

  it('fails every waiting caller when the session ends', async () => {
    const book = new AuthBook();
    const offline = book.add(info('a'), false);
    book.failAll(() => new ConnectionLossError());
    await expect(offline).rejects.toBeInstanceOf(ConnectionLossError);
  });
});
