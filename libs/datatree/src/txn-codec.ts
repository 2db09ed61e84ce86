// Txns in ZooKeeper's own log format (TxnHeader + CreateTxn/DeleteTxn/... from zookeeper.jute),
// for the txn log and replication; decodeTxn(encodeTxn(h, t)) gives back h and t.
import { dataOrNull, ErrorCode, JuteReader, JuteWriter, OpCode, WireError } from '@zk/wire';
import { assert } from './assert';
import { CONTAINER_EPHEMERAL_OWNER, isValidTtl, ttlEphemeralOwner } from './node-kind';
import type { CreateTxn, Txn, TxnHeader } from './txn';

/** From this many value bytes on, a txn's encoding is sized up front and kept as written (no regrowth, no trim). */
const LARGE_VALUE_BYTES = 16 * 1024;

export function encodeTxn(header: TxnHeader, txn: Txn): Uint8Array {
  const valueBytes = txn.type === 'create' || txn.type === 'setData' ? txn.data.length : 0;
  const large = valueBytes >= LARGE_VALUE_BYTES;
  // A large value would otherwise be copied into a doubling buffer and once more into the trimmed result.
  const writer = new JuteWriter(large ? 256 + 3 * (txn as { path: string }).path.length + valueBytes : undefined);
  writer.long(header.sessionId).int(header.cxid).long(header.zxid).long(BigInt(header.timeMs)).int(txnType(txn));
  writeRecord(writer, txn);
  // Small txns are trimmed to size: the log keeps many of them in memory.
  return large ? writer.toBytes() : writer.toBytes().slice();
}

export function decodeTxn(bytes: Uint8Array): { header: TxnHeader; txn: Txn } {
  const reader = new JuteReader(bytes);
  const sessionId = reader.long();
  const cxid = reader.int();
  const zxid = reader.long();
  const time = reader.long();
  const type = reader.int();
  if (time > BigInt(Number.MAX_SAFE_INTEGER) || time < BigInt(Number.MIN_SAFE_INTEGER)) throw marshallingErrorOf(`txn time ${time}`);
  const header: TxnHeader = { sessionId, cxid, zxid, timeMs: Number(time) };
  const txn = readRecord(reader, type, sessionId, true);
  if (!reader.atEnd) throw marshallingErrorOf(`${reader.remaining} bytes after the txn`);
  return { header, txn };
}

/**
 * The zxid and txn type of encoded txn bytes, read from the TxnHeader alone (the log checks every ZAB entry it
 * persists: decoding the whole record, value included, cost a copy per write on every member).
 */
