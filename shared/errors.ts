/**
 * Domain errors. Use cases throw these; the HTTP stack maps each kind to one status code
 * (shared/http/error-response.ts) and queue consumers decide retry vs quarantine from the kind.
 */
export type ErrorKind =
  | 'malformed' // 400: the request cannot be read (bad JSON, bad encoding)
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'method_not_allowed' // 405
  | 'conflict' // 409: uniqueness, stale version, illegal state transition
  | 'too_large' // 413
  | 'unsupported_media_type' // 415
  | 'invalid' // 422: a field fails validation
  | 'rate_limited' // 429
  | 'unavailable'; // 503: a dependency is down

export interface FieldIssue {
  /** dotted path of the failing field, e.g. "representative.idNumber" */
  readonly field: string;
  readonly message: string;
}

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** stable machine-readable code, e.g. "level_too_low" */
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export class ValidationError extends AppError {
  constructor(readonly issues: readonly FieldIssue[], message = 'The request has invalid fields') {
    super('invalid', 'validation_failed', message, issues);
  }
}

export const malformed = (message: string, code = 'malformed_request') => new AppError('malformed', code, message);
export const unauthenticated = (message = 'Authentication is required', code = 'unauthenticated') =>
  new AppError('unauthenticated', code, message);
export const forbidden = (message = 'You may not do this', code = 'forbidden') => new AppError('forbidden', code, message);
export const notFound = (message = 'Not found', code = 'not_found') => new AppError('not_found', code, message);
export const conflict = (message: string, code = 'conflict') => new AppError('conflict', code, message);
export const tooLarge = (message: string, code = 'payload_too_large') => new AppError('too_large', code, message);
export const unsupportedMediaType = (message: string) => new AppError('unsupported_media_type', 'unsupported_media_type', message);
export const rateLimited = (message: string, code = 'rate_limited') => new AppError('rate_limited', code, message);
export const invalidField = (field: string, message: string) => new ValidationError([{ field, message }]);
