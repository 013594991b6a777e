import * as z from 'zod/mini';
import type { OperationSchemas } from '../../shared/http/api-handler.js';
import { ACCESS_DIMENSIONS } from '../../shared/access/aggregate-access.js';

const day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'));

export const accessEventsSchemas = {
  getAccessStatistics: {
    query: z.object({ from: day, to: day, dimension: z.optional(z.enum(ACCESS_DIMENSIONS)) }),
    response: z.object({
      from: z.string(),
      to: z.string(),
      dimension: z.optional(z.enum(ACCESS_DIMENSIONS)),
      totals: z.object({ requests: z.number(), successes: z.number(), failures: z.number(), uniqueUsers: z.number(), averageLatencyMs: z.number() }),
      rows: z.array(z.object({ value: z.string(), count: z.number(), failures: z.number(), averageLatencyMs: z.number() })),
    }),
  },
} as const satisfies OperationSchemas<'access-events'>;