export function peekTxnHeader(bytes: Uint8Array): { zxid: bigint; type: number } {
  if (bytes.length < TXN_HEADER_BYTES) throw marshallingErrorOf(`txn of ${bytes.length} bytes is shorter than its header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, TXN_HEADER_BYTES);
  // TxnHeader: sessionId (8), cxid (4), zxid (8), time (8), type (4).
  return { zxid: view.getBigInt64(12), type: view.getInt32(28) };
}

const TXN_HEADER_BYTES = 32;

/** The TxnHeader type ZooKeeper logs for this txn. */
export function txnType(txn: Txn): number {
  switch (txn.type) {
    case 'create':
      return txn.responseOp;
    case 'delete':
      return txn.responseOp ?? OpCode.delete;
    case 'setData':
      return OpCode.setData;
    case 'setAcl':
      return OpCode.setACL;
    case 'check':
      return OpCode.check;
    case 'error':
      return OpCode.error;
    case 'multi':
      return OpCode.multi;
    case 'createSession':
      return OpCode.createSession;
    case 'closeSession':
      return OpCode.closeSession;
  }
}

function writeRecord(writer: JuteWriter, txn: Txn): void {
  switch (txn.type) {
    case 'create':
      writeCreate(writer, txn);
      return;
    case 'delete':
      writer.string(txn.path);
      return;
    case 'setData':
      writer.string(txn.path).buffer(txn.data).int(txn.version);
      return;
    case 'setAcl':
      writer.string(txn.path).aclList(txn.acl).int(txn.version);
      return;
    case 'check':
      writer.string(txn.path).int(txn.version);
      return;
    case 'error':
      writer.int(txn.err);
      return;
    case 'multi':
      writer.int(txn.txns.length);
      for (const sub of txn.txns) {
        assert(sub.type !== 'multi', 'a multi cannot be nested');
        const body = new JuteWriter();
        writeRecord(body, sub);
        writer.int(txnType(sub)).buffer(body.toBytes());
      }
      return;
    case 'createSession':
      writer.int(txn.timeoutMs);
      return;
    case 'closeSession':
      writer.stringList(txn.paths);
      return;
  }
}

/** CreateTxn (create/create2), CreateContainerTxn (19) or CreateTTLTxn (21). */
function writeCreate(writer: JuteWriter, txn: CreateTxn): void {
  writer.string(txn.path).buffer(txn.data).aclList(txn.acl);
  if (txn.responseOp === 19) {
    assert(txn.kind === 'container', `responseOp 19 for a ${txn.kind} node`);
    writer.int(txn.parentCversion);
  } else if (txn.responseOp === 21) {
    assert(txn.kind === 'ttl' && txn.ttlMs !== undefined, `responseOp 21 for a ${txn.kind} node`);
    writer.int(txn.parentCversion).long(BigInt(txn.ttlMs));
  } else {
    assert(txn.kind === 'persistent' || txn.kind === 'ephemeral', `responseOp ${txn.responseOp} for a ${txn.kind} node`);
    writer.bool(txn.kind === 'ephemeral').int(txn.parentCversion);
  }
}

function readRecord(reader: JuteReader, type: number, sessionId: bigint, topLevel: boolean): Txn {
  switch (type) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      return readCreate(reader, type, sessionId);
    case OpCode.delete:
    case OpCode.deleteContainer: {
      const path = reader.requiredString('path');
      return type === OpCode.deleteContainer ? { type: 'delete', path, responseOp: 20 } : { type: 'delete', path };
    }
    case OpCode.setData:
      return { type: 'setData', path: reader.requiredString('path'), data: requiredBuffer(reader), version: reader.int() };
    case OpCode.setACL:
      return { type: 'setAcl', path: reader.requiredString('path'), acl: reader.aclList() ?? [], version: reader.int() };
    case OpCode.check:
      return { type: 'check', path: reader.requiredString('path'), version: reader.int() };
    case OpCode.error:
      return { type: 'error', err: reader.int() };
    case OpCode.createSession:
      if (topLevel) return { type: 'createSession', timeoutMs: reader.int() };
      break;
    case OpCode.closeSession:
      if (topLevel) return { type: 'closeSession', paths: reader.stringList() ?? [] };
      break;
    case OpCode.multi:
      if (topLevel) return readMulti(reader, sessionId);
      break;
  }
  throw marshallingErrorOf(`txn type ${type} is not allowed here`);
}

function readMulti(reader: JuteReader, sessionId: bigint): Txn {
  const count = reader.int();
  if (count < 0 || count * 8 > reader.remaining) throw marshallingErrorOf(`multi with ${count} txns`);
  const txns: Txn[] = [];
  for (let i = 0; i < count; i++) {
    const type = reader.int();
    const body = new JuteReader(requiredBuffer(reader));
    txns.push(readRecord(body, type, sessionId, false));
    if (!body.atEnd) throw marshallingErrorOf(`${body.remaining} bytes after multi op ${i}`);
  }
  return { type: 'multi', txns };
}

function readCreate(reader: JuteReader, type: number, sessionId: bigint): CreateTxn {
  const path = reader.requiredString('path');
  const data = requiredBuffer(reader);
  const acl = reader.aclList() ?? [];
  if (type === OpCode.createContainer) {
    return { type: 'create', path, data, acl, ephemeralOwner: CONTAINER_EPHEMERAL_OWNER, parentCversion: reader.int(), kind: 'container', responseOp: 19 };
  }
  if (type === OpCode.createTTL) {
    const parentCversion = reader.int();
    const ttl = reader.long();
    if (!isValidTtl(ttl)) throw marshallingErrorOf(`ttl ${ttl} out of range`);
    const ttlMs = Number(ttl);
    return { type: 'create', path, data, acl, ephemeralOwner: ttlEphemeralOwner(ttlMs), parentCversion, kind: 'ttl', ttlMs, responseOp: 21 };
  }
  const ephemeral = reader.bool();
  const parentCversion = reader.int();
  return {
    type: 'create',
    path,
    data,
    acl,
    ephemeralOwner: ephemeral ? sessionId : 0n,
    parentCversion,
    kind: ephemeral ? 'ephemeral' : 'persistent',
    responseOp: type === OpCode.create2 ? 15 : 1,
  };
}

function requiredBuffer(reader: JuteReader): Uint8Array {
  return dataOrNull(reader.buffer());
}

export function marshallingErrorOf(message: string): WireError {
  return new WireError(ErrorCode.marshallingError, message);
}
