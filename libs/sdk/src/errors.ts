// Typed errors, one class per ZooKeeper error code (KeeperException's subclasses), each with the wire `code`.
// `errorFromCode` maps a reply's err to its class; callers test with `instanceof` or `error.code`.
import { ErrorCode, errorName } from '@zk/wire';

/** Any failure the server (or the session) reports with one of ZooKeeper's codes. */
export class ZooKeeperError extends Error {
  /** ZooKeeper's camel-cased name of the code, e.g. "noNode". */
  readonly codeName: string;
  /** For a failed multi: the per-op results (first failing op carries its code). */
  results?: readonly unknown[];

  constructor(
    readonly code: number,
    readonly path?: string,
    message?: string,
  ) {
    super(message ?? `${errorName(code)} (${code})${path === undefined ? '' : ` for ${path}`}`);
    this.codeName = errorName(code);
  }

  override get name(): string {
    return this.constructor.name;
  }
}

type ErrorClass = new (path?: string, message?: string) => ZooKeeperError;

function defineError(code: number): ErrorClass {
  return class extends ZooKeeperError {
    constructor(path?: string, message?: string) {
      super(code, path, message);
    }
  };
}

// Named classes (so `instanceof NoNodeError` works and stack traces say which). Each is one code.
export class SystemError extends defineError(ErrorCode.systemError) {}
export class RuntimeInconsistencyError extends defineError(ErrorCode.runtimeInconsistency) {}
export class DataInconsistencyError extends defineError(ErrorCode.dataInconsistency) {}
/** The connection dropped before the reply came: the request may or may not have been applied. */
export class ConnectionLossError extends defineError(ErrorCode.connectionLoss) {}
export class MarshallingError extends defineError(ErrorCode.marshallingError) {}
export class UnimplementedError extends defineError(ErrorCode.unimplemented) {}
export class OperationTimeoutError extends defineError(ErrorCode.operationTimeout) {}
export class BadArgumentsError extends defineError(ErrorCode.badArguments) {}
export class UnknownSessionError extends defineError(ErrorCode.unknownSession) {}
export class NewConfigNoQuorumError extends defineError(ErrorCode.newConfigNoQuorum) {}
export class ReconfigInProgressError extends defineError(ErrorCode.reconfigInProgress) {}
export class ApiError extends defineError(ErrorCode.apiError) {}
export class NoNodeError extends defineError(ErrorCode.noNode) {}
export class NoAuthError extends defineError(ErrorCode.noAuth) {}
export class BadVersionError extends defineError(ErrorCode.badVersion) {}
export class NoChildrenForEphemeralsError extends defineError(ErrorCode.noChildrenForEphemerals) {}
export class NodeExistsError extends defineError(ErrorCode.nodeExists) {}
export class NotEmptyError extends defineError(ErrorCode.notEmpty) {}
export class SessionExpiredError extends defineError(ErrorCode.sessionExpired) {}
export class InvalidCallbackError extends defineError(ErrorCode.invalidCallback) {}
export class InvalidAclError extends defineError(ErrorCode.invalidACL) {}
export class AuthFailedError extends defineError(ErrorCode.authFailed) {}
export class SessionMovedError extends defineError(ErrorCode.sessionMoved) {}
export class NotReadOnlyError extends defineError(ErrorCode.notReadOnly) {}
export class EphemeralOnLocalSessionError extends defineError(ErrorCode.ephemeralOnLocalSession) {}
export class NoWatcherError extends defineError(ErrorCode.noWatcher) {}
export class RequestTimeoutError extends defineError(ErrorCode.requestTimeout) {}
export class ReconfigDisabledError extends defineError(ErrorCode.reconfigDisabled) {}
export class SessionClosedRequireSaslAuthError extends defineError(ErrorCode.sessionClosedRequireSaslAuth) {}
export class QuotaExceededError extends defineError(ErrorCode.quotaExceeded) {}
export class ThrottledOpError extends defineError(ErrorCode.throttledOp) {}

/** The client was closed by its owner; the request was never answered. Code: connectionLoss. */
export class ClientClosedError extends ConnectionLossError {
  constructor(message = 'the client is closed') {
    super(undefined, message);
  }
}

const classes = new Map<number, ErrorClass>([
  [ErrorCode.systemError, SystemError],
  [ErrorCode.runtimeInconsistency, RuntimeInconsistencyError],
  [ErrorCode.dataInconsistency, DataInconsistencyError],
  [ErrorCode.connectionLoss, ConnectionLossError],
  [ErrorCode.marshallingError, MarshallingError],
  [ErrorCode.unimplemented, UnimplementedError],
  [ErrorCode.operationTimeout, OperationTimeoutError],
  [ErrorCode.badArguments, BadArgumentsError],
  [ErrorCode.unknownSession, UnknownSessionError],
  [ErrorCode.newConfigNoQuorum, NewConfigNoQuorumError],
  [ErrorCode.reconfigInProgress, ReconfigInProgressError],
  [ErrorCode.apiError, ApiError],
  [ErrorCode.noNode, NoNodeError],
  [ErrorCode.noAuth, NoAuthError],
  [ErrorCode.badVersion, BadVersionError],
  [ErrorCode.noChildrenForEphemerals, NoChildrenForEphemeralsError],
  [ErrorCode.nodeExists, NodeExistsError],
  [ErrorCode.notEmpty, NotEmptyError],
  [ErrorCode.sessionExpired, SessionExpiredError],
  [ErrorCode.invalidCallback, InvalidCallbackError],
  [ErrorCode.invalidACL, InvalidAclError],
  [ErrorCode.authFailed, AuthFailedError],
  [ErrorCode.sessionMoved, SessionMovedError],
  [ErrorCode.notReadOnly, NotReadOnlyError],
  [ErrorCode.ephemeralOnLocalSession, EphemeralOnLocalSessionError],
  [ErrorCode.noWatcher, NoWatcherError],
  [ErrorCode.requestTimeout, RequestTimeoutError],
  [ErrorCode.reconfigDisabled, ReconfigDisabledError],
  [ErrorCode.sessionClosedRequireSaslAuth, SessionClosedRequireSaslAuthError],
  [ErrorCode.quotaExceeded, QuotaExceededError],
  [ErrorCode.throttledOp, ThrottledOpError],
]);

/** The typed error for a reply's `err` (never 0); unknown codes become a plain ZooKeeperError. */
export function errorFromCode(code: number, path?: string): ZooKeeperError {
  if (code === ErrorCode.ok) throw new RangeError('errorFromCode: code 0 is success, not an error');
  const errorClass = classes.get(code);
  return errorClass === undefined ? new ZooKeeperError(code, path) : new errorClass(path);
}
