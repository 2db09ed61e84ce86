// Asking a test server how it is: four-letter words over TCP, and bounded waits until it listens or serves.
import { connect } from 'node:net';

/** Sends a four-letter word and returns everything the server writes before closing. */
export function fourLetterWord(port: number, word: string, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`${word}: no answer within ${timeoutMs} ms`));
    });
    socket.once('connect', () => socket.write(word));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', reject);
    socket.once('close', () => resolvePromise(Buffer.concat(chunks).toString('utf8')));
  });
}

/** srvr's "Mode:" (leader, follower, standalone, …), or undefined if the server does not answer. */
export async function modeOf(port: number): Promise<string | undefined> {
  const status = await fourLetterWord(port, 'srvr', 1_000).catch(() => '');
  return /^Mode: (\w+)/m.exec(status)?.[1];
}

/** isro's answer: "rw" (serving), "ro" (read-only mode), "null" (neither), or undefined if it does not answer. */
export async function isroOf(port: number): Promise<string | undefined> {
  const answer = (await fourLetterWord(port, 'isro', 1_000).catch(() => '')).trim();
  return answer === '' ? undefined : answer;
}

export async function waitUntilListening(port: number, timeoutMs: number, deathOf: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const death = deathOf();
    if (death !== undefined) throw new Error(death);
    const open = await new Promise<boolean>((resolvePromise) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolvePromise(true);
      });
      socket.once('error', () => resolvePromise(false));
    });
    if (open) return;
    if (Date.now() >= deadline) throw new Error(`nothing listening on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Until the server answers ruok and says it serves (srvr without "not currently serving", isro not "null"/"ro"). */
export async function waitUntilServing(port: number, timeoutMs: number, deathOf: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    const death = deathOf();
    if (death !== undefined) throw new Error(death);
    try {
      if ((await fourLetterWord(port, 'ruok', 1_000)) === 'imok') {
        const status = await fourLetterWord(port, 'srvr', 1_000);
        const isro = await isroOf(port);
        if (!status.includes('not currently serving') && isro === 'rw') return;
        last = `not serving (isro ${isro ?? 'no answer'})`;
      }
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() >= deadline) throw new Error(`not serving on 127.0.0.1:${port} after ${timeoutMs} ms (${last})`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
