import type { CaseRecord } from '../../cases/case-model.js';
import type { LifeEvent } from '../../catalog/catalog-model.js';
import type { Clock } from '../../ports/clock.js';
import { OPENING_A_BUSINESS } from './compute-insights.js';
import { caseInsightFact, cellsOf, journeysOf, type CaseInsightFact, type InsightCell, type LifeEventJourney } from './insight-facts.js';
import type { InsightRepository, InsightRow } from './insight-repository.js';

export interface AggregateInsightsDependencies {
  /** the catalog's life events (the catalog repository) */
  readonly catalog: { readonly lifeEvents: { head(id: string): Promise<{ readonly published?: LifeEvent } | undefined> } };
  readonly insights: InsightRepository;
  readonly clock: Clock;
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
 * 4. record the months of the run.
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
      const run = { completedAt: deps.clock.now().toISOString(), months: [...new Set([...cells, ...journeys].map((row) => row.month))].sort() };
      await deps.insights.recordRun(run);
      return { ...run, cases: facts.length, cellsWritten: cellChange.written.length, cellsRemoved: cellChange.removed.length, journeysWritten: journeyChange.written.length };
    },
  };
}
