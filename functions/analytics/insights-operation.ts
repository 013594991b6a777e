import { analyticsRepository } from '../../shared/analytics/analytics-repository.js';
import { getInsights } from '../../shared/analytics/insights/get-insights.js';
import { insightsCsv } from '../../shared/analytics/insights/insights-csv.js';
import { insightRepository } from '../../shared/analytics/insights/insight-repository.js';
import type { ApiRequest, Reply } from '../../shared/http/api-handler.js';
import type { Tables } from '../../shared/ports/tables.js';
import { recommendationRepository } from '../../shared/user-center/recommendation-repository.js';
import type { insightsSchema } from './insights-schemas.js';

/** GET /v1/analytics/insights: decode the filters, get the insights, answer JSON or (format=csv) a CSV attachment */
export function insightsOperation(deps: { tables: Tables }) {
  const repositories = { insights: insightRepository(deps.tables), analytics: analyticsRepository(deps.tables), recommendations: recommendationRepository(deps.tables) };
  return async (request: ApiRequest<typeof insightsSchema>): Promise<Reply<typeof insightsSchema>> => {
    const { format, ...filters } = request.query;
    const insights = await getInsights(repositories, filters);
    if (format !== 'csv') return { body: insights };
    const name = ['insights', insights.period.text, filters.region, filters.agency, filters.kind].filter(Boolean).join('-');
    return { raw: insightsCsv(insights), contentType: 'text/csv; charset=utf-8', headers: { 'content-disposition': `attachment; filename="${name}.csv"` } };
  };
}
