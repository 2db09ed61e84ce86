// One place that turns every error into the contract's body: HTTP exceptions as they are, ZooKeeper errors to
// their HTTP codes, and anything else to a 500 that is logged (that is a bug in our code, not bad input).
import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import {
  BadArgumentsError,
  BadVersionError,
  ConnectionLossError,
  InvalidAclError,
  NoAuthError,
  NoChildrenForEphemeralsError,
  NodeExistsError,
  NoNodeError,
  NotEmptyError,
  OperationTimeoutError,
  SessionExpiredError,
  SessionMovedError,
  ZooKeeperError,
} from '@zk/sdk';
import type { Request, Response } from 'express';
import type { Logger } from '../../util/logger';
import { errorBody, type ErrorBody } from './http-errors';

/** ZooKeeper's errors as HTTP: the table of the contract (Tree section), plus 503 for a member that cannot serve. */
export function zooKeeperErrorToHttp(error: ZooKeeperError): ErrorBody {
  const where = error.path ? ` (${error.path})` : '';
  if (error instanceof NoNodeError) return errorBody(404, `no such node${where}`);
  if (error instanceof NodeExistsError) return errorBody(409, `the node already exists${where}`);
  if (error instanceof BadVersionError) return errorBody(412, `the version does not match${where}: read it again and retry with the current version`, { code: 'VERSION_CONFLICT' });
  if (error instanceof NotEmptyError) return errorBody(409, `the node has children${where}: delete them first or pass recursive=true`);
  if (error instanceof NoAuthError) return errorBody(403, `the node's ACL does not allow this${where}`);
  if (error instanceof NoChildrenForEphemeralsError) return errorBody(400, `ephemeral nodes cannot have children${where}`);
  if (error instanceof InvalidAclError) return errorBody(400, `the ACL is not valid${where}`);
  if (error instanceof BadArgumentsError) return errorBody(400, `the server refused the arguments${where}: ${error.message}`);
  if (error instanceof ConnectionLossError || error instanceof SessionExpiredError || error instanceof SessionMovedError || error instanceof OperationTimeoutError) {
    return errorBody(503, `this member lost its connection to the ensemble (${error.message}); try another member`);
  }
  return errorBody(503, `the ensemble refused the request: ${error.message}`);
}

@Catch()
export class PlatformExceptionFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const body = this.toBody(exception, request);
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, request: Request): ErrorBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const answer = exception.getResponse();
      if (typeof answer === 'object' && answer !== null) {
        const record = answer as Record<string, unknown>;
        const message = Array.isArray(record['message']) ? record['message'].join('; ') : String(record['message'] ?? exception.message);
        return { ...record, ...errorBody(status, message, record['code'] === undefined ? {} : { code: record['code'] }) } as ErrorBody;
      }
      return errorBody(status, String(answer));
    }
    if (exception instanceof ZooKeeperError) return zooKeeperErrorToHttp(exception);
    const parserError = bodyParserError(exception);
    if (parserError) return parserError;
    this.log.error('unexpected error answering an HTTP request', { method: request.method, url: request.originalUrl, error: (exception as Error)?.stack ?? String(exception) });
    return errorBody(500, 'internal error: this is a bug in the coordinator; it has been logged');
  }
}

/** Errors of the body parser (too large, not JSON): they carry an HTTP status and a type. */
export function bodyParserError(error: unknown): ErrorBody | undefined {
  const record = error as { status?: unknown; type?: unknown; message?: unknown; limit?: unknown };
  if (typeof record?.type !== 'string' || typeof record.status !== 'number') return undefined;
  if (record.type === 'entity.too.large') return errorBody(413, `the request body is larger than ${String(record.limit)} bytes (1 MiB)`);
  if (record.type === 'entity.parse.failed') return errorBody(400, `the request body is not valid JSON: ${String(record.message)}`);
  if (record.status >= 400 && record.status < 500) return errorBody(record.status, String(record.message));
  return undefined;
}
