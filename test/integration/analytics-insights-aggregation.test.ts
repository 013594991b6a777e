import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { tables as manifestTables } from '../../infra/manifest.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../shared/adapters/local/embedded-dynamo.js';
import { ensureTables } from '../../shared/adapters/local/ensure-tables.js';
import { localTables } from '../../shared/adapters/local/local-tables.js';
import { analyticsRepository } from '../../shared/analytics/analytics-repository.js';
import { insightsFold } from '../../shared/analytics/insights/aggregate-insights.js';
import { getInsights } from '../../shared/analytics/insights/get-insights.js';
import { insightRepository, type InsightRepository } from '../../shared/analytics/insights/insight-repository.js';
import type { LifeEvent } from '../../shared/catalog/catalog-model.js';
import type { CaseRecord } from '../../shared/cases/case-model.js';
import type { Tables } from '../../shared/ports/tables.js';
import { submittedCaseRecord } from '../support/case-records.js';
import { ManualClock } from '../support/manual-clock.js';

const clock = new ManualClock('2026-04-02T02:00:00Z');
const A1 = '11330106MB1A2B3C46';
const A2 = '11330102MB1A2B3C47';
const OPENING: LifeEvent = { id: 'kaiban-qiye', name: '开办企业一件事', description: '', itemCodes: ['SC-XK-0001', 'GA-QT-0001'], sharedForm: [], aliases: [] };
let dynamo: EmbeddedDynamo;
let tables: Tables;
let insights: InsightRepository;
/** the cases the aggregation reads, as the evaluation's sources would page them */
let cases: CaseRecord[] = [];

const record = (index: number, agency: string, itemCode = 'SC-XK-0001') => submittedCaseRecord(index, { region: agency === A1 ? '330106' : '330102', agency, itemCode });

/** one scheduled run of the insights' fold over `cases` */
function aggregate() {
  const fold = insightsFold({ catalog: { lifeEvents: { head: async (id: string) => (id === OPENING.id ? { published: OPENING } : undefined) } }, insights, clock });
  for (const record of cases) fold.addCase(record);
  return fold.finish();
}

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  tables = localTables(dynamo.documentClient);
  await ensureTables(dynamo.client, [{ tableName: tables.name('analytics'), spec: manifestTables.analytics }]);
  insights = insightRepository(tables);
});
afterAll(async () => {
  await dynamo?.close();
});

describe('the scheduled insight aggregation against the embedded store', () => {
  it('stores per-day cells and journeys that the insights read back', async () => {
    cases = [1, 2, 3, 4, 5, 6].map((index) => record(index, A1));
    const run = await aggregate();
    // six cases on six days: six cells; six applicants each begin a journey
    expect(run).toMatchObject({ cases: 6, cellsWritten: 6, cellsRemoved: 0, journeysWritten: 6, months: ['2026-03'] });
    const answer = await getInsights({ insights, analytics: analyticsRepository(tables) }, { period: '2026-03', region: '330106', kind: 'hotspots' });
    expect(answer.hotspots).toEqual([{ region: '330106', itemCode: 'SC-XK-0001', cases: 6, share: 1, suppressed: false }]);
    expect(answer.aggregatedUntil).toBe('2026-04-02T02:00:00.000Z');
  });

  it('writes nothing when run again over the same cases', async () => {
    expect(await aggregate()).toMatchObject({ cellsWritten: 0, cellsRemoved: 0, journeysWritten: 0 });
  });

  it('moves a transferred case to its new agency and region, leaving no stale cell', async () => {
    cases = cases.map((entry, index) => (index === 0 ? { ...record(1, A2) } : entry));
    // the cell of 330106/A1 on 03-02 empties (removed); 330102/A2 on 03-02 is new; the journey moves with its region
    expect(await aggregate()).toMatchObject({ cellsWritten: 1, cellsRemoved: 1, journeysWritten: 1 });
    const stored = await insights.cells('2026-03');
    expect(stored.map((row) => row.sk).filter((sk) => sk.endsWith('#2026-03-02'))).toEqual([`330102#${A2}#SC-XK-0001#2026-03-02`]);
    expect((await insights.journeys('2026-03', '3301')).length).toBe(6);
  });
});
