import type { CaseRecord } from '../cases/case-model.js';
import type { InteractionRecord } from '../interactions/interaction-repository.js';
import type { Clock } from '../ports/clock.js';
import { chinaDate } from '../workflow/working-calendar.js';
import type { AnalyticsRepository, Rollup, StoredCell } from './analytics-repository.js';
import { addImplementation, emptyCatalogCounters, type CatalogCounters } from './catalog-facts.js';
import { caseFacts, cellId, certificateIssuedFact, foldFacts, interactionFacts, mergeCells, type CellKey, type EvaluationCell } from './evaluation-facts.js';
import type { AccessCounters } from './evaluation-indicators.js';
import type { CertificatePage, EvaluationSources } from './evaluation-sources.js';

export interface AggregateEvaluationDependencies {
  /** read on finish: the catalog snapshot and the access totals (the records come through the fold) */
  readonly sources: Pick<EvaluationSources, 'catalog' | 'accessDay'>;
  readonly analytics: AnalyticsRepository;
  readonly clock: Clock;
  /** the first reply deadline of a consult or complaint (its kind's reply days from submission, on the working calendar) */
  readonly firstReplyDeadline: (record: InteractionRecord) => Date;
}

/** months of access totals folded on the first run (later runs fold the current and the previous month) */
const ACCESS_BACKFILL_MONTHS = 13;

/** the cell as stored: people sorted, so an unchanged cell compares equal */
const canonical = (cell: EvaluationCell) => JSON.stringify({ counters: Object.fromEntries(Object.entries(cell.counters).sort()), people: Object.fromEntries(Object.entries(cell.people).map(([k, v]) => [k, [...v].sort()]).sort()) });

/**
 * The fold of the service evaluation (GB/T 39047 6.2.6) in the scheduled aggregation
 * (aggregateAnalytics hands it each record). The GET reads only what it stores, so a request
 * costs a few reads per month whatever the number of cases and agencies.
 * 1. take each page of certificates and their usage log (all of them before the first case): the
 *    facts of each issue, which cases got a certificate, which certificates the handling agency
 *    read for a case;
 * 2. take each case and fold its facts (caseFacts) into cells of month × region × agency; then
 *    each consult and complaint (interactionFacts), with its first reply deadline;
 * 3. on finish, compare with the stored cells of the months touched now or by the last run: write
 *    the cells that changed, remove the cells no record feeds any more (a transferred case), and
 *    rebuild the rollups (platform, province, city, county) and agency copies of the changed
 *    ones — a rerun over the same records writes nothing;
 * 4. take the catalog snapshot of the current month per agency (standardisation, time limits,
 *    materials, online depth);
 * 5. sum access monitoring's per-day totals into the current and previous month (13 months on
 *    the first run);
 * 6. record the run.
 */
export function evaluationFold(deps: AggregateEvaluationDependencies) {
  const now = deps.clock.now();
  const cells = foldFacts([]);
  const certified = new Set<string>();
  const used = new Map<string, Set<string>>();
  let certificates = 0;
  let cases = 0;
  let interactions = 0;
  return {
    addCertificatePage(page: CertificatePage): void {
      foldFacts(page.issued.map(certificateIssuedFact), cells);
      certificates += page.issued.length;
      for (const certificate of page.issued) if (certificate.caseNo) certified.add(certificate.caseNo);
      for (const use of page.uses) {
        const key = `${use.caseNo}|${use.agency}`;
        used.set(key, (used.get(key) ?? new Set()).add(use.identifier));
      }
    },

    addCase(record: CaseRecord): void {
      foldFacts(caseFacts(record, { certified: certified.has(record.caseNo), certificatesUsed: used.get(`${record.caseNo}|${record.agency.uscc}`)?.size ?? 0 }, now), cells);
      cases += 1;
    },

    addInteraction(record: InteractionRecord): void {
      foldFacts(interactionFacts(record, deps.firstReplyDeadline(record), now), cells);
      interactions += 1;
    },

    async finish() {
      const previous = await deps.analytics.lastRun();
      const months = [...new Set([...[...cells.values()].map(({ key }) => key.month), ...(previous?.months ?? [])])].sort();
      const written: StoredCell[] = [];
      const removed: CellKey[] = [];
      for (const month of months) {
        const stored = new Map((await deps.analytics.cells(month)).map((entry) => [cellId(entry.key), entry]));
        for (const [id, entry] of cells) {
          if (entry.key.month !== month) continue;
          const before = stored.get(id);
          if (!before || canonical(before.cell) !== canonical(entry.cell)) written.push({ key: entry.key, cell: JSON.parse(canonical(entry.cell)) as EvaluationCell });
          stored.delete(id);
        }
        removed.push(...[...stored.values()].map((entry) => entry.key));
      }
      await deps.analytics.replaceCells(written, removed, rollupsOf(cells, [...written.map(({ key }) => key), ...removed]));

      const currentMonth = chinaDate(now).slice(0, 7);
      await deps.analytics.putCatalog(currentMonth, await catalogSnapshot(deps.sources), now.toISOString());
      await foldAccess(deps, now, previous ? 2 : ACCESS_BACKFILL_MONTHS);

      const run = {
        completedAt: now.toISOString(),
        months: [...new Set([...cells.values()].map(({ key }) => key.month))].sort(),
        cases,
        interactions,
        certificates,
        cellsWritten: written.length,
        cellsRemoved: removed.length,
      };
      await deps.analytics.recordRun(run);
      return run;
    },
  };
}

