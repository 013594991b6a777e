import { regionTable } from '../../regions/region-table.js';
import type { AnalyticsRepository, StoredCell } from '../analytics-repository.js';
import { MIN_PEOPLE } from '../evaluation-facts.js';
import { SUPPRESSION_RULE } from '../evaluation-indicators.js';
import { parsePeriod, regionPrefix, type EvaluationPeriod } from '../evaluation-period.js';
import { ANOMALY_RULE, anomalyBuckets, certificateReuseOf, computeInsights, INSIGHT_KINDS, type InsightKind, type Insights } from './compute-insights.js';
import type { InsightCell, LifeEventJourney } from './insight-facts.js';
import type { InsightRepository } from './insight-repository.js';
import type { RecommendationRepository } from '../../user-center/recommendation-repository.js';
import { recommendationFollowRate } from '../recommendation-follow-rate.js';

export interface InsightsRequest {
  readonly period: string;
  readonly region?: string;
  readonly agency?: string;
  /** one kind; every kind when absent */
  readonly kind?: InsightKind;
  /** how many hot spots (10 unless given) */
  readonly top?: number;
}

/** how many hot spots a report holds unless asked otherwise (the stored reports hold this many) */
export const DEFAULT_TOP = 10;

/** the section of the report each kind fills */
const SECTION: Record<InsightKind, keyof Insights> = {
  hotspots: 'hotspots',
  seasonal: 'seasonal',
  bottlenecks: 'bottlenecks',
  spatial: 'spatial',
  anomalies: 'anomalies',
  'business-environment': 'businessEnvironment',
};

/** the per-month aggregates of a period that a report is computed from */
export interface InsightMonth {
  readonly cells: readonly InsightCell[];
  readonly journeys: readonly LifeEventJourney[];
  readonly evaluation: readonly StoredCell[];
}

/** Computes the asked kinds of a period from its months' aggregates: the one computation of the request path and of the stored reports. */
export function insightsOfMonths(period: EvaluationPeriod, months: readonly InsightMonth[], kinds: readonly InsightKind[], top: number): Insights {
  return computeInsights(
    {
      period,
      cells: months.flatMap((month) => month.cells),
      journeys: months.flatMap((month) => month.journeys),
      reuse: certificateReuseOf(months.flatMap((month) => month.evaluation)),
      regions: regionTable(),
      top,
    },
    kinds,
  );
}

/** the scope of the stored report that answers a request: the platform (`*`) or a province prefix; none for an agency, a city, a county or another top */
function storedScope(request: InsightsRequest, prefix: string | undefined): string | undefined {
  if (request.agency || (request.top ?? DEFAULT_TOP) !== DEFAULT_TOP) return undefined;
  if (prefix === undefined) return '*';
  return prefix.length === 2 ? prefix : undefined;
}

