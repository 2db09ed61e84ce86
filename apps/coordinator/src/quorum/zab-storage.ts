// What the ZAB driver needs from durable storage, in the order ZabPeer's outputs ask for it. The SQLite
// implementation lives with the storage module; the in-memory one keeps tests and simulations fast.
import type { DurableState, LogEntry } from '@zk/zab';

export interface ZabStorage {
  /** Resolves when every entry is durable; calls resolve in the order they were made. */
  persistEntries(entries: readonly LogEntry[]): Promise<void>;
  persistEpochs(acceptedEpoch: number, currentEpoch: number): Promise<void>;
  truncateLog(afterZxid: bigint): Promise<void>;
  installSnapshot(zxid: bigint, bytes: Uint8Array): Promise<void>;
}

/** Durable only as long as the object lives: a test "restarts" a server by handing the same object to a new one. */
export class InMemoryZabStorage implements ZabStorage {
  acceptedEpoch = 0;
  currentEpoch = 0;
  snapshotZxid = 0n;
  snapshotBytes: Uint8Array | undefined;
  log: LogEntry[] = [];

  durableState(): DurableState {
    return { acceptedEpoch: this.acceptedEpoch, currentEpoch: this.currentEpoch, snapshotZxid: this.snapshotZxid, log: [...this.log] };
  }

  async persistEntries(entries: readonly LogEntry[]): Promise<void> {
    this.log.push(...entries);
  }

  async persistEpochs(acceptedEpoch: number, currentEpoch: number): Promise<void> {
    this.acceptedEpoch = acceptedEpoch;
    this.currentEpoch = currentEpoch;
  }

  async truncateLog(afterZxid: bigint): Promise<void> {
    this.log = this.log.filter((entry) => entry.zxid <= afterZxid);
  }

  async installSnapshot(zxid: bigint, bytes: Uint8Array): Promise<void> {
    this.snapshotZxid = zxid;
    this.snapshotBytes = bytes;
    this.log = [];
  }
}
