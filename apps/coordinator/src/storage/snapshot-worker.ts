// The snapshot child process, started per snapshot: owns a SnapshotBuilder (its own SQLite connections and
// replica tree) and answers build/serialize/reset/close requests from the storage on the serving process, one
// at a time, over the IPC channel (serialization 'advanced': BigInts and byte arrays pass as they are).
import { installNativeCrc32 } from '../util/native-crc32';
import { SnapshotBuilder, type SnapshotBuilderConfig } from './snapshot-builder';
import type { SnapshotWorkerReply, SnapshotWorkerRequest } from './snapshot-engine';

export function serveChildProcess(config: SnapshotBuilderConfig): void {
  installNativeCrc32();
  const builder = SnapshotBuilder.open(config);
  let queue: Promise<void> = Promise.resolve();
  const reply = (message: SnapshotWorkerReply): void => {
    process.send?.(message);
  };
  process.on('message', (request: SnapshotWorkerRequest) => {
    queue = queue.then(async () => {
      try {
        const b = await builder;
        switch (request.type) {
          case 'build':
            reply({ type: 'built', requestId: request.requestId, built: await b.build(request.zxidTarget, request.nowMs) });
            return;
          case 'serialize':
            reply({ type: 'serialized', requestId: request.requestId, serialized: await b.serialize(request.zxidTarget) });
            return;
          case 'reset':
            b.reset();
            reply({ type: 'done', requestId: request.requestId });
            return;
          case 'close':
            await b.close();
            reply({ type: 'done', requestId: request.requestId });
            return;
          default: {
            const unknown: never = request;
            throw new Error(`unknown request ${JSON.stringify(unknown)}`);
          }
        }
      } catch (error) {
        reply({ type: 'failed', requestId: request.requestId, message: (error as Error).stack ?? String(error) });
      }
    });
  });
  reply({ type: 'ready' });
}
