import * as z from 'zod/mini';
import type { OperationSchemas } from '../../shared/http/api-handler.js';
import { caseNoParams, pageCursor, pageLimit, rectificationView } from '../../shared/http/case-schemas.js';
import { caseListView, caseState, caseView, expressView } from '../../shared/http/case-view-schemas.js';
import { regionCode } from '../../shared/http/catalog-schemas.js';
import { isoDateTime } from '../../shared/http/common-schemas.js';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const dayOrInstant = z.string().check(z.refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) || z.iso.datetime({ offset: true }).safeParse(value).success, 'must be a date (YYYY-MM-DD) or an ISO date-time'));

export const caseHandlingSchemas = {
  listStaffCases: {
    query: z.object({ state: z.optional(caseState), dueBefore: z.optional(dayOrInstant), limit: z.optional(pageLimit), cursor: z.optional(pageCursor) }),
    response: caseListView,
  },
  actOnCase: {
    params: caseNoParams,
    body: z.strictObject({
      action: text(40),
      comment: z.optional(text(2000)),
      reason: z.optional(text(2000)),
      result: z.optional(z.strictObject({ kind: z.enum(['certificate', 'document']), title: text(200), number: z.optional(text(100)) })),
      target: z.optional(z.union([z.strictObject({ region: regionCode }), z.strictObject({ platform: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a platform id')) })])),
      expectedVersion: z.optional(z.number().check(z.int(), z.minimum(1))),
    }),
    response: caseView,
  },
  recordCaseExpress: {
    params: caseNoParams,
    body: z.strictObject({
      carrier: text(100),
      trackingNo: z.string().check(z.regex(/^[A-Za-z0-9-]{4,40}$/, 'must be 4 to 40 letters, digits or dashes')),
      events: z._default(z.array(z.strictObject({ at: isoDateTime, description: text(500), location: z.optional(text(200)) })).check(z.maxLength(100)), []),
    }),
    response: expressView,
  },
  listRectifications: {
    query: z.object({ state: z._default(z.enum(['open', 'done']), 'open'), limit: z.optional(pageLimit) }),
    response: z.object({
      rectifications: z.array(
        z.object({
          rectificationId: z.string(),
          caseNo: z.string(),
          agency: z.string(),
          itemCode: z.string(),
          itemName: z.string(),
          score: z.number(),
          comment: z.optional(z.string()),
          deadline: z.string(),
          state: z.enum(['open', 'done']),
          outcome: z.optional(z.string()),
          createdAt: z.string(),
          completedAt: z.optional(z.string()),
        }),
      ),
    }),
  },
  completeRectification: {
    params: caseNoParams,
    body: z.strictObject({ outcome: text(2000) }),
    response: rectificationView,
  },
} as const satisfies OperationSchemas<'case-handling'>;
