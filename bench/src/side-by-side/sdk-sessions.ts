// The second client library of the benchmark: our SDK (@zk/sdk), for the rows labelled "(SDK)". The worker is
// forked as plain Node from dist/bench, so the SDK is loaded from its build (npm run build) at run time; the few
// methods used are typed here rather than imported, to keep the SDK's sources out of the bench's compilation.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LoadOp } from './protocol';

export interface SdkClient {
  getData(path: string): Promise<unknown>;
  setData(path: string, data: Uint8Array, version?: number): Promise<unknown>;
  create(path: string, data: Uint8Array, options: { mode: 'persistentSequential' }): Promise<unknown>;
  close(): Promise<void>;
}

interface SdkModule {
  ZooKeeperClient: {
    connect(connectString: string, options: { sessionTimeoutMs: number; connectTimeoutMs: number; requestsInFlightMax: number }): Promise<SdkClient>;
  };
}

/** dist/bench/side-by-side → the repository root. */
const SDK_BUILD = join(resolve(__dirname, '../../..'), 'dist/libs/sdk/src/index.js');
let sdk: SdkModule | undefined;

function loadSdk(): SdkModule {
  if (sdk !== undefined) return sdk;
  if (!existsSync(SDK_BUILD)) throw new Error(`${SDK_BUILD} is missing: run npm run build first`);
  sdk = require(SDK_BUILD) as SdkModule;
  return sdk;
}

export function connectSdk(connectString: string, sessionTimeoutMs: number, connectTimeoutMs: number): Promise<SdkClient> {
  // The benchmark's in-flight counts (64 per session) stay far below the SDK's limit; raise it anyway so it never queues.
  return loadSdk().ZooKeeperClient.connect(connectString, { sessionTimeoutMs, connectTimeoutMs, requestsInFlightMax: 10_000 });
}

/** The same three operations the node-zookeeper-client lanes issue, with the same callback shape. */
export function issueSdk(client: SdkClient, op: Exclude<LoadOp, 'mix'>, path: string, value: Uint8Array, done: (error: Error | null) => void): void {
  let request: Promise<unknown>;
  switch (op) {
    case 'create':
      request = client.create(path, value, { mode: 'persistentSequential' });
      break;
    case 'setData':
      request = client.setData(path, value, -1);
      break;
    case 'getData':
      request = client.getData(path);
      break;
    default: {
      const never: never = op;
      throw new Error(`unknown op ${String(never)}`);
    }
  }
  request.then(
    () => done(null),
    (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
  );
}
