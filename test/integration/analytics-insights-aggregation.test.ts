import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { tables as manifestTables } from '../../infra/manifest.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../shared/adapters/local/embedded-dynamo.js';
import { ensureTables } from '../../shared/adapters/local/ensure-tables.js';
import { localTables } from '../../shared/adapters/local/local-tables.js';
import { analyticsRepository } from '../../shared/analytics/analytics-repository.js';
import { insightsFold } from '../../shared/analytics/insights/aggregate-insights.js';
import { getInsights, type InsightsRequest } from '../../shared/analytics/insights/get-insights.js';
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
  const fold = insightsFold({ catalog: { lifeEvents: { head: async (id: string) => (id === OPENING.id ? { published: OPENING } : undefined) } }, insights, analytics: analyticsRepository(tables), clock });
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
    expect(await aggregate()).toMatchObject({ cellsWritten: 0, cellsRemoved: 0, journeysWritten: 0, reportsWritten: 0 });
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

/** the insights repository with its per-month reads counted, and (when `withoutReports`) no stored report, as before the reports existed */
function countingInsights(withoutReports = false) {
  const reads = { cells: 0, journeys: 0 };
  const repository: InsightRepository = {
    ...insights,
    cells: (month, prefix) => ((reads.cells += 1), insights.cells(month, prefix)),
    journeys: (month, prefix) => ((reads.journeys += 1), insights.journeys(month, prefix)),
    report: async <T>(period: string, scope: string) => (withoutReports ? undefined : insights.report<T>(period, scope)),
  };
  return { repository, reads };
}

const B1 = '11110105MB1A2B3C48';
/** a case moved to another month of 2026 (its submission and timeline) */
const inMonth = (entry: CaseRecord, month: string): CaseRecord => JSON.parse(JSON.stringify(entry).replaceAll('2026-03-', `${month}-`)) as CaseRecord;

describe('the stored insight reports of the platform and the provinces', () => {
  beforeAll(async () => {
    cases = [
      ...Array.from({ length: 12 }, (_, index) => record(index, A1)),
      ...Array.from({ length: 8 }, (_, index) => record(12 + index, A2, index % 2 ? 'GA-QT-0001' : 'SC-XK-0001')),
      ...Array.from({ length: 9 }, (_, index) => inMonth(submittedCaseRecord(index, { region: '110105', agency: B1 }), '2026-02')),
      ...Array.from({ length: 4 }, (_, index) => inMonth(record(index, A1, 'GA-QT-0001'), '2026-01')),
    ].map((entry, index) => ({ ...entry, caseNo: `CASE-${index}`, applicant: { ...entry.applicant, accountId: `applicant-${index % 7}` } }));
    await aggregate();
  });

  const requests: InsightsRequest[] = [
    ...['2026-03', '2026-Q1', '2026'].flatMap((period) => [{ period }, { period, region: '330000' }, { period, region: '330000', kind: 'spatial' as const }]),
    ...['2026-02', '2026-Q1', '2026'].map((period) => ({ period, region: '110000' })),
  ];

  it.each(requests)('answers %j from the stored report, equal to computing it on request, without reading a cell', async (request) => {
    const stored = countingInsights();
    const computed = countingInsights(true);
    const answer = await getInsights({ insights: stored.repository, analytics: analyticsRepository(tables) }, request);
    expect(answer).toEqual(await getInsights({ insights: computed.repository, analytics: analyticsRepository(tables) }, request));
    expect(stored.reads).toEqual({ cells: 0, journeys: 0 });
    expect(computed.reads.cells).toBeGreaterThan(0);
    expect(answer.hotspots?.length ?? answer.spatial?.length).toBeGreaterThan(0);
  });

  it('stores one report per period for the platform and each province with data in it', async () => {
    const scopes = async (period: string) => [...(await insights.reportDigests(period)).keys()].sort();
    for (const period of ['2026-01', '2026-03']) expect(await scopes(period)).toEqual(['*', '33']);
    expect(await scopes('2026-02')).toEqual(['*', '11']);
    for (const period of ['2026-Q1', '2026']) expect(await scopes(period)).toEqual(['*', '11', '33']);
    expect(await insights.report('2026-Q2', '*')).toBeUndefined();
  });

  it('writes no report when run again over the same cases', async () => {
    expect(await aggregate()).toMatchObject({ cellsWritten: 0, journeysWritten: 0, reportsWritten: 0 });
  });

  it('rewrites the reports a changed case touches: its month, quarter and year, for the platform and its province', async () => {
    cases = [...cases, { ...record(25, A1), caseNo: 'CASE-new' }];
    expect(await aggregate()).toMatchObject({ cellsWritten: 1, reportsWritten: 6 });
  });

  it.each([{ period: '2026', agency: A1 }, { period: '2026-Q1', region: '330100' }, { period: '2026-03', top: 3 }])('computes %j on request (agency, city or another top)', async (request) => {
    const stored = countingInsights();
    const computed = countingInsights(true);
    const answer = await getInsights({ insights: stored.repository, analytics: analyticsRepository(tables) }, request);
    expect(stored.reads.cells).toBeGreaterThan(0);
    expect(answer).toEqual(await getInsights({ insights: computed.repository, analytics: analyticsRepository(tables) }, request));
  });
});

describe('a stored report larger than one item', () => {
  it('is split into chunks below the item limit, read back whole, and shrinks without leftovers', async () => {
    const noise = randomBytes(400_000).toString('base64');
    const json = JSON.stringify({ noise });
    await insights.storeReports([{ period: '2025', scope: '*', json, staleSks: [] }]);
    const stored = (await insights.reportDigests('2025')).get('*')!;
    expect(stored.chunks).toBeGreaterThan(1);
    expect(stored.sks.length).toBe(stored.chunks);
    expect(await insights.report('2025', '*')).toEqual({ noise });
    await insights.storeReports([{ period: '2025', scope: '*', json: '{"small":true}', staleSks: stored.sks }]);
    expect((await insights.reportDigests('2025')).get('*')).toMatchObject({ chunks: 1, sks: ['*#000'] });
    expect(await insights.report('2025', '*')).toEqual({ small: true });
  });
});
