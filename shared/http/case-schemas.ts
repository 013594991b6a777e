import * as z from 'zod/mini';

/** Request and response fields the case functions share, so each rule is written once (the case views are in case-view-schemas.ts). */

export const caseNo = z.string().check(z.regex(/^\d{6}-\d{8}-[0-9A-HJKMNP-TV-Z]{8}$/, 'must be a case number like 330106-20261127-0K3F9Q7B'));
export const caseNoParams = z.object({ caseNo });

/** page size in a query string (1 to 100) */
export const pageLimit = z.string().check(z.regex(/^([1-9]|[1-9]\d|100)$/, 'must be a whole number from 1 to 100'));
export const pageCursor = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,2048}$/, 'must be a cursor this API returned'));

export const materialReference = z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  blobId: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be the blobId of an upload')),
});

export const materialView = z.object({
  materialId: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number(),
  sha256: z.string(),
  status: z.enum(['received', 'referenced']),
  addedAt: z.string(),
});

export const rectificationView = z.object({
  rectificationId: z.string(),
  state: z.enum(['open', 'done']),
  deadline: z.string(),
  outcome: z.optional(z.string()),
  completedAt: z.optional(z.string()),
});

export const evaluationView = z.object({
  score: z.number(),
  dimensions: z.object({ process: z.number(), result: z.number(), efficiency: z.number() }),
  comment: z.optional(z.string()),
  at: z.string(),
  rectification: z.optional(rectificationView),
});

