// Free TCP ports on loopback, picked at run time so parallel runs and leftover servers never collide.
import { createServer } from 'node:net';

/** Asks the kernel for a free port on 127.0.0.1; the port is released before it is returned. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('freePort: no port from the kernel'));
        return;
      }
      const port = address.port;
      server.close(() => resolve(port));
    });
  });
}
