// ZAB's storage kept in memory, for tests: durable only as long as the object lives, so a test "restarts"
// a server by handing the same object to a new one.
import { DataTree } from '@zk/datatree';
import type { DurableState, LogEntry } from '@zk/zab';
import type { DeliveredSnapshot, ZabStorage } from '../storage/ensemble-storage';

export class InMemoryZabStorage implements ZabStorage {
  private acceptedEpoch = 0;
  private currentEpoch = 0;
  private snapshotZxid = 0n;
  private deliveredZxid = 0n;
  private log: LogEntry[] = [];
  private currentTree: DataTree;

  constructor(private readonly maxDataBytes: number) {
    this.currentTree = new DataTree({ maxDataBytes });
  }

  /** As after a restart: the last installed snapshot's tree (the log is replayed by ZAB's deliveries). */
  reopen(): void {
    this.currentTree = this.snapshot ? DataTree.deserialize(this.snapshot, { maxDataBytes: this.maxDataBytes }) : new DataTree({ maxDataBytes: this.maxDataBytes });
    this.deliveredZxid = this.snapshotZxid;
  }

  private snapshot: Uint8Array | undefined;

  get tree(): DataTree {
    return this.currentTree;
  }

  takeDurableState(): DurableState {
    return { acceptedEpoch: this.acceptedEpoch, currentEpoch: this.currentEpoch, snapshotZxid: this.snapshotZxid, log: [...this.log] };
  }

  async persistEntries(entries: readonly LogEntry[]): Promise<bigint> {
    this.log.push(...entries);
    return this.log[this.log.length - 1]?.zxid ?? this.snapshotZxid;
  }

  async persistEpochs(acceptedEpoch: number, currentEpoch: number): Promise<void> {
    this.acceptedEpoch = acceptedEpoch;
    this.currentEpoch = currentEpoch;
  }

  async truncateLog(afterZxid: bigint): Promise<void> {
    this.log = this.log.filter((entry) => entry.zxid <= afterZxid);
  }

  async installSnapshot(zxid: bigint, bytes: Uint8Array): Promise<DataTree> {
    this.snapshotZxid = zxid;
    this.snapshot = bytes;
    this.log = [];
    this.currentTree = DataTree.deserialize(bytes, { maxDataBytes: this.maxDataBytes });
    this.deliveredZxid = zxid;
    return this.currentTree;
  }

  delivered(zxid: bigint): void {
    this.deliveredZxid = zxid;
  }

  async snapshotBytes(): Promise<DeliveredSnapshot> {
    return { zxid: this.deliveredZxid, bytes: this.currentTree.serialize() };
  }

  onSnapshot(_listener: (zxid: bigint) => void): void {
    // Never snapshots by itself: the log is kept whole.
  }

  async close(): Promise<void> {
    // Nothing to release.
  }
}
