// The body that follows a successful ReplyHeader, by the opcode of the request it answers:
// written by the server (encodeReply), read by clients (decodeReply). Layouts follow zookeeper.jute
// and FinalRequestProcessor (3.8).
import { dataOrNull } from './null-data';
import { OpCode } from './constants';
import type { JuteReader } from './jute-reader';
import type { JuteWriter } from './jute-writer';
import { readMultiResults, writeMultiResults } from './multi-response';
import type { Response } from './records';
import { marshallingError } from './wire-error';

export function writeResponseBody(w: JuteWriter, response: Response): void {
  switch (response.op) {
    case OpCode.create:
    case OpCode.sync:
      w.string(response.path);
      return;
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      w.string(response.path).stat(response.stat);
      return;
    case OpCode.exists:
    case OpCode.setData:
    case OpCode.setACL:
      w.stat(response.stat);
      return;
    case OpCode.getData:
      w.buffer(response.data).stat(response.stat);
      return;
    case OpCode.getACL:
      w.aclList(response.acl).stat(response.stat);
      return;
    case OpCode.getChildren:
      w.stringList(response.children);
      return;
    case OpCode.getChildren2:
      w.stringList(response.children).stat(response.stat);
      return;
    case OpCode.multi:
    case OpCode.multiRead:
      writeMultiResults(w, response.results);
      return;
    case OpCode.getEphemerals:
      w.stringList(response.ephemerals);
      return;
    case OpCode.getAllChildrenNumber:
      w.int(response.totalNumber);
      return;
    case OpCode.whoAmI:
      w.int(response.clientInfo.length);
      for (const info of response.clientInfo) w.string(info.authScheme).string(info.user);
      return;
    case OpCode.addWatch:
      // FinalRequestProcessor answers addWatch with ErrorResponse(0), and the Java client reads it:
      // leaving these 4 bytes out makes that client fail the connection.
      w.int(0);
      return;
    case OpCode.delete:
    case OpCode.deleteContainer:
    case OpCode.ping:
    case OpCode.check:
    case OpCode.checkWatches:
    case OpCode.removeWatches:
    case OpCode.auth:
    case OpCode.setWatches:
    case OpCode.setWatches2:
    case OpCode.closeSession:
      return; // the reply header is the whole reply
    default: {
      const unknown: never = response;
      throw marshallingError(`cannot encode response with op ${(unknown as { op: unknown }).op}`);
    }
  }
}

/** Reads the success body of a reply to a request with opcode `op`; undefined when the opcode is unknown. */
export function readResponseBody(r: JuteReader, op: number): Response | undefined {
  switch (op) {
    case OpCode.create:
    case OpCode.sync:
      return { op, path: r.requiredString('path') };
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      return { op, path: r.requiredString('path'), stat: r.stat() };
    case OpCode.exists:
    case OpCode.setData:
    case OpCode.setACL:
      return { op, stat: r.stat() };
    case OpCode.getData:
      return { op, data: dataOrNull(r.buffer()), stat: r.stat() };
    case OpCode.getACL:
      return { op, acl: r.aclList() ?? [], stat: r.stat() };
    case OpCode.getChildren:
      return { op, children: r.stringList() ?? [] };
    case OpCode.getChildren2:
      return { op, children: r.stringList() ?? [], stat: r.stat() };
    case OpCode.multi:
    case OpCode.multiRead:
      return { op, results: readMultiResults(r) };
    case OpCode.getEphemerals:
      return { op, ephemerals: r.stringList() ?? [] };
    case OpCode.getAllChildrenNumber:
      return { op, totalNumber: r.int() };
    case OpCode.whoAmI:
      return { op, clientInfo: readClientInfoList(r) };
    case OpCode.addWatch:
      if (r.remaining >= 4) r.int(); // ErrorResponse(0); tolerate servers that leave it out
      return { op };
    case OpCode.delete:
    case OpCode.deleteContainer:
    case OpCode.ping:
    case OpCode.check:
    case OpCode.checkWatches:
    case OpCode.removeWatches:
    case OpCode.auth:
    case OpCode.setWatches:
    case OpCode.setWatches2:
    case OpCode.closeSession:
      return { op };
    default:
      return undefined;
  }
}

/** vector<ClientInfo>; null (-1) is read as empty. */
function readClientInfoList(r: JuteReader): { authScheme: string; user: string }[] {
  const count = r.int();
  if (count === -1) return [];
  // Each ClientInfo is two ustrings, at least 8 bytes.
  if (count < 0 || count * 8 > r.remaining) throw marshallingError(`vector<ClientInfo> has impossible length ${count}`);
  const list = new Array<{ authScheme: string; user: string }>(count);
  for (let i = 0; i < count; i++) list[i] = { authScheme: r.requiredString('authScheme'), user: r.requiredString('user') };
  return list;
}
