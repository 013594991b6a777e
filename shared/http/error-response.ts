import { AppError, type ErrorKind } from '../errors.js';

const statusOf: Record<ErrorKind, number> = {
  malformed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  invalid: 422,
  rate_limited: 429,
  unavailable: 503,
};

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
}

/** The one mapping from errors to HTTP: domain errors keep their code; anything else is a 500 without internals. */
export function errorResponse(error: unknown): { status: number; body: ErrorBody; expected: boolean } {
  if (error instanceof AppError) {
    const body: ErrorBody = {
      error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) },
    };
    return { status: statusOf[error.kind], body, expected: true };
  }
  return { status: 500, body: { error: { code: 'internal_error', message: 'Something went wrong on our side' } }, expected: false };
}
