import { evaluationFold, type AggregateEvaluationDependencies } from './aggregate-evaluation-facts.js';
import type { EvaluationSources } from './evaluation-sources.js';
import { insightsFold, type AggregateInsightsDependencies } from './insights/aggregate-insights.js';

export type AggregateAnalyticsDependencies = AggregateEvaluationDependencies & AggregateInsightsDependencies & { readonly sources: EvaluationSources };

/**
 * The scheduled aggregation of the analytics: the service evaluation (GB/T 39047 6.2.6) and the
 * analysis insights (6.2.7 b, c) fed by one pass over the records, so a run scans the cases —
 * at a million cases, the dominant cost — once.
 * 1. start the evaluation's fold and the insights' fold;
 * 2. read every page of certificates and their usage log into the evaluation's fold (before the
 *    cases: a case's facts say whether it got a certificate and which ones its agency read);
 * 3. read every case once and hand it to both folds;
 * 4. read every consult and complaint into the evaluation's fold;
 * 5. finish the evaluation (stored cells, rollups, catalog snapshot, access totals, its run), then
 *    the insights (stored cells and journeys, the full reports of the platform and the provinces,
 *    which read the evaluation's cells just stored, its run).
 */
export async function aggregateAnalytics(deps: AggregateAnalyticsDependencies) {
  const evaluation = evaluationFold(deps);
  const insights = insightsFold(deps);
  for await (const page of deps.sources.certificates()) evaluation.addCertificatePage(page);
  for await (const page of deps.sources.cases()) {
    for (const record of page) {
      evaluation.addCase(record);
      insights.addCase(record);
    }
  }
  for await (const page of deps.sources.interactions()) for (const record of page) evaluation.addInteraction(record);
  return { evaluation: await evaluation.finish(), insights: await insights.finish() };
}
