import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { tables as manifestTables } from '../../infra/manifest.js';
import { accessStatsRepository } from '../../shared/access/access-stats-repository.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../shared/adapters/local/embedded-dynamo.js';
import { ensureTables } from '../../shared/adapters/local/ensure-tables.js';
import { localTables } from '../../shared/adapters/local/local-tables.js';
import { aggregateAnalytics, type AggregateAnalyticsDependencies } from '../../shared/analytics/aggregate-analytics.js';
import { analyticsRepository } from '../../shared/analytics/analytics-repository.js';
import { tableEvaluationSources, type EvaluationSources } from '../../shared/analytics/evaluation-sources.js';
import { insightRepository } from '../../shared/analytics/insights/insight-repository.js';
import { caseRepository } from '../../shared/cases/case-repository.js';
import { catalogRepository } from '../../shared/catalog/catalog-repository.js';
import type { Tables } from '../../shared/ports/tables.js';
import { submittedCaseRecord } from '../support/case-records.js';
import { ManualClock } from '../support/manual-clock.js';

const clock = new ManualClock('2026-04-02T02:00:00Z');
const AGENCY = '11330106MB1A2B3C46';
let dynamo: EmbeddedDynamo;
let tables: Tables;
let deps: AggregateAnalyticsDependencies;
/** how many times each source was iterated, and how many case records its scans yielded */
const reads = { cases: 0, caseRecords: 0, certificates: 0, interactions: 0 };

/** the table sources, counting every scan they start */
function countingSources(real: EvaluationSources): EvaluationSources {
  return {
    ...real,
    async *cases() {
      reads.cases += 1;
      for await (const page of real.cases()) {
        reads.caseRecords += page.length;
        yield page;
      }
    },
    certificates() {
      reads.certificates += 1;
      return real.certificates();
    },
    interactions() {
      reads.interactions += 1;
      return real.interactions();
    },
  };
}

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  tables = localTables(dynamo.documentClient);
  const names = ['cases', 'interaction', 'certificates', 'catalog', 'access-stats', 'analytics'] as const;
  await ensureTables(
    dynamo.client,
    names.map((name) => ({ tableName: tables.name(name), spec: manifestTables[name] })),
  );
  const cases = caseRepository({ tables });
  for (const index of [1, 2, 3, 4, 5, 6]) {
    const stored = submittedCaseRecord(index, { region: '330106', agency: AGENCY });
    await cases.create(stored, { audit: { action: 'submit', actor: stored.applicant.accountId!, actorRole: 'applicant', at: stored.submittedAt, toState: 'submitted', version: 1 } });
  }
  const catalog = catalogRepository(tables);
  deps = {
    analytics: analyticsRepository(tables),
    insights: insightRepository(tables),
    catalog,
    clock,
    sources: countingSources(tableEvaluationSources({ tables, catalog, accessStats: accessStatsRepository(tables) })),
    firstReplyDeadline: (interaction) => new Date(Date.parse(interaction.submittedAt) + 3 * 86_400_000),
  };
});
afterAll(async () => {
  await dynamo?.close();
});

describe('the scheduled analytics aggregation against the embedded store', () => {
  it('reads each source once per run and feeds the cases to both the evaluation and the insights', async () => {
    const run = await aggregateAnalytics(deps);
    expect(reads).toEqual({ cases: 1, caseRecords: 6, certificates: 1, interactions: 1 });
    expect(run.evaluation).toMatchObject({ cases: 6, interactions: 0, certificates: 0, months: ['2026-03'] });
    expect(run.evaluation.cellsWritten).toBeGreaterThan(0);
    // six cases on six days: six insight cells
    expect(run.insights).toMatchObject({ cases: 6, cellsWritten: 6, cellsRemoved: 0, months: ['2026-03'] });
    expect((await deps.analytics.cells('2026-03')).map(({ key }) => key.agency)).toContain(AGENCY);
    expect(await deps.insights.cells('2026-03')).toHaveLength(6);
  });

  it('reads the cases once more on a rerun, and writes nothing', async () => {
    const run = await aggregateAnalytics(deps);
    expect(reads).toEqual({ cases: 2, caseRecords: 12, certificates: 2, interactions: 2 });
    expect(run.evaluation).toMatchObject({ cases: 6, cellsWritten: 0, cellsRemoved: 0 });
    expect(run.insights).toMatchObject({ cases: 6, cellsWritten: 0, cellsRemoved: 0, journeysWritten: 0 });
  });
});
