// Four-letter words on the client port (ruok, srvr, …): how the harness knows a server is ready.
import { connect } from 'node:net';
import { sleep, TimeoutError } from './wait';

/** Sends a four-letter word and collects everything the server writes until it closes the connection. */
export function fourLetterWord(port: number, word: string, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`${word}: no answer from port ${port} within ${timeoutMs} ms`));
    });
    socket.once('connect', () => socket.write(word));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.once('error', reject);
    socket.once('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/**
 * Polls `ruok` until the answer is `imok` and `srvr` no longer says the server is not serving. `deathOf` returns why the process is gone (or undefined while it
 * runs), so a server that dies during start-up fails at once with its reason instead of at the deadline.
 */
export async function waitUntilServing(
  port: number,
  options: { timeoutMs: number; deathOf: () => string | undefined },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastAnswer = 'no answer yet';
  for (;;) {
    const death = options.deathOf();
    if (death !== undefined) throw new Error(death);
    try {
      const answer = await fourLetterWord(port, 'ruok', 1_000);
      if (answer === 'imok') {
        // ZooKeeper answers imok while it still refuses sessions; srvr says so until it serves requests.
        const status = await fourLetterWord(port, 'srvr', 1_000);
        if (!status.includes('not currently serving')) return;
        lastAnswer = `srvr answered ${JSON.stringify(status)}`;
      } else {
        lastAnswer = `ruok answered ${JSON.stringify(answer)}`;
      }
    } catch (error) {
      lastAnswer = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) throw new TimeoutError(`ruok → imok on 127.0.0.1:${port} (${lastAnswer})`, options.timeoutMs);
    await sleep(150);
  }
}
