// The contract's error body and the exceptions that produce it: { statusCode, error, message, code? } plus extras.
import { HttpException, HttpStatus } from '@nestjs/common';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  [extra: string]: unknown;
}

export function errorBody(statusCode: number, message: string, extra: Record<string, unknown> = {}): ErrorBody {
  return { statusCode, error: REASONS[statusCode] ?? 'Error', message, ...extra };
}

/** An HTTP error with the contract's body. */
export class ApiError extends HttpException {
  constructor(statusCode: number, message: string, extra: Record<string, unknown> = {}) {
    super(errorBody(statusCode, message, extra), statusCode);
  }
}

export const badRequest = (message: string): ApiError => new ApiError(HttpStatus.BAD_REQUEST, message);
export const notFound = (message: string): ApiError => new ApiError(HttpStatus.NOT_FOUND, message);
export const conflict = (message: string): ApiError => new ApiError(HttpStatus.CONFLICT, message);
export const versionConflict = (what: string, currentVersion: number | null): ApiError =>
  new ApiError(HttpStatus.PRECONDITION_FAILED, `${what} has changed: its version is now ${currentVersion ?? 'none (it does not exist)'}; read it again and retry with that If-Match`, {
    code: 'VERSION_CONFLICT',
    currentVersion,
  });
export const notServing = (message: string, extra: Record<string, unknown> = {}): ApiError => new ApiError(HttpStatus.SERVICE_UNAVAILABLE, message, extra);
