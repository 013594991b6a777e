import type { AnalyticsRepository } from './analytics-repository.js';
import { addCatalogCounters, emptyCatalogCounters, type CatalogCounters } from './catalog-facts.js';
import { MIN_PEOPLE, mergeCells, type EvaluationCell } from './evaluation-facts.js';
import { computeIndicators, evaluationScore, SUPPRESSION_RULE, type AccessCounters } from './evaluation-indicators.js';
import { parsePeriod, regionPrefix } from './evaluation-period.js';
import type { IndicatorWeights } from './evaluation-settings.js';

export interface EvaluationRequest {
  readonly period: string;
  readonly region?: string;
  readonly agency?: string;
}

/**
 * The service evaluation of a region, an agency (or both) and a period, from the stored aggregates:
 * 1. parse the period (422 on a bad one) into its months;
 * 2. per month, read the agency's cells (within the region, when both are given), else the rollup
 *    of the region or the platform; merge the cells of every month;
 * 3. take the catalog snapshot (of the region, the agency's) of the latest month of the period
 *    that has one; sum the platform's access totals of the months;
 * 4. compute the indicators (suppressing small cells) and the weighted score.
 */
export async function getEvaluation(deps: { analytics: AnalyticsRepository; weights: IndicatorWeights }, request: EvaluationRequest) {
  const period = parsePeriod(request.period);
  const prefix = request.region ? regionPrefix(request.region) : undefined;
  const matches = (key: { agency: string }) => !request.agency || key.agency === request.agency;
  const cellsOf = async (month: string): Promise<EvaluationCell[]> => {
    if (request.agency) return (await deps.analytics.agencyCells(request.agency, month)).filter(({ key }) => !prefix || key.region.startsWith(prefix)).map(({ cell }) => cell);
    const rollup = await deps.analytics.rollup(month, prefix ?? '*');
    return rollup ? [rollup] : [];
  };
  const months = await Promise.all(period.months.map(async (month) => ({ cells: await cellsOf(month), access: await deps.analytics.access(month) })));
  let latestSnapshot: { counters: CatalogCounters }[] | undefined;
  for (const month of [...period.months].reverse()) {
    const snapshot = (await deps.analytics.catalog(month, prefix)).filter(({ key }) => matches(key));
    if (snapshot.length > 0) {
      latestSnapshot = snapshot;
      break;
    }
  }
  const catalog: CatalogCounters | undefined = latestSnapshot?.reduce((sum, { counters }) => addCatalogCounters(sum, counters), emptyCatalogCounters());
  const access = months.reduce<AccessCounters | undefined>(
    (sum, { access: month }) =>
      !month ? sum : !sum ? month : { requests: sum.requests + month.requests, failures: sum.failures + month.failures, serverErrors: sum.serverErrors + month.serverErrors, latencySumMs: sum.latencySumMs + month.latencySumMs },
    undefined,
  );
  const indicators = computeIndicators({ cases: mergeCells(months.flatMap((month) => month.cells)), catalog, access }, deps.weights);
  const run = await deps.analytics.lastRun();
  return {
    period: { text: period.text, from: period.from, to: period.to },
    ...(request.region ? { region: request.region } : {}),
    ...(request.agency ? { agency: request.agency } : {}),
    indicators,
    score: evaluationScore(indicators),
    suppression: { minimumPeople: MIN_PEOPLE, rule: SUPPRESSION_RULE },
    aggregatedUntil: run?.completedAt ?? null,
  };
}
