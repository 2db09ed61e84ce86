// The body of every client request, by opcode: written by clients (encodeRequest), read by the
// server (decodeRequest). Layouts follow zookeeper.jute and MultiOperationRecord (3.8).
import { dataOrNull } from './null-data';
import { OpCode } from './constants';
import type { JuteReader } from './jute-reader';
import type { JuteWriter } from './jute-writer';
import type { CreateRequest, MultiOp, MultiReadOp, Request } from './records';
import { marshallingError } from './wire-error';

/** MultiOperationRecord puts err -1 in each op's MultiHeader and ends with {type -1, done, err -1}. */
const MULTI_HEADER_ERR_UNUSED = -1;

export function writeRequestBody(w: JuteWriter, request: Request): void {
  switch (request.op) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      writeCreate(w, request);
      return;
    case OpCode.delete:
    case OpCode.deleteContainer:
      w.string(request.path).int(request.version);
      return;
    case OpCode.exists:
    case OpCode.getData:
    case OpCode.getChildren:
    case OpCode.getChildren2:
      w.string(request.path).bool(request.watch);
      return;
    case OpCode.setData:
      w.string(request.path).buffer(request.data).int(request.version);
      return;
    case OpCode.getACL:
    case OpCode.sync:
      w.string(request.path);
      return;
    case OpCode.setACL:
      w.string(request.path).aclList(request.acl).int(request.version);
      return;
    case OpCode.check:
      w.string(request.path).int(request.version);
      return;
    case OpCode.multi:
    case OpCode.multiRead:
      writeMultiOps(w, request.op, request.ops);
      return;
    case OpCode.checkWatches:
    case OpCode.removeWatches:
      w.string(request.path).int(request.type);
      return;
    case OpCode.auth:
      w.int(request.type).string(request.scheme).buffer(request.auth);
      return;
    case OpCode.setWatches:
      w.long(request.relativeZxid).stringList(request.dataWatches).stringList(request.existWatches).stringList(request.childWatches);
      return;
    case OpCode.setWatches2:
      w.long(request.relativeZxid)
        .stringList(request.dataWatches)
        .stringList(request.existWatches)
        .stringList(request.childWatches)
        .stringList(request.persistentWatches)
        .stringList(request.persistentRecursiveWatches);
      return;
    case OpCode.getEphemerals:
      w.string(request.prefixPath);
      return;
    case OpCode.getAllChildrenNumber:
      w.string(request.path);
      return;
    case OpCode.addWatch:
      w.string(request.path).int(request.mode);
      return;
    case OpCode.ping:
    case OpCode.whoAmI:
    case OpCode.closeSession:
      return; // the request header is the whole request
    default: {
      const unknown: never = request;
      throw marshallingError(`cannot encode request with op ${(unknown as { op: unknown }).op}`);
    }
  }
}

/** Reads the body of a request with opcode `op`; undefined when the opcode is not one this codec knows. */
export function readRequestBody(r: JuteReader, op: number): Request | undefined {
  switch (op) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      return readCreate(r, op);
    case OpCode.delete:
    case OpCode.deleteContainer:
      return { op, path: r.requiredString('path'), version: r.int() };
    case OpCode.exists:
    case OpCode.getData:
    case OpCode.getChildren:
    case OpCode.getChildren2:
      return { op, path: r.requiredString('path'), watch: r.bool() };
    case OpCode.setData:
      return { op, path: r.requiredString('path'), data: dataOrNull(r.buffer()), version: r.int() };
    case OpCode.getACL:
    case OpCode.sync:
      return { op, path: r.requiredString('path') };
    case OpCode.setACL:
      return { op, path: r.requiredString('path'), acl: r.aclList() ?? [], version: r.int() };
    case OpCode.check:
      return { op, path: r.requiredString('path'), version: r.int() };
    case OpCode.multi:
      return { op, ops: readMultiOps(r, op) as MultiOp[] };
    case OpCode.multiRead:
      return { op, ops: readMultiOps(r, op) as MultiReadOp[] };
    case OpCode.checkWatches:
    case OpCode.removeWatches:
      return { op, path: r.requiredString('path'), type: r.int() };
    case OpCode.auth:
      return { op, type: r.int(), scheme: r.requiredString('scheme'), auth: r.buffer() ?? new Uint8Array(0) };
    case OpCode.setWatches:
      return {
        op,
        relativeZxid: r.long(),
        dataWatches: r.stringList() ?? [],
        existWatches: r.stringList() ?? [],
        childWatches: r.stringList() ?? [],
      };
    case OpCode.setWatches2:
      return {
        op,
        relativeZxid: r.long(),
        dataWatches: r.stringList() ?? [],
        existWatches: r.stringList() ?? [],
        childWatches: r.stringList() ?? [],
        persistentWatches: r.stringList() ?? [],
        persistentRecursiveWatches: r.stringList() ?? [],
      };
    case OpCode.getEphemerals:
      return { op, prefixPath: r.requiredString('prefixPath') };
    case OpCode.getAllChildrenNumber:
      return { op, path: r.requiredString('path') };
    case OpCode.addWatch:
      return { op, path: r.requiredString('path'), mode: r.int() };
    case OpCode.ping:
    case OpCode.whoAmI:
    case OpCode.closeSession:
      return { op };
    default:
      return undefined;
  }
}

