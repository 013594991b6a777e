import * as z from 'zod/mini';

/** Schemas reused across functions, so each rule is written once. */
export const sha256Hex = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex SHA-256 (64 characters)'));

export const isoDateTime = z.string().check(z.iso.datetime({ offset: true }));

export const ulidId = z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be an id issued by this platform'));

/** base64 (RFC 4648, padded) of at most `maxBytes` bytes */
export const base64Bytes = (maxBytes: number) =>
  z.string().check(z.minLength(4), z.maxLength(Math.ceil(maxBytes / 3) * 4), z.regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'must be base64'));

/** page size of a list query: 1 to 500 */
export const pageLimit = z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(500)));

/** the opaque cursor a list returned for its next page */
export const pageCursor = z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,1024}$/, 'must be a cursor returned by the previous page')));

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.optional(z.unknown()) }),
});
