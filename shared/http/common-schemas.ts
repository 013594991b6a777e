import * as z from 'zod/mini';

/** Schemas reused across functions, so each rule is written once. */
export const sha256Hex = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex SHA-256 (64 characters)'));

export const isoDateTime = z.string().check(z.iso.datetime({ offset: true }));

export const ulidId = z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be an id issued by this platform'));

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.optional(z.unknown()) }),
});
