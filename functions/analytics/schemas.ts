import * as z from 'zod/mini';
import type { OperationSchemas } from '../../shared/http/api-handler.js';
import { INDICATOR_NAMES } from '../../shared/analytics/evaluation-indicators.js';
import { agencyUscc, insightsSchema, periodText, regionCode } from './insights-schemas.js';


const indicator = z.object({
  name: z.enum(INDICATOR_NAMES),
  group: z.string(),
  value: z.nullable(z.number()),
  numerator: z.nullable(z.number()),
  denominator: z.nullable(z.number()),
  unit: z.enum(['ratio', 'count', 'days', 'ms']),
  direction: z.enum(['higher-is-better', 'lower-is-better', 'neutral']),
  formula: z.string(),
  suppressed: z.boolean(),
  weight: z.number(),
});

export const analyticsSchemas = {
  getEvaluation: {
    query: z.object({ period: periodText, region: z.optional(regionCode), agency: z.optional(agencyUscc) }),
    response: z.object({
      period: z.object({ text: z.string(), from: z.string(), to: z.string() }),
      region: z.optional(z.string()),
      agency: z.optional(z.string()),
      indicators: z.array(indicator),
      score: z.object({ value: z.nullable(z.number()), formula: z.string(), weightsUsed: z.number() }),
      suppression: z.object({ minimumPeople: z.number(), rule: z.string() }),
      aggregatedUntil: z.nullable(z.string()),
    }),
  },
  getInsights: insightsSchema,
} as const satisfies OperationSchemas<'analytics'>;
