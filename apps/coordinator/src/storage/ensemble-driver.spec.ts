// The storage side of the quorum module, end to end: a real ZabPeer (one voter, so no network) driven by
// EnsembleStorage exactly as the adapter will — each storage output to its method, persisted / snapshot /
// compacted stepped back in — through proposals, periodic snapshots, compaction and a restart.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeTxn, encodeTxn, type Txn, type TxnHeader } from '@zk/datatree';
import { counterOf, epochOf, makeZxid, ZabPeer, type Output } from '@zk/zab';
import type { EnsembleStorage } from './ensemble-storage';
import { DurableStorage, type StorageOptions } from './storage';
import { capturingLogger, makeTempDirs, testStorageOptions, type TempDirs } from './test-support';

let dirs: TempDirs;
afterEach(() => dirs?.remove());

class Driver {
  readonly peer: ZabPeer;
  readonly delivered: bigint[] = [];
  readonly compacted: bigint[] = [];
  readonly errors: unknown[] = [];
  serving = false;

  constructor(
    readonly storage: EnsembleStorage,
    durable = storage.takeDurableState(),
  ) {
    this.peer = new ZabPeer({
      myId: 1,
      voters: [1],
      observers: [],
      tickLimits: { initLimitTicks: 10, syncLimitTicks: 5, electionTimeoutTicks: 1 },
      durable,
    });
    storage.onSnapshot((zxid) => {
      this.compacted.push(zxid);
      this.carryOut(this.peer.step({ kind: 'compacted', zxid }));
    });
    this.carryOut(this.peer.start());
  }

  /** Storage outputs go to the storage's ordered queue in order; answers are stepped back in when they come. */
  carryOut(outputs: Output[]): void {
    for (const output of outputs) {
      switch (output.kind) {
        case 'persistEntries':
          this.later(this.storage.persistEntries(output.entries).then((zxid) => this.carryOut(this.peer.step({ kind: 'persisted', zxid }))));
          break;
        case 'persistEpochs':
          this.later(this.storage.persistEpochs(output.acceptedEpoch, output.currentEpoch));
          break;
        case 'truncateLog':
          this.later(this.storage.truncateLog(output.afterZxid));
          break;
        case 'installSnapshot':
          throw new Error('a single voter never installs a snapshot');
        case 'deliver': {
          const { header, txn } = decodeTxn(output.payload);
          this.storage.tree.apply(header, txn);
          this.storage.delivered(output.zxid, output.payload.length);
          this.delivered.push(output.zxid);
          break;
        }
        case 'requestSnapshot':
          this.later(this.storage.snapshotBytes().then((snapshot) => this.carryOut(this.peer.step({ kind: 'snapshot', ...snapshot }))));
          break;
        case 'roleChanged':
          this.serving = output.serving;
          break;
        default:
          break;
      }
    }
  }

  /** A client write on the leader: the txn is encoded at the zxid the peer will give it. */
  propose(sessionId: bigint): bigint {
    const status = this.peer.status();
    const last = status.lastLoggedZxid;
    const zxid = makeZxid(status.currentEpoch, epochOf(last) === status.currentEpoch ? counterOf(last) + 1n : 1n);
    const header: TxnHeader = { sessionId, cxid: 1, zxid, timeMs: 1_700_000_000_000 };
    const txn: Txn = { type: 'createSession', timeoutMs: 30_000 };
    const outputs = this.peer.step({ kind: 'propose', payload: encodeTxn(header, txn) });
    expect(outputs.find((o) => o.kind === 'proposed')).toEqual({ kind: 'proposed', zxid });
    this.carryOut(outputs);
    return zxid;
  }

  async until(condition: () => boolean): Promise<void> {
    for (let i = 0; i < 2_000 && !condition(); i++) {
      this.carryOut(this.peer.step({ kind: 'tick' }));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(this.errors).toEqual([]);
    expect(condition()).toBe(true);
  }

  private later(promise: Promise<unknown>): void {
    promise.catch((error: unknown) => this.errors.push(error));
  }
}

async function open(overrides: Partial<StorageOptions> = {}): Promise<EnsembleStorage> {
  return DurableStorage.openForEnsemble(testStorageOptions(dirs, { snapCount: 20, random: () => 0, ...overrides }), capturingLogger().logger);
}

describe('EnsembleStorage driving a ZabPeer', () => {
  it('logs, delivers, snapshots and compacts; after a restart the peer delivers the log after the snapshot again', async () => {
    dirs = makeTempDirs(true);
    const storage = await open();
    const driver = new Driver(storage);
    await driver.until(() => driver.serving);
    const epoch = driver.peer.status().currentEpoch;
    expect(epoch).toBeGreaterThan(0);
    const zxids: bigint[] = [];
    for (let i = 0; i < 30; i++) zxids.push(driver.propose(BigInt(0x1000 + i)));
    await driver.until(() => driver.delivered.length === 30 && driver.compacted.length > 0);
    expect(driver.delivered).toEqual(zxids);
    expect(storage.tree.sessions().size).toBe(30);
    expect(driver.compacted[0]).toBe(zxids[10]); // more than 10 delivered
    expect(driver.peer.history().baseZxid).toBe(driver.compacted[driver.compacted.length - 1]);
    const digest = storage.tree.digest();
    await storage.close();

    const reopened = await open();
    const durable = reopened.takeDurableState();
    const snapshotZxid = durable.snapshotZxid;
    expect(driver.compacted).toContain(snapshotZxid);
    expect(reopened.tree.lastZxid).toBe(snapshotZxid);
    expect(durable.log.map((entry) => entry.zxid)).toEqual(zxids.filter((zxid) => zxid > snapshotZxid));
    expect(durable).toMatchObject({ acceptedEpoch: epoch, currentEpoch: epoch });
    const again = new Driver(reopened, durable);
    await again.until(() => again.serving && reopened.tree.lastZxid === zxids[29]);
    expect(again.delivered).toEqual(zxids.filter((zxid) => zxid > snapshotZxid));
    expect(reopened.tree.digest()).toBe(digest);
    // The new epoch's first txn follows the old epoch's last in the log.
    const next = again.propose(0x2000n);
    expect(epochOf(next)).toBeGreaterThan(epoch);
    await again.until(() => again.delivered.includes(next));
    await reopened.close();
    const third = await open();
    expect(third.takeDurableState().log.at(-1)?.zxid).toBe(next);
    await third.close();
  }, 30_000);
});
