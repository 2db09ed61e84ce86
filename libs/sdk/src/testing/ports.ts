// Free loopback TCP ports, picked at run time so parallel runs never collide.
import { createServer } from 'node:net';

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
      server.close(() => resolve(address.port));
    });
  });
}
