// The records of ZooKeeper's client protocol (zookeeper.jute, 3.8) as TypeScript types.
// jute `long` is bigint, `int` is number, `buffer` is Uint8Array, `ustring` is string.

export interface Id {
  scheme: string;
  id: string;
}

export interface Acl {
  perms: number;
  id: Id;
}

export interface Stat {
  czxid: bigint;
  mzxid: bigint;
  ctime: bigint;
  mtime: bigint;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  dataLength: number;
  numChildren: number;
  pzxid: bigint;
}

export interface ConnectRequest {
  protocolVersion: number;
  lastZxidSeen: bigint;
  timeOut: number;
  sessionId: bigint;
  passwd: Uint8Array;
  /** Absent in frames from clients older than 3.4, which do not send the byte. */
  readOnly?: boolean;
}

export interface ConnectResponse {
  protocolVersion: number;
  timeOut: number;
  sessionId: bigint;
  passwd: Uint8Array;
  readOnly: boolean;
}

export interface RequestHeader {
  xid: number;
  type: number;
}

export interface ReplyHeader {
  xid: number;
  zxid: bigint;
  err: number;
}

export interface WatcherEvent {
  type: number;
  state: number;
  path: string;
}

// ---- Requests: one variant per opcode a 3.8 client sends, discriminated by `op`. ----

/** create (1), create2 (15), createContainer (19), createTTL (21; ttl set). */
export interface CreateRequest {
  op: 1 | 15 | 19 | 21;
  path: string;
  data: Uint8Array;
  acl: Acl[];
  flags: number;
  ttl?: bigint;
}
export interface DeleteRequest {
  op: 2 | 20;
  path: string;
  version: number;
}
export interface ExistsRequest {
  op: 3;
  path: string;
  watch: boolean;
}
export interface GetDataRequest {
  op: 4;
  path: string;
  watch: boolean;
}
export interface SetDataRequest {
  op: 5;
  path: string;
  data: Uint8Array;
  version: number;
}
export interface GetAclRequest {
  op: 6;
  path: string;
}
export interface SetAclRequest {
  op: 7;
  path: string;
  acl: Acl[];
  version: number;
}
/** getChildren (8) and getChildren2 (12) share a body. */
export interface GetChildrenRequest {
  op: 8 | 12;
  path: string;
  watch: boolean;
}
export interface SyncRequest {
  op: 9;
  path: string;
}
export interface PingRequest {
  op: 11;
}
export interface CheckVersionRequest {
  op: 13;
  path: string;
  version: number;
}
/** A multi (14) holds create/create2/createContainer/createTTL/delete/setData/check ops; multiRead (22) holds getChildren/getData. */
export type MultiOp = CreateRequest | DeleteRequest | SetDataRequest | CheckVersionRequest;
export type MultiReadOp = GetChildrenRequest | GetDataRequest;
export interface MultiRequest {
  op: 14;
  ops: MultiOp[];
}
export interface MultiReadRequest {
  op: 22;
  ops: MultiReadOp[];
}
/** checkWatches (17) and removeWatches (18): type is a WatcherType. */
export interface RemoveWatchesRequest {
  op: 17 | 18;
  path: string;
  type: number;
}
export interface AuthRequest {
  op: 100;
  type: number;
  scheme: string;
  auth: Uint8Array;
}
export interface SetWatchesRequest {
  op: 101;
  relativeZxid: bigint;
  dataWatches: string[];
  existWatches: string[];
  childWatches: string[];
}
export interface SetWatches2Request {
  op: 105;
  relativeZxid: bigint;
  dataWatches: string[];
  existWatches: string[];
  childWatches: string[];
  persistentWatches: string[];
  persistentRecursiveWatches: string[];
}
export interface GetEphemeralsRequest {
  op: 103;
  prefixPath: string;
}
export interface GetAllChildrenNumberRequest {
  op: 104;
  path: string;
}
export interface AddWatchRequest {
  op: 106;
  path: string;
  mode: number;
}
export interface WhoAmIRequest {
  op: 107;
}
export interface CloseSessionRequest {
  op: -11;
}

export type Request =
  | CreateRequest
  | DeleteRequest
  | ExistsRequest
  | GetDataRequest
  | SetDataRequest
  | GetAclRequest
  | SetAclRequest
  | GetChildrenRequest
  | SyncRequest
  | PingRequest
  | CheckVersionRequest
  | MultiRequest
  | MultiReadRequest
  | RemoveWatchesRequest
  | AuthRequest
  | SetWatchesRequest
  | SetWatches2Request
  | GetEphemeralsRequest
  | GetAllChildrenNumberRequest
  | AddWatchRequest
  | WhoAmIRequest
  | CloseSessionRequest;

// ---- Responses: the body that follows a ReplyHeader with err = 0, by the request's opcode. ----

/** create (1) answers the created path; create2/createContainer/createTTL answer path + stat (Create2Response). */
export interface CreateResponse {
  op: 1;
  path: string;
}
export interface Create2Response {
  op: 15 | 19 | 21;
  path: string;
  stat: Stat;
}
/** exists (3), setData (5), setACL (7): a Stat. */
export interface StatResponse {
  op: 3 | 5 | 7;
  stat: Stat;
}
export interface GetDataResponse {
  op: 4;
  data: Uint8Array;
  stat: Stat;
}
export interface GetAclResponse {
  op: 6;
  acl: Acl[];
  stat: Stat;
}
export interface GetChildrenResponse {
  op: 8;
  children: string[];
}
export interface GetChildren2Response {
  op: 12;
  children: string[];
  stat: Stat;
}
export interface SyncResponse {
  op: 9;
  path: string;
}
/**
 * Opcodes whose success has no body: delete, deleteContainer, ping, check, removeWatches, checkWatches, auth,
 * setWatches(2), closeSession. Exception on the wire: addWatch (106) is answered with ErrorResponse{err: 0},
 * four bytes that the codec writes and reads for it.
 */
export interface EmptyResponse {
  op: 2 | 20 | 11 | 13 | 17 | 18 | 100 | 101 | 105 | 106 | -11;
}
/**
 * One result inside a multi / multiRead reply. `{op: -1, err}` is ZooKeeper's ErrorResult (a failed op's code;
 * in a failed multi, ops before the failing one carry err 0 and ops after it runtimeInconsistency).
 * createContainer/createTTL results are sent labelled create2 (15); exists/setACL Stats cannot occur here.
 */
export type MultiResult =
  | CreateResponse
  | Create2Response
  | { op: 2 }
  | { op: 13 }
  | StatResponse
  | GetDataResponse
  | GetChildrenResponse
  | { op: -1; err: number };
export interface MultiResponse {
  op: 14 | 22;
  results: MultiResult[];
}
export interface GetEphemeralsResponse {
  op: 103;
  ephemerals: string[];
}
export interface GetAllChildrenNumberResponse {
  op: 104;
  totalNumber: number;
}
export interface ClientInfo {
  authScheme: string;
  user: string;
}
export interface WhoAmIResponse {
  op: 107;
  clientInfo: ClientInfo[];
}

export type Response =
  | CreateResponse
  | Create2Response
  | StatResponse
  | GetDataResponse
  | GetAclResponse
  | GetChildrenResponse
  | GetChildren2Response
  | SyncResponse
  | EmptyResponse
  | MultiResponse
  | GetEphemeralsResponse
  | GetAllChildrenNumberResponse
  | WhoAmIResponse;