/**
 * The analysis insights (GB/T 39047 6.2.7 b statistics and mining, c decision analysis) of a
 * period, region and agency, from the stored aggregates only:
 * 1. parse the period (422 on a bad one) into its months;
 * 2. without an agency, for the platform or a province (and the default top): take the asked kinds
 *    from the full report the scheduled aggregation stored for the period (aggregate-insights.ts,
 *    computed by the same insightsOfMonths from the same aggregates) and go on at 4; otherwise,
 *    or when no whole report is stored, per month, read the insight cells and the journeys of the
 *    region (GB/T 2260 prefix) and keep the agency's cells; for business environment also the
 *    evaluation's cells (certificates issued and used);
 * 3. compute the asked kinds (compute-insights.ts), suppressing small cells by the evaluation's rule;
 * 4. the full report (every kind, no agency) adds the follow rate of next-item recommendations
 *    (recommendation-follow-rate.ts) from the user-center month listings.
 *
 * Where the answers come from: locally and in AWS alike, this route answers every kind from the
 * DynamoDB aggregates the hourly aggregation keeps (the analytics table: `INSIGHT#`, `JOURNEY#`
 * and the evaluation's `CELL#` rows), so a year is 12 queries per row type — or, for the platform
 * and the provinces, the one stored report (`REPORT#`). In AWS the raw case,
 * certificate and access events are also archived to S3 for Athena (infra/stacks/analytics-lake.ts),
 * whose named queries (infra/athena/) recompute the same kinds from the events for ad-hoc work
 * beyond what the aggregates keep (other groupings, ranges, hours):
 * hotspots → hot-spots-by-region-item; seasonal → monthly-seasonality; bottlenecks →
 * bottleneck-waits-by-state; anomalies → anomaly-base-series (per-item daily series with a trailing
 * 28-day mean/stddev z-score; the flags here use the robust median/MAD rule of ANOMALY_RULE). spatial and business-environment have no named query: they answer from the
 * aggregates only (spatial is hot spots rolled up by region prefix; journeys and certificate
 * reuse need the per-applicant and per-certificate joins the aggregation does). Journeys have no
 * agency: the agency filter leaves them out.
 *
 * Staleness: a stored report changes only when the schedule runs, exactly like the cells and
 * journeys it is computed from, so answering from it gives what computing would give at the same
 * moment (`aggregatedUntil` says when that was); only the recommendation follow rate is read live.
 */
export async function getInsights(
  deps: { insights: InsightRepository; analytics: Pick<AnalyticsRepository, 'cells'>; recommendations?: Pick<RecommendationRepository, 'sentIn'> },
  request: InsightsRequest,
) {
  const period = parsePeriod(request.period);
  const prefix = request.region ? regionPrefix(request.region) : undefined;
  const kinds: readonly InsightKind[] = request.kind ? [request.kind] : INSIGHT_KINDS;
  const businessEnvironment = kinds.includes('business-environment');
  const byAgency = <T extends { agency: string }>(rows: readonly T[]) => (request.agency ? rows.filter((row) => row.agency === request.agency) : rows);
  const scope = storedScope(request, prefix);
  const stored = scope ? await deps.insights.report<Insights>(period.text, scope) : undefined;
  const insights = stored
    ? (Object.fromEntries(kinds.map((kind) => [SECTION[kind], stored[SECTION[kind]]])) as Insights)
    : insightsOfMonths(
        period,
        await Promise.all(
          period.months.map(async (month) => ({
            cells: byAgency((await deps.insights.cells(month, prefix)).map((row) => row.value)),
            journeys: businessEnvironment && !request.agency ? (await deps.insights.journeys(month, prefix)).map((row) => row.value) : [],
            evaluation: businessEnvironment ? (await deps.analytics.cells(month, prefix)).filter(({ key }) => !request.agency || key.agency === request.agency) : [],
          })),
        ),
        kinds,
        request.top ?? DEFAULT_TOP,
      );
  const run = await deps.insights.lastRun();
  // the follow rate of next-item recommendations (6.2.7 a) joins the full report; recommendations are kept by region, not by agency
  const recommendations =
    deps.recommendations && !request.kind && !request.agency
      ? await recommendationFollowRate({ recommendations: deps.recommendations }, { from: period.from, to: period.to, ...(request.region ? { region: request.region } : {}) })
      : undefined;
  return {
    period: { text: period.text, from: period.from, to: period.to },
    ...(request.region ? { region: request.region } : {}),
    ...(request.agency ? { agency: request.agency } : {}),
    kinds: [...kinds],
    suppression: { minimumPeople: MIN_PEOPLE, rule: SUPPRESSION_RULE },
    ...(kinds.includes('anomalies') ? { anomalyRule: { text: ANOMALY_RULE, granularity: anomalyBuckets(period).granularity } } : {}),
    aggregatedUntil: run?.completedAt ?? null,
    ...insights,
    ...(recommendations ? { recommendations } : {}),
  };
}
