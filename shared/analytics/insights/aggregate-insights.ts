import type { CaseRecord } from '../../cases/case-model.js';
import type { LifeEvent } from '../../catalog/catalog-model.js';
import type { Clock } from '../../ports/clock.js';
import type { AnalyticsRepository, StoredCell } from '../analytics-repository.js';
import { parsePeriod } from '../evaluation-period.js';
import { INSIGHT_KINDS, OPENING_A_BUSINESS } from './compute-insights.js';
import { DEFAULT_TOP, insightsOfMonths, type InsightMonth } from './get-insights.js';
import { caseInsightFact, cellsOf, journeysOf, type CaseInsightFact, type InsightCell, type LifeEventJourney } from './insight-facts.js';
import type { InsightRepository, InsightRow } from './insight-repository.js';

export interface AggregateInsightsDependencies {
  /** the catalog's life events (the catalog repository) */
  readonly catalog: { readonly lifeEvents: { head(id: string): Promise<{ readonly published?: LifeEvent } | undefined> } };
  readonly insights: InsightRepository;
  /** the evaluation's cells (certificates issued and used), read on finish once the evaluation stored them */
  readonly analytics: Pick<AnalyticsRepository, 'cells'>;
  readonly clock: Clock;
}

/** the periods a month belongs to: itself, its quarter and its year */
const periodsOf = (month: string) => [month, `${month.slice(0, 4)}-Q${Math.ceil(Number(month.slice(5)) / 3)}`, month.slice(0, 4)];
/** the province (2-digit GB/T 2260 prefix) of a row whose sort key starts with its region */
const provinceOf = (sk: string) => sk.slice(0, 2);

/** the rows of each month, in sort-key order as a query returns them */
function byMonth<T>(rows: readonly InsightRow<T>[]): Map<string, InsightRow<T>[]> {
  const months = new Map<string, InsightRow<T>[]>();
  for (const row of rows) {
    const list = months.get(row.month);
    if (list) list.push(row);
    else months.set(row.month, [row]);
  }
  for (const list of months.values()) list.sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
  return months;
}

/** the rows to write and to remove so that the stored rows of some months equal `fresh` */
async function differences<T>(fresh: readonly InsightRow<T>[], months: readonly string[], stored: (month: string) => Promise<InsightRow<T>[]>) {
  const written: InsightRow<T>[] = [];
  const removed: Pick<InsightRow<T>, 'month' | 'sk'>[] = [];
  for (const month of months) {
    const before = new Map((await stored(month)).map((row) => [row.sk, JSON.stringify(row.value)]));
    for (const row of fresh) {
      if (row.month !== month) continue;
      if (before.get(row.sk) !== JSON.stringify(row.value)) written.push(row);
      before.delete(row.sk);
    }
    removed.push(...[...before.keys()].map((sk) => ({ month, sk })));
  }
  return { written, removed };
}

/**
 * Stores the full report (every kind, no agency, the default top) of each period of the months —
 * each month, its quarter and its year — for the platform and for each province with data or with
 * a stored report, computed by insightsOfMonths from the same rows the request path would read;
 * writes only the reports whose digest changed. Returns how many it wrote.
 */