/** CreateRequest for create/create2/createContainer; CreateTTLRequest (one more long) for createTTL. */
function writeCreate(w: JuteWriter, request: CreateRequest): void {
  w.string(request.path).buffer(request.data).aclList(request.acl).int(request.flags);
  if (request.op === OpCode.createTTL) {
    if (request.ttl === undefined) throw marshallingError('createTTL request has no ttl');
    w.long(request.ttl);
  } else if (request.ttl !== undefined) {
    throw marshallingError(`a ttl is only sent with createTTL (${OpCode.createTTL}), not with op ${request.op}`);
  }
}

function readCreate(r: JuteReader, op: CreateRequest['op']): CreateRequest {
  const request: CreateRequest = {
    op,
    path: r.requiredString('path'),
    data: dataOrNull(r.buffer()),
    acl: r.aclList() ?? [],
    flags: r.int(),
  };
  if (op === OpCode.createTTL) request.ttl = r.long();
  return request;
}

/** The op types MultiOperationRecord can carry in a multi (writes) and a multiRead (reads). */
function isAllowedInMulti(multiOp: typeof OpCode.multi | typeof OpCode.multiRead, type: number): boolean {
  if (multiOp === OpCode.multiRead) return type === OpCode.getChildren || type === OpCode.getData;
  switch (type) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
    case OpCode.delete:
    case OpCode.setData:
    case OpCode.check:
      return true;
    default:
      return false; // ZooKeeper rejects deleteContainer and the read ops here too ("Invalid type of op").
  }
}

function writeMultiOps(w: JuteWriter, multiOp: typeof OpCode.multi | typeof OpCode.multiRead, ops: readonly Request[]): void {
  for (const op of ops) {
    if (!isAllowedInMulti(multiOp, op.op)) throw marshallingError(`op ${op.op} cannot be part of a ${multiOpName(multiOp)}`);
    w.int(op.op).bool(false).int(MULTI_HEADER_ERR_UNUSED);
    writeRequestBody(w, op);
  }
  w.int(-1).bool(true).int(MULTI_HEADER_ERR_UNUSED);
}

/** MultiHeader + op until a header with done = true; each header costs 9 bytes, so the loop is bounded by the input. */
function readMultiOps(r: JuteReader, multiOp: typeof OpCode.multi | typeof OpCode.multiRead): Request[] {
  const ops: Request[] = [];
  for (;;) {
    const type = r.int();
    const done = r.bool();
    r.int(); // err: unused in requests
    if (done) return ops;
    if (!isAllowedInMulti(multiOp, type)) throw marshallingError(`op ${type} cannot be part of a ${multiOpName(multiOp)}`);
    ops.push(readRequestBody(r, type) as Request);
  }
}

function multiOpName(multiOp: number): string {
  return multiOp === OpCode.multi ? 'multi' : 'multiRead';
}
