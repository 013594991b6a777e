import * as z from 'zod/mini';
import type { OperationSchemas } from '../../shared/http/api-handler.js';
import { ALERT_KINDS } from '../../shared/cases/supervision-rules.js';
import { pageCursor, pageLimit } from '../../shared/http/case-schemas.js';

const alertKind = z.enum(ALERT_KINDS);

export const supervisionSchemas = {
  listSupervisionAlerts: {
    query: z.object({
      agency: z.optional(z.string().check(z.regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'must be a unified social credit code'))),
      kind: z.optional(alertKind),
      limit: z.optional(pageLimit),
      cursor: z.optional(pageCursor),
    }),
    response: z.object({
      alerts: z.array(
        z.object({
          alertId: z.string(),
          kind: alertKind,
          agency: z.string(),
          caseNo: z.optional(z.string()),
          itemCode: z.string(),
          region: z.string(),
          detail: z.string(),
          raisedAt: z.string(),
        }),
      ),
      nextCursor: z.optional(z.string()),
    }),
  },
} as const satisfies OperationSchemas<'supervision'>;