async function refreshReports(deps: AggregateInsightsDependencies, months: readonly string[], cells: readonly InsightRow<InsightCell>[], journeys: readonly InsightRow<LifeEventJourney>[]) {
  const cellsByMonth = byMonth(cells);
  const journeysByMonth = byMonth(journeys);
  const evaluationByMonth = new Map<string, StoredCell[]>();
  const evaluationOf = async (month: string) => {
    if (!evaluationByMonth.has(month)) evaluationByMonth.set(month, await deps.analytics.cells(month));
    return evaluationByMonth.get(month)!;
  };
  let written = 0;
  for (const text of [...new Set(months.flatMap(periodsOf))].sort()) {
    const period = parsePeriod(text);
    const periodMonths = await Promise.all(
      period.months.map(async (month) => ({ cells: cellsByMonth.get(month) ?? [], journeys: journeysByMonth.get(month) ?? [], evaluation: await evaluationOf(month) })),
    );
    const stored = await deps.insights.reportDigests(text);
    const provinces = new Set([...stored.keys()].filter((scope) => scope !== '*'));
    for (const month of periodMonths) {
      for (const row of [...month.cells, ...month.journeys]) provinces.add(provinceOf(row.sk));
      for (const cell of month.evaluation) provinces.add(cell.key.region.slice(0, 2));
    }
    const changed = [];
    for (const scope of ['*', ...[...provinces].sort()]) {
      const inScope = (region: string) => scope === '*' || region.startsWith(scope);
      const scoped: InsightMonth[] = periodMonths.map((month) => ({
        cells: month.cells.filter((row) => inScope(row.sk)).map((row) => row.value),
        journeys: month.journeys.filter((row) => inScope(row.sk)).map((row) => row.value),
        evaluation: month.evaluation.filter((cell) => inScope(cell.key.region)),
      }));
      const json = JSON.stringify(insightsOfMonths(period, scoped, INSIGHT_KINDS, DEFAULT_TOP));
      const before = stored.get(scope);
      if (before && before.digest === deps.insights.reportDigest(json) && before.chunks === before.sks.length) continue;
      changed.push({ period: text, scope, json, staleSks: before?.sks ?? [] });
    }
    await deps.insights.storeReports(changed);
    written += changed.length;
  }
  return written;
}

/**
 * The fold of the analysis insights (GB/T 39047 6.2.7 b, c) in the scheduled aggregation
 * (aggregateAnalytics hands it the same cases as the evaluation's fold); the insights route reads
 * only what it stores.
 * 1. take each case and keep its insight fact: region, agency, item, a pseudonymous applicant key,
 *    submission, decision and the completed stays in each state;
 * 2. on finish, fold the facts into per-day cells (day of submission × region × agency × item),
 *    and the facts of the items of 开办企业一件事 (from the published life event) into
 *    per-applicant journeys;
 * 3. compare with the stored rows of the months touched now or by the last run: write what
 *    changed, remove what no case feeds any more (a transferred case) — a rerun writes nothing;
 * 4. store the full reports of the periods of those months for the platform and each province
 *    (refreshReports), so the route answers large regions and long periods without reading every
 *    cell — a rerun writes none; they go stale exactly like the cells, until the next run;
 * 5. record the months of the run.
 */
export function insightsFold(deps: AggregateInsightsDependencies) {
  const facts: CaseInsightFact[] = [];
  return {
    addCase(record: CaseRecord): void {
      facts.push(caseInsightFact(record));
    },

    async finish() {
      const lifeEvent = (await deps.catalog.lifeEvents.head(OPENING_A_BUSINESS))?.published;
      const cells: InsightRow<InsightCell>[] = cellsOf(facts).map((cell) => ({ month: cell.day.slice(0, 7), sk: deps.insights.cellKey(cell), value: cell }));
      const journeys: InsightRow<LifeEventJourney>[] = lifeEvent
        ? journeysOf(facts, lifeEvent.id, lifeEvent.itemCodes).map((journey) => ({ month: deps.insights.journeyMonth(journey), sk: deps.insights.journeyKey(journey), value: journey }))
        : [];
      const previous = await deps.insights.lastRun();
      const months = [...new Set([...cells.map((row) => row.month), ...journeys.map((row) => row.month), ...(previous?.months ?? [])])].sort();
      const cellChange = await differences(cells, months, (month) => deps.insights.cells(month));
      const journeyChange = await differences(journeys, months, (month) => deps.insights.journeys(month));
      await deps.insights.replace({ cells: cellChange.written, journeys: journeyChange.written, removedCells: cellChange.removed, removedJourneys: journeyChange.removed });
      const reportsWritten = await refreshReports(deps, months, cells, journeys);
      const run = { completedAt: deps.clock.now().toISOString(), months: [...new Set([...cells, ...journeys].map((row) => row.month))].sort() };
      await deps.insights.recordRun(run);
      return { ...run, cases: facts.length, cellsWritten: cellChange.written.length, cellsRemoved: cellChange.removed.length, journeysWritten: journeyChange.written.length, reportsWritten };
    },
  };
}
