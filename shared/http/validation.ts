import type { ZodMiniType } from 'zod/mini';
import { ValidationError, type FieldIssue } from '../errors.js';

interface ZodIssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly expected?: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly origin?: string;
  readonly values?: readonly unknown[];
  readonly keys?: readonly string[];
  readonly format?: string;
}

/**
 * Parses untrusted input with a schema; on failure throws a ValidationError (422) naming every
 * failing field. `prefix` places the fields ("query", "path") when they are not in the body.
 */
export function parseInput<T>(schema: ZodMiniType<T>, value: unknown, prefix?: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(result.error.issues.flatMap((issue) => describeIssue(issue as ZodIssueLike, prefix)));
}

function describeIssue(issue: ZodIssueLike, prefix?: string): FieldIssue[] {
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  if (issue.code === 'unrecognized_keys') {
    return (issue.keys ?? []).map((key) => ({ field: field ? `${field}.${key}` : key, message: 'is not a known field' }));
  }
  return [{ field: field || '(root)', message: messageOf(issue) }];
}

function messageOf(issue: ZodIssueLike): string {
  const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' entries' : '';
  switch (issue.code) {
    case 'invalid_type':
      return issue.message !== 'Invalid input' ? issue.message : `must be ${issue.expected ?? 'of another type'}`;
    case 'too_small':
      return issue.origin === 'string' && issue.minimum === 1 ? 'must not be empty' : `must be at least ${issue.minimum}${unit}`;
    case 'too_big':
      return `must be at most ${issue.maximum}${unit}`;
    case 'invalid_value':
      return `must be one of: ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.message !== 'Invalid input' ? issue.message : `must be a valid ${issue.format ?? 'value'}`;
    case 'not_multiple_of':
      return 'has too many decimals';
    default:
      return issue.message === 'Invalid input' ? 'is invalid' : issue.message;
  }
}
