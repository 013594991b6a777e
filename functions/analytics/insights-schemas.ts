import * as z from 'zod/mini';
import { INSIGHT_KINDS } from '../../shared/analytics/insights/compute-insights.js';
import type { OperationSchema } from '../../shared/http/api-handler.js';

/** the filters every analytics route takes */
export const regionCode = z.string().check(z.regex(/^\d{6}$/, 'must be a GB/T 2260 region code'));
export const agencyUscc = z.string().check(z.regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'must be a unified social credit code'));
/** checked again, with the reason, by parsePeriod (422 on a bad value) */
export const periodText = z.string().check(z.minLength(4), z.maxLength(7));

const count = z.nullable(z.number());
const figure = z.nullable(z.number());
const seasonalRow = z.object({ bucket: z.string(), cases: count, share: figure, suppressed: z.boolean() });
const followRateRow = z.object({ period: z.string(), itemCode: z.optional(z.string()), sent: count, followed: count, rate: figure, suppressed: z.boolean() });

/** GET /v1/analytics/insights: JSON by default, the flat CSV of shared/analytics/insights/insights-csv.ts with `format=csv` */
export const insightsSchema = {
  query: z.object({
    period: periodText,
    region: z.optional(regionCode),
    agency: z.optional(agencyUscc),
    kind: z.optional(z.enum(INSIGHT_KINDS)),
    format: z.optional(z.enum(['json', 'csv'])),
    top: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100))),
  }),
  response: z.object({
    period: z.object({ text: z.string(), from: z.string(), to: z.string() }),
    region: z.optional(z.string()),
    agency: z.optional(z.string()),
    kinds: z.array(z.enum(INSIGHT_KINDS)),
    suppression: z.object({ minimumPeople: z.number(), rule: z.string() }),
    anomalyRule: z.optional(z.object({ text: z.string(), granularity: z.enum(['day', 'week']) })),
    aggregatedUntil: z.nullable(z.string()),
    hotspots: z.optional(z.array(z.object({ region: z.string(), itemCode: z.string(), cases: count, share: figure, suppressed: z.boolean() }))),
    seasonal: z.optional(z.object({ months: z.array(seasonalRow), weekdays: z.array(seasonalRow) })),
    bottlenecks: z.optional(z.array(z.object({ state: z.string(), stays: count, medianHours: figure, meanHours: figure, p90Hours: figure, suppressed: z.boolean() }))),
    spatial: z.optional(
      z.array(z.object({ region: z.string(), name: z.string(), level: z.enum(['province', 'city', 'county']), cases: count, share: figure, refusalRate: figure, suppressed: z.boolean() })),
    ),
    anomalies: z.optional(
      z.array(
        z.object({
          dimension: z.enum(['region', 'agency']),
          key: z.string(),
          measure: z.enum(['volume', 'refusal-rate']),
          bucket: z.string(),
          value: figure,
          baseline: z.number(),
          score: z.number(),
          suppressed: z.boolean(),
        }),
      ),
    ),
    recommendations: z.optional(
      z.object({ from: z.string(), to: z.string(), definition: z.string(), minCellPeople: z.number(), periods: z.array(followRateRow), byItem: z.array(followRateRow) }),
    ),
    businessEnvironment: z.optional(
      z.object({
        establishment: z.array(z.object({ region: z.string(), approved: count, medianDays: figure, meanDays: figure, suppressed: z.boolean() })),
        openingABusiness: z.array(z.object({ region: z.string(), journeys: count, completed: count, meanSteps: figure, medianDays: figure, meanDays: figure, suppressed: z.boolean() })),
        certificateReuse: z.array(z.object({ region: z.string(), issued: count, uses: count, usesPerCertificate: figure, suppressed: z.boolean() })),
      }),
    ),
  }),
  produces: 'text/csv',
} as const satisfies OperationSchema;
