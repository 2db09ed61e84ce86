// The multi/transaction builder: collect create/delete/setData/check ops, commit them all-or-nothing.
// commit() resolves with one typed result per op, or throws the first failing op's error with all results.
import { NULL_DATA, OpCode, type Acl, type MultiOp, type MultiResponse, type Stat } from '@zk/wire';
import { createRequest, isSequential, type CreateOptions } from './create-mode';
import { toBytes, type DataInput } from './data';
import { errorFromCode, RuntimeInconsistencyError } from './errors';
import { validatePath, type Chroot } from './paths';

export type OpResult =
  | { type: 'create'; path: string; stat?: Stat }
  | { type: 'delete' }
  | { type: 'setData'; stat: Stat }
  | { type: 'check' }
  | { type: 'error'; code: number };

/** What a transaction needs from the client: the chroot, the default ACL, and a way to send a multi. */
export interface TransactionRunner {
  readonly chroot: Chroot;
  readonly defaultAcl: readonly Acl[];
  runMulti(ops: MultiOp[]): Promise<MultiResponse>;
}

export class Transaction {
  private readonly ops: MultiOp[] = [];

  constructor(private readonly runner: TransactionRunner) {}

  get size(): number {
    return this.ops.length;
  }

  create(path: string, data?: DataInput, options: CreateOptions = {}): this {
    validatePath(path, isSequential(options.mode ?? 'persistent'));
    const acl = options.acl ?? this.runner.defaultAcl;
    this.ops.push(createRequest(this.runner.chroot.toServer(path), toBytes(data ?? NULL_DATA), acl, options));
    return this;
  }

  delete(path: string, version = -1): this {
    validatePath(path);
    this.ops.push({ op: OpCode.delete, path: this.runner.chroot.toServer(path), version });
    return this;
  }

  setData(path: string, data: DataInput, version = -1): this {
    validatePath(path);
    this.ops.push({ op: OpCode.setData, path: this.runner.chroot.toServer(path), data: toBytes(data), version });
    return this;
  }

  /** Succeeds only if the node's version is `version` (it is not changed). */
  check(path: string, version: number): this {
    validatePath(path);
    this.ops.push({ op: OpCode.check, path: this.runner.chroot.toServer(path), version });
    return this;
  }

  async commit(): Promise<OpResult[]> {
    const response = await this.runner.runMulti(this.ops);
    const results = response.results.map((result): OpResult => {
      switch (result.op) {
        case OpCode.create:
          return { type: 'create', path: this.runner.chroot.toClient(result.path) };
        case OpCode.create2:
        case OpCode.createContainer:
        case OpCode.createTTL:
          return { type: 'create', path: this.runner.chroot.toClient(result.path), stat: result.stat };
        case OpCode.delete:
          return { type: 'delete' };
        case OpCode.setData:
          return { type: 'setData', stat: result.stat };
        case OpCode.check:
          return { type: 'check' };
        case -1:
          return { type: 'error', code: result.err };
        default:
          throw new RuntimeInconsistencyError(undefined, `unexpected result op ${result.op} in a multi reply`);
      }
    });
    const failedIndex = results.findIndex((result) => result.type === 'error' && result.code !== 0 && result.code !== -2);
    if (failedIndex >= 0) {
      const failed = results[failedIndex] as { type: 'error'; code: number };
      const op = this.ops[failedIndex];
      const error = errorFromCode(failed.code, 'path' in op ? this.runner.chroot.toClient(op.path) : undefined);
      error.results = results;
      throw error;
    }
    if (results.some((result) => result.type === 'error')) {
      const error = new RuntimeInconsistencyError(undefined, 'multi failed without naming the failing op');
      error.results = results;
      throw error;
    }
    return results;
  }
}
