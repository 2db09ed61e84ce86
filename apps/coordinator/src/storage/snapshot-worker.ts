// The snapshot worker thread, started per snapshot: owns a SnapshotBuilder (its own SQLite connections and replica tree) and
// answers build/reset/close requests from the storage on the serving thread, one at a time.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { installNativeCrc32 } from '../util/native-crc32';
import { SnapshotBuilder, type SnapshotBuilderConfig } from './snapshot-builder';
import type { SnapshotWorkerReply, SnapshotWorkerRequest } from './snapshot-engine';

function serve(port: NonNullable<typeof parentPort>, config: SnapshotBuilderConfig): void {
  const builder = SnapshotBuilder.open(config);
  let queue: Promise<void> = Promise.resolve();
  const reply = (message: SnapshotWorkerReply): void => port.postMessage(message);
  port.on('message', (request: SnapshotWorkerRequest) => {
    queue = queue.then(async () => {
      try {
        const b = await builder;
        switch (request.type) {
          case 'build':
            reply({ type: 'built', requestId: request.requestId, built: await b.build(request.zxidTarget, request.nowMs) });
            return;
          case 'serialize': {
            const serialized = await b.serialize(request.zxidTarget);
            // Moved, not copied: the bytes may be the size of the whole tree.
            const transfer = serialized.bytes.byteOffset === 0 && serialized.bytes.byteLength === serialized.bytes.buffer.byteLength ? [serialized.bytes.buffer as ArrayBuffer] : [];
            port.postMessage({ type: 'serialized', requestId: request.requestId, serialized } satisfies SnapshotWorkerReply, transfer);
            return;
          }
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

if (!isMainThread && parentPort) {
  installNativeCrc32();
  serve(parentPort, workerData as SnapshotBuilderConfig);
}
