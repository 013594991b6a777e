import { analyticsFunction } from '../../infra/manifest.js';
import { accessStatsRepository } from '../../shared/access/access-stats-repository.js';
import { aggregateAnalytics } from '../../shared/analytics/aggregate-analytics.js';
import { analyticsRepository } from '../../shared/analytics/analytics-repository.js';
import { loadEvaluationWeights } from '../../shared/analytics/evaluation-settings.js';
import { tableEvaluationSources } from '../../shared/analytics/evaluation-sources.js';
import { getEvaluation } from '../../shared/analytics/get-evaluation.js';
import { insightRepository } from '../../shared/analytics/insights/insight-repository.js';
import { loadCaseSettings } from '../../shared/cases/case-settings.js';
import { catalogRepository } from '../../shared/catalog/catalog-repository.js';
import { createApiHandler } from '../../shared/http/api-handler.js';
import { loadReplyDeadlines } from '../../shared/interactions/interaction-flows.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { withSchedule } from '../../shared/runtime/scheduled-event.js';
import { workingCalendar } from '../../shared/workflow/working-calendar.js';
import { insightsOperation } from './insights-operation.js';
import { analyticsSchemas } from './schemas.js';

/** Evaluation of the platform and of service quality (GB/T 39047 6.2.6): the scheduled aggregation, the evaluation and the insights. */
export type AnalyticsDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables'>;

export function createHandler(deps: AnalyticsDependencies) {
  const analytics = analyticsRepository(deps.tables);
  const catalog = catalogRepository(deps.tables);
  const weights = loadEvaluationWeights();
  const calendar = workingCalendar(loadCaseSettings().calendar);
  const replyDays = loadReplyDeadlines(process.env);
  const aggregating = {
    analytics,
    insights: insightRepository(deps.tables),
    catalog,
    clock: deps.clock,
    sources: tableEvaluationSources({ tables: deps.tables, catalog, accessStats: accessStatsRepository(deps.tables) }),
    firstReplyDeadline: (record: { kind: keyof typeof replyDays; submittedAt: string }) => calendar.deadline(new Date(record.submittedAt), replyDays[record.kind]),
  };
  const api = createApiHandler(analyticsFunction, analyticsSchemas, deps, {
    getEvaluation: async ({ query }) => ({ body: await getEvaluation({ analytics, weights }, query) }),
    getInsights: insightsOperation(deps),
  });
  return withSchedule(api, async () => {
    const { evaluation, insights } = await aggregateAnalytics(aggregating);
    deps.logger.info('evaluation aggregation', { ...evaluation, months: evaluation.months.length });
    deps.logger.info('insights aggregation', { ...insights, months: insights.months.length });
  });
}
