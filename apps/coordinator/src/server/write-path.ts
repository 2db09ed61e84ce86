// The write pipeline of a standalone server, ZooKeeper's chain in small stages:
// prepare (validate against pending state, build a txn with the next zxid) → log (durable) → apply in
// zxid order → tell the submitter. The ensemble replaces the log stage with ZAB's broadcast.
import type { Id } from '@zk/wire';
import type { ApplyResult, Preparer, Txn, TxnHeader, WriteRequest } from '@zk/datatree';
import type { TxnLog } from './txn-log';
import type { ZkDatabase } from './zk-database';

export type { WriteRequest };

export type WriteOp =
  | { kind: 'request'; request: WriteRequest; authIds: Id[] }
  | { kind: 'createSession'; timeoutMs: number }
  | { kind: 'closeSession' };

export interface WriteSubmission {
  sessionId: bigint;
  cxid: number;
  op: WriteOp;
  /** Called synchronously right after the txn is applied, before the next txn is. */
  onApplied?: (result: ApplyResult, header: TxnHeader) => void;
}

interface InFlightTxn {
  header: TxnHeader;
  txn: Txn;
  durable: boolean;
  onApplied?: WriteSubmission['onApplied'];
}

/** Queued proposals beyond this are refused: a limit reached is an explicit error, not unbounded memory. */
export const WRITES_IN_FLIGHT_MAX = 100_000;

export class WritePathFullError extends Error {}

/** A pipeline that turns submissions into applied txns: standalone (log then apply) or the ensemble's (ZAB). */
export interface WritePath {
  submit(submission: WriteSubmission): void;
  readonly writesInFlight: number;
}

export class StandaloneWritePath implements WritePath {
  private zxidLastProposed: bigint;
  private readonly inFlight: InFlightTxn[] = [];

  constructor(
    private readonly db: ZkDatabase,
    private readonly preparer: Preparer,
    private readonly log: TxnLog,
    private readonly nowMs: () => number,
    private readonly onLogFailure: (error: unknown) => void,
    private readonly onSubmitterFailure: (error: unknown, header: TxnHeader) => void,
  ) {
    this.zxidLastProposed = db.tree.lastZxid;
  }

  get writesInFlight(): number {
    return this.inFlight.length;
  }

  submit(submission: WriteSubmission): void {
    if (this.inFlight.length >= WRITES_IN_FLIGHT_MAX) throw new WritePathFullError(`${WRITES_IN_FLIGHT_MAX} writes already in flight`);
    const zxid = this.zxidLastProposed + 1n;
    const header: TxnHeader = { sessionId: submission.sessionId, cxid: submission.cxid, zxid, timeMs: this.nowMs() };
    const txn = prepareSubmission(this.preparer, submission, header);
    this.zxidLastProposed = zxid;
    const entry: InFlightTxn = { header, txn, durable: false, onApplied: submission.onApplied };
    this.inFlight.push(entry);
    this.log.append(header, txn).then(
      () => {
        entry.durable = true;
        this.applyDurablePrefix();
      },
      (error: unknown) => this.onLogFailure(error),
    );
  }

  /** Applies, in zxid order, every txn at the head of the queue that is durable. */
  private applyDurablePrefix(): void {
    while (this.inFlight.length > 0 && this.inFlight[0].durable) {
      const entry = this.inFlight.shift() as InFlightTxn;
      const result = this.db.apply(entry.header, entry.txn);
      this.preparer.applied(entry.header.zxid);
      try {
        entry.onApplied?.(result, entry.header);
      } catch (error) {
        // One submitter's failure (say, a reply that cannot be sent) must not stop the pipeline for all.
        this.onSubmitterFailure(error, entry.header);
      }
    }
  }
}

/** The prepare stage shared by every write path: the submission, validated against pending state, as a txn. */
export function prepareSubmission(preparer: Preparer, submission: WriteSubmission, header: TxnHeader): Txn {
  const op = submission.op;
  switch (op.kind) {
    case 'request':
      return preparer.prepare(op.request, { sessionId: header.sessionId, cxid: header.cxid, zxid: header.zxid, timeMs: header.timeMs, authIds: op.authIds });
    case 'createSession':
      return preparer.prepareCreateSession(op.timeoutMs);
    case 'closeSession':
      return preparer.prepareCloseSession(submission.sessionId, header.zxid);
    default: {
      const unknownOp: never = op;
      throw new Error(`unknown write op ${JSON.stringify(unknownOp)}`);
    }
  }
}
