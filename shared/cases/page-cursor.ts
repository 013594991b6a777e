import { invalidField } from '../errors.js';

/** A page position as an opaque token: the last key a query read, as base64url JSON. */
export function encodePageCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * The key a cursor holds, if it is one of the listing that reads the index partition named:
 * another listing's cursor (another applicant's, another agency's) is refused with 422.
 */
export function decodePageCursor(cursor: string, attribute: string, partition: string): Record<string, string> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const valid = typeof key === 'object' && key !== null && !Array.isArray(key) && Object.values(key).every((value) => typeof value === 'string');
  if (!valid || (key as Record<string, string>)[attribute] !== partition) throw invalidField('cursor', 'is not a cursor of this listing');
  return key as Record<string, string>;
}
