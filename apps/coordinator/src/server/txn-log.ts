// Where txns become durable before they are applied. The storage issue brings the SQLite log;
// until then the standalone server keeps its tree in memory and this log only keeps order.
import type { Txn, TxnHeader } from '@zk/datatree';

export interface TxnLog {
  /** Resolves once the txn is durable. Appends resolve in the order they were made. */
  append(header: TxnHeader, txn: Txn): Promise<void>;
}

export class InMemoryTxnLog implements TxnLog {
  append(_header: TxnHeader, _txn: Txn): Promise<void> {
    return Promise.resolve();
  }
}
