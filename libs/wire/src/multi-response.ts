// The results of a multi / multiRead reply: MultiHeader + result record per op, then {type -1, done, err -1}.
// Follows MultiResponse.serialize in ZooKeeper 3.8, including how it labels each result.
import { dataOrNull } from './null-data';
import { ErrorCode, OpCode } from './constants';
import type { JuteReader } from './jute-reader';
import type { JuteWriter } from './jute-writer';
import type { MultiResult } from './records';
import { marshallingError } from './wire-error';

/**
 * Writes every result. A failed op is an ErrorResult: header {type -1, err: code} then ErrorResponse{err}.
 * createContainer and createTTL results go out as create2 (15), as ZooKeeper's CreateResult does.
 */
export function writeMultiResults(w: JuteWriter, results: readonly MultiResult[]): void {
  for (const result of results) {
    switch (result.op) {
      case OpCode.create:
        w.int(OpCode.create).bool(false).int(ErrorCode.ok).string(result.path);
        break;
      case OpCode.create2:
      case OpCode.createContainer:
      case OpCode.createTTL:
        w.int(OpCode.create2).bool(false).int(ErrorCode.ok).string(result.path).stat(result.stat);
        break;
      case OpCode.delete:
      case OpCode.check:
        w.int(result.op).bool(false).int(ErrorCode.ok);
        break;
      case OpCode.setData:
        w.int(OpCode.setData).bool(false).int(ErrorCode.ok).stat(result.stat);
        break;
      case OpCode.getData:
        w.int(OpCode.getData).bool(false).int(ErrorCode.ok).buffer(result.data).stat(result.stat);
        break;
      case OpCode.getChildren:
        w.int(OpCode.getChildren).bool(false).int(ErrorCode.ok).stringList(result.children);
        break;
      case OpCode.error:
        w.int(OpCode.error).bool(false).int(result.err).int(result.err);
        break;
      default:
        // exists / setACL Stat results: the record type allows them, ZooKeeper's MultiResponse does not.
        throw marshallingError(`op ${result.op} has no result form inside a multi reply`);
    }
  }
  w.int(-1).bool(true).int(-1);
}

/** Reads results until the header with done = true; each header costs 9 bytes, so the loop is bounded by the input. */
export function readMultiResults(r: JuteReader): MultiResult[] {
  const results: MultiResult[] = [];
  for (;;) {
    const type = r.int();
    const done = r.bool();
    r.int(); // err: the ErrorResponse that follows an error header is authoritative (as in ZooKeeper's clients)
    if (done) return results;
    results.push(readMultiResult(r, type));
  }
}

function readMultiResult(r: JuteReader, type: number): MultiResult {
  switch (type) {
    case OpCode.create:
      return { op: type, path: r.requiredString('path') };
    case OpCode.create2:
      return { op: type, path: r.requiredString('path'), stat: r.stat() };
    case OpCode.delete:
    case OpCode.check:
      return { op: type };
    case OpCode.setData:
      return { op: type, stat: r.stat() };
    case OpCode.getData:
      return { op: type, data: dataOrNull(r.buffer()), stat: r.stat() };
    case OpCode.getChildren:
      return { op: type, children: r.stringList() ?? [] };
    case OpCode.error:
      return { op: type, err: r.int() };
    default:
      throw marshallingError(`invalid result type ${type} in a multi reply`);
  }
}