/** the scopes a region's cells roll up into: the platform, its province, its city, itself */
export const rollupScopes = (region: string) => [...new Set(['*', region.slice(0, 2), region.slice(0, 4), region])];

/** the rollups of the months and regions of changed cells, merged from the new fold; a rollup no cell feeds any more is removed */
function rollupsOf(cells: ReturnType<typeof foldFacts>, changed: readonly CellKey[]): { written: Rollup[]; removed: Omit<Rollup, 'cell'>[] } {
  const wanted = new Map<string, Omit<Rollup, 'cell'>>();
  for (const key of changed) for (const scope of rollupScopes(key.region)) wanted.set(`${key.month}|${scope}`, { month: key.month, scope });
  const byMonth = new Map<string, { key: CellKey; cell: EvaluationCell }[]>();
  for (const entry of cells.values()) byMonth.set(entry.key.month, [...(byMonth.get(entry.key.month) ?? []), entry]);
  const written: Rollup[] = [];
  const removed: Omit<Rollup, 'cell'>[] = [];
  for (const { month, scope } of wanted.values()) {
    const members = (byMonth.get(month) ?? []).filter(({ key }) => scope === '*' || key.region.startsWith(scope));
    if (members.length === 0) removed.push({ month, scope });
    else written.push({ month, scope, cell: mergeCells(members.map(({ cell }) => cell)) });
  }
  return { written, removed };
}

/** the catalog counters of each agency in each region, from the published implementations */
async function catalogSnapshot(sources: Pick<EvaluationSources, 'catalog'>): Promise<{ region: string; agency: string; counters: CatalogCounters }[]> {
  const byAgency = new Map<string, { region: string; agency: string; counters: CatalogCounters }>();
  for (const { basic, implementations } of await sources.catalog()) {
    for (const implementation of implementations) {
      const id = `${implementation.region}#${implementation.agency.uscc}`;
      const current = byAgency.get(id) ?? { region: implementation.region, agency: implementation.agency.uscc, counters: emptyCatalogCounters() };
      byAgency.set(id, { ...current, counters: addImplementation(current.counters, basic, implementation) });
    }
  }
  return [...byAgency.values()];
}

/** sums the per-day access totals of the last `months` months (the current one up to today) into month totals */
async function foldAccess(deps: Pick<AggregateEvaluationDependencies, 'sources' | 'analytics'>, now: Date, months: number): Promise<void> {
  const today = chinaDate(now);
  const [year, month] = today.split('-').map(Number) as [number, number];
  for (let back = months - 1; back >= 0; back--) {
    const first = new Date(Date.UTC(year, month - 1 - back, 1));
    const monthText = first.toISOString().slice(0, 7);
    let total: AccessCounters | undefined;
    for (let day = first; day.toISOString().slice(0, 7) === monthText && day.toISOString().slice(0, 10) <= today; day = new Date(day.getTime() + 86_400_000)) {
      const counters = await deps.sources.accessDay(day.toISOString().slice(0, 10));
      if (!counters) continue;
      total = total
        ? { requests: total.requests + counters.requests, failures: total.failures + counters.failures, serverErrors: total.serverErrors + counters.serverErrors, latencySumMs: total.latencySumMs + counters.latencySumMs }
        : counters;
    }
    if (total) await deps.analytics.putAccess(monthText, total);
  }
}
