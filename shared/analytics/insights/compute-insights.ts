import type { RegionTable } from '../../regions/region-table.js';
import { regionLevelOf, type RegionLevel } from '../../regions/region-codes.js';
import { chinaDate } from '../../workflow/working-calendar.js';
import type { EvaluationPeriod } from '../evaluation-period.js';
import { MIN_PEOPLE, type EvaluationCell } from '../evaluation-facts.js';
import { groupedBy, type InsightCell, type LifeEventJourney } from './insight-facts.js';

/**
 * The statistics, mining and decision analysis of GB/T 39047 6.2.7 b and c, computed from stored
 * per-day cells (never from cases at request time). The small-cell rule is the evaluation's
 * (MIN_PEOPLE): a figure drawn from fewer than 5 distinct people — none included — is `null`
 * with `suppressed: true`, and so are the figures derived from it (shares, rates, means).
 */

/** the evaluation's rule: fewer than MIN_PEOPLE distinct people behind a figure hide it */
const isSmallCell = (people: number) => people < MIN_PEOPLE;
const unlessSmallCell = <T>(people: number, value: T): T | null => (isSmallCell(people) ? null : value);

export const INSIGHT_KINDS = ['hotspots', 'seasonal', 'bottlenecks', 'spatial', 'anomalies', 'business-environment'] as const;
export type InsightKind = (typeof INSIGHT_KINDS)[number];

/** the item whose approval establishes an enterprise (企业设立登记), the first step of 开办企业一件事 */
export const ESTABLISHMENT_ITEMS: readonly string[] = ['SC-XK-0001'];
/** the life event of opening a business (开办企业一件事) in the catalog */
export const OPENING_A_BUSINESS = 'kaiban-qiye';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const ratio = (part: number, whole: number) => (whole === 0 ? null : round(part / whole, 4));

/** the middle value; with an even count, the mean of the two middle values */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** nearest-rank percentile: the smallest value with at least p% of the values at or below it */
export function nearestRankPercentile(values: readonly number[], percent: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((percent / 100) * sorted.length) - 1)]!;
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** counts cases and the distinct people behind them */
class Tally {
  cases = 0;
  decided = 0;
  refused = 0;
  readonly people = new Set<string>();
  add(cell: InsightCell): this {
    this.cases += cell.cases;
    this.decided += cell.decided;
    this.refused += cell.refused;
    for (const person of cell.people) this.people.add(person);
    return this;
  }
  get suppressed(): boolean {
    return isSmallCell(this.people.size);
  }
}

const tallyBy = (cells: readonly InsightCell[], keyOf: (cell: InsightCell) => string | readonly string[]) => {
  const tallies = new Map<string, Tally>();
  for (const cell of cells) {
    const keys = keyOf(cell);
    for (const key of typeof keys === 'string' ? [keys] : keys) (tallies.get(key) ?? tallies.set(key, new Tally()).get(key)!).add(cell);
  }
  return tallies;
};

const totalCases = (cells: readonly InsightCell[]) => cells.reduce((sum, cell) => sum + cell.cases, 0);

export interface HotSpot {
  readonly region: string;
  readonly itemCode: string;
  readonly cases: number | null;
  readonly share: number | null;
  readonly suppressed: boolean;
}

/** Demand hot spots: the `top` (region, item) pairs with the most cases, and each pair's share of all cases. */
export function hotSpots(cells: readonly InsightCell[], top: number): HotSpot[] {
  const total = totalCases(cells);
  return [...tallyBy(cells, (cell) => `${cell.region}#${cell.itemCode}`)]
    .sort(([keyA, a], [keyB, b]) => b.cases - a.cases || keyA.localeCompare(keyB))
    .slice(0, top)
    .map(([key, tally]) => {
      const [region, itemCode] = key.split('#') as [string, string];
      return { region, itemCode, cases: unlessSmallCell(tally.people.size, tally.cases), share: tally.suppressed ? null : ratio(tally.cases, total), suppressed: tally.suppressed };
    });
}

export interface SeasonalRow {
  readonly bucket: string;
  readonly cases: number | null;
  readonly share: number | null;
  readonly suppressed: boolean;
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
/** the weekday of a China calendar day, Monday first */
const weekdayOf = (day: string) => WEEKDAYS[(new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7]!;

const seasonalRows = (cells: readonly InsightCell[], buckets: readonly string[], bucketOf: (cell: InsightCell) => string): SeasonalRow[] => {
  const total = totalCases(cells);
  const tallies = tallyBy(cells, bucketOf);
  return buckets.map((bucket) => {
    const tally = tallies.get(bucket) ?? new Tally();
    return { bucket, cases: unlessSmallCell(tally.people.size, tally.cases), share: tally.suppressed ? null : ratio(tally.cases, total), suppressed: tally.suppressed };
  });
};

/** Seasonal pattern: cases per month of the period and per weekday (China time of submission), each with its share. */
export function seasonalPattern(cells: readonly InsightCell[], period: InsightPeriod): { months: SeasonalRow[]; weekdays: SeasonalRow[] } {
  return {
    months: seasonalRows(cells, period.months, (cell) => cell.day.slice(0, 7)),
    weekdays: seasonalRows(cells, WEEKDAYS, (cell) => weekdayOf(cell.day)),
  };
}

export interface Bottleneck {
  readonly state: string;
  readonly stays: number | null;
  readonly medianHours: number | null;
  readonly meanHours: number | null;
  readonly p90Hours: number | null;
  readonly suppressed: boolean;
}

/**
 * Bottlenecks: per workflow state, how long cases waited in it (completed stays from the
 * timelines): median, mean and nearest-rank 90th percentile in hours; the longest median first,
 * suppressed states last.
 */
export function bottlenecks(cells: readonly InsightCell[]): Bottleneck[] {
  const states = new Map<string, { ms: number[]; people: Set<string> }>();
  for (const cell of cells) {
    for (const [state, waits] of Object.entries(cell.waits)) {
      const entry = states.get(state) ?? states.set(state, { ms: [], people: new Set() }).get(state)!;
      entry.ms.push(...waits.ms);
      for (const person of waits.people) entry.people.add(person);
    }
  }
  const rows = [...states].map(([state, { ms, people }]): Bottleneck => {
    if (isSmallCell(people.size)) return { state, stays: null, medianHours: null, meanHours: null, p90Hours: null, suppressed: true };
    return { state, stays: ms.length, medianHours: round(median(ms) / HOUR_MS, 2), meanHours: round(mean(ms) / HOUR_MS, 2), p90Hours: round(nearestRankPercentile(ms, 90) / HOUR_MS, 2), suppressed: false };
  });
  return rows.sort((a, b) => Number(a.suppressed) - Number(b.suppressed) || (b.medianHours ?? 0) - (a.medianHours ?? 0) || a.state.localeCompare(b.state));
}

export interface SpatialRow {
  readonly region: string;
  readonly name: string;
  readonly level: RegionLevel;
  readonly cases: number | null;
  readonly share: number | null;
  /** refused (不予受理 or 不予办理) per decided case */
  readonly refusalRate: number | null;
  readonly suppressed: boolean;
}

/**
 * Spatial view: cases, share and refusal rate per GB/T 2260 region, each case counted in its
 * region and in every enclosing region (county → city → province, by the region table).
 */
export function spatialView(cells: readonly InsightCell[], regions: RegionTable): SpatialRow[] {
  const total = totalCases(cells);
  const chainOf = (code: string) => {
    const chain = regions.chain(code).map((region) => region.code);
    return chain.length > 0 ? chain : [code];
  };
  return [...tallyBy(cells, (cell) => chainOf(cell.region))]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, tally]) => ({
      region: code,
      name: regions.get(code)?.name ?? code,
      level: regions.get(code)?.level ?? regionLevelOf(code),
      cases: unlessSmallCell(tally.people.size, tally.cases),
      share: tally.suppressed ? null : ratio(tally.cases, total),
      refusalRate: tally.suppressed ? null : ratio(tally.refused, tally.decided),
      suppressed: tally.suppressed,
    }));
}

/** the robust z-score threshold of Iglewicz and Hoaglin */
export const ANOMALY_THRESHOLD = 3.5;
/** fewer buckets than this make no baseline */
export const MINIMUM_BUCKETS = 5;
/**
 * the smallest departure from the baseline worth flagging: with sparse counts the spread is
 * tiny and any single case would score high, so a flag also needs a difference this large
 */
export const MINIMUM_DIFFERENCE = { volume: 5, 'refusal-rate': 0.1 } as const;
export const ANOMALY_RULE =
  `robust z-score against the group's own buckets in the period: z = 0.6745 × (x − median) / MAD; ` +
  `when MAD is 0, z = (x − median) / (1.2533 × mean absolute deviation from the median); ` +
  `flagged when |z| > ${ANOMALY_THRESHOLD} and |x − median| ≥ ${MINIMUM_DIFFERENCE.volume} cases (volume) or ≥ ${MINIMUM_DIFFERENCE['refusal-rate']} (refusal rate); ` +
  `at least ${MINIMUM_BUCKETS} buckets; volume counts every bucket (0 when empty), refusal rate only buckets whose decided cases come from at least ${MIN_PEOPLE} people; ` +
  `buckets are days for a period of a month, ISO weeks (from Monday) for longer periods`;

export interface Anomaly {
  readonly dimension: 'region' | 'agency';
  readonly key: string;
  readonly measure: 'volume' | 'refusal-rate';
  readonly bucket: string;
  readonly value: number | null;
  readonly baseline: number;
  readonly score: number;
  readonly suppressed: boolean;
}

/** the robust z-score of each value against the values' median and MAD (the mean absolute deviation when MAD is 0); undefined when neither spreads */
export function robustScores(values: readonly number[]): { baseline: number; scores: number[] } | undefined {
  const baseline = median(values);
  const deviations = values.map((value) => Math.abs(value - baseline));
  const mad = median(deviations);
  if (mad > 0) return { baseline, scores: values.map((value) => (0.6745 * (value - baseline)) / mad) };
  const meanDeviation = mean(deviations);
  if (meanDeviation > 0) return { baseline, scores: values.map((value) => (value - baseline) / (1.2533 * meanDeviation)) };
  return undefined;
}

/** every day of a period */
function daysOf(period: InsightPeriod): string[] {
  const days: string[] = [];
  for (let at = Date.parse(`${period.from}T00:00:00Z`); at <= Date.parse(`${period.to}T00:00:00Z`); at += DAY_MS) days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}

/** the Monday that starts a day's ISO week */
const weekOf = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) * DAY_MS).toISOString().slice(0, 10);

/** days for a period of at most a month, weeks for longer periods */
export function anomalyBuckets(period: InsightPeriod): { granularity: 'day' | 'week'; buckets: string[]; bucketOf: (day: string) => string } {
  const days = daysOf(period);
  if (days.length <= 31) return { granularity: 'day', buckets: days, bucketOf: (day) => day };
  return { granularity: 'week', buckets: [...new Set(days.map(weekOf))], bucketOf: weekOf };
}

/**
 * Anomaly detection: per region and per agency, the case volume and the refusal rate of each
 * bucket compared with the group's own buckets (ANOMALY_RULE). Lists the flagged buckets only,
 * the largest |z| first; a flagged volume drawn from 1–4 people shows no value.
 */
export function anomalies(cells: readonly InsightCell[], period: InsightPeriod): Anomaly[] {
  const { buckets, bucketOf } = anomalyBuckets(period);
  if (buckets.length < MINIMUM_BUCKETS) return [];
  const found: Anomaly[] = [];
  for (const dimension of ['region', 'agency'] as const) {
    for (const [key, own] of [...groupedBy(cells, (cell) => cell[dimension])].sort(([a], [b]) => a.localeCompare(b))) {
      const perBucket = tallyBy(own, (cell) => bucketOf(cell.day));
      const deciders = new Map<string, Set<string>>();
      for (const cell of own) {
        const people = deciders.get(bucketOf(cell.day)) ?? deciders.set(bucketOf(cell.day), new Set()).get(bucketOf(cell.day))!;
        for (const decision of cell.decisions) people.add(decision.person);
      }
      const volume = buckets.map((bucket) => ({ bucket, value: perBucket.get(bucket)?.cases ?? 0, tally: perBucket.get(bucket) ?? new Tally() }));
      const rates = buckets.flatMap((bucket) => {
        const tally = perBucket.get(bucket);
        return tally && tally.decided > 0 && !isSmallCell(deciders.get(bucket)?.size ?? 0) ? [{ bucket, value: tally.refused / tally.decided, tally }] : [];
      });
      for (const [measure, series] of [['volume', volume], ['refusal-rate', rates]] as const) {
        if (series.length < MINIMUM_BUCKETS) continue;
        const scored = robustScores(series.map((point) => point.value));
        if (!scored) continue;
        series.forEach((point, index) => {
          const score = scored.scores[index]!;
          if (Math.abs(score) <= ANOMALY_THRESHOLD || Math.abs(point.value - scored.baseline) < MINIMUM_DIFFERENCE[measure]) return;
          const suppressed = point.tally.suppressed;
          found.push({ dimension, key, measure, bucket: point.bucket, value: suppressed ? null : round(point.value, 4), baseline: round(scored.baseline, 4), score: round(score, 2), suppressed });
        });
      }
    }
  }
  return found.sort((a, b) => Math.abs(b.score) - Math.abs(a.score) || a.key.localeCompare(b.key) || a.bucket.localeCompare(b.bucket));
}

export interface EstablishmentRow {
  readonly region: string;
  readonly approved: number | null;
  readonly medianDays: number | null;
  readonly meanDays: number | null;
  readonly suppressed: boolean;
}

export interface LifeEventRow {
  readonly region: string;
  readonly journeys: number | null;
  readonly completed: number | null;
  readonly meanSteps: number | null;
  readonly medianDays: number | null;
  readonly meanDays: number | null;
  readonly suppressed: boolean;
}

/** certificates issued in a region and period, and their uses by agencies in place of paper materials */
export interface CertificateReuseTally {
  readonly region: string;
  readonly issued: number;
  readonly uses: number;
  /** holders of the certificates issued and applicants whose cases used them (at most MIN_PEOPLE per cell) */
  readonly people: readonly string[];
}

/** the certificate reuse of the evaluation's cells (issued by the issuer's region, uses by the case's region) */
export function certificateReuseOf(cells: readonly { key: { region: string }; cell: EvaluationCell }[]): CertificateReuseTally[] {
  return cells
    .filter(({ cell }) => (cell.counters.certificatesIssued ?? 0) + (cell.counters.certificateUses ?? 0) > 0)
    .map(({ key, cell }) => ({
      region: key.region,
      issued: cell.counters.certificatesIssued ?? 0,
      uses: cell.counters.certificateUses ?? 0,
      people: [...(cell.people.certificatesIssued ?? []), ...(cell.people.certificateUses ?? [])],
    }));
}

export interface CertificateReuseRow {
  readonly region: string;
  readonly issued: number | null;
  readonly uses: number | null;
  readonly usesPerCertificate: number | null;
  readonly suppressed: boolean;
}

export interface BusinessEnvironment {
  readonly establishment: EstablishmentRow[];
  readonly openingABusiness: LifeEventRow[];
  readonly certificateReuse: CertificateReuseRow[];
}

/** the rows of each region, then the row of them all (`all`) */
const perRegionAndAll = <T>(items: readonly T[], regionOf: (item: T) => string): [string, T[]][] => {
  return [...[...groupedBy(items, regionOf)].sort(([a], [b]) => a.localeCompare(b)), ['all', [...items]]];
};

/**
 * Business-environment indicators (营商环境, 6.2.7 c) per region and for all regions:
 * - enterprise establishment time: days from submission to approval of the establishment items;
 * - 开办企业一件事: per applicant, the steps (distinct items of the life event applied for) and,
 *   once every step is decided, the days from the first submission to the last decision;
 *   journeys count in the period of their first submission and the region of their first step;
 * - certificate reuse: uses of certificates in place of paper materials per certificate issued.
 */
export function businessEnvironment(
  cells: readonly InsightCell[],
  journeys: readonly LifeEventJourney[],
  reuse: readonly CertificateReuseTally[],
  period: InsightPeriod,
): BusinessEnvironment {
  const approvals = cells
    .filter((cell) => ESTABLISHMENT_ITEMS.includes(cell.itemCode))
    .flatMap((cell) => cell.decisions.filter((decision) => decision.outcome === 'approved').map((decision) => ({ region: cell.region, ...decision })));
  const establishment = perRegionAndAll(approvals, (approval) => approval.region).map(([region, group]): EstablishmentRow => {
    const people = new Set(group.map((approval) => approval.person)).size;
    if (isSmallCell(people)) return { region, approved: null, medianDays: null, meanDays: null, suppressed: true };
    const days = group.map((approval) => approval.ms / DAY_MS);
    return { region, approved: group.length, medianDays: round(median(days), 2), meanDays: round(mean(days), 2), suppressed: false };
  });

  const measured = journeys.flatMap((journey) => {
    const first = [...journey.steps].sort((a, b) => a.submittedAt.localeCompare(b.submittedAt))[0];
    if (!first) return [];
    const startDay = chinaDate(new Date(first.submittedAt));
    if (startDay < period.from || startDay > period.to) return [];
    const complete = journey.steps.every((step) => step.decidedAt !== undefined);
    const lastDecision = complete ? Math.max(...journey.steps.map((step) => Date.parse(step.decidedAt!))) : undefined;
    return [
      {
        region: first.region,
        person: journey.person,
        steps: new Set(journey.steps.map((step) => step.itemCode)).size,
        days: lastDecision === undefined ? undefined : (lastDecision - Date.parse(first.submittedAt)) / DAY_MS,
      },
    ];
  });
  const openingABusiness = perRegionAndAll(measured, (journey) => journey.region).map(([region, group]): LifeEventRow => {
    const people = new Set(group.map((journey) => journey.person)).size;
    if (isSmallCell(people)) return { region, journeys: null, completed: null, meanSteps: null, medianDays: null, meanDays: null, suppressed: true };
    const days = group.flatMap((journey) => (journey.days === undefined ? [] : [journey.days]));
    return {
      region,
      journeys: group.length,
      completed: days.length,
      meanSteps: round(mean(group.map((journey) => journey.steps)), 2),
      medianDays: days.length === 0 ? null : round(median(days), 2),
      meanDays: days.length === 0 ? null : round(mean(days), 2),
      suppressed: false,
    };
  });

  const certificateReuse = perRegionAndAll(reuse, (tally) => tally.region).map(([region, group]): CertificateReuseRow => {
    const people = new Set(group.flatMap((tally) => tally.people)).size;
    if (isSmallCell(people)) return { region, issued: null, uses: null, usesPerCertificate: null, suppressed: true };
    const issued = group.reduce((sum, tally) => sum + tally.issued, 0);
    const uses = group.reduce((sum, tally) => sum + tally.uses, 0);
    return { region, issued, uses, usesPerCertificate: ratio(uses, issued), suppressed: false };
  });
  return { establishment, openingABusiness, certificateReuse };
}

/** a period as the inclusive China calendar days and the months it covers */
export type InsightPeriod = Pick<EvaluationPeriod, 'from' | 'to' | 'months'>;


export interface Insights {
  readonly hotspots?: HotSpot[];
  readonly seasonal?: { months: SeasonalRow[]; weekdays: SeasonalRow[] };
  readonly bottlenecks?: Bottleneck[];
  readonly spatial?: SpatialRow[];
  readonly anomalies?: Anomaly[];
  readonly businessEnvironment?: BusinessEnvironment;
}

/** Computes the asked kinds (all when none is asked) from the cells, journeys and certificate reuse of a period. */
export function computeInsights(
  input: { period: InsightPeriod; cells: readonly InsightCell[]; journeys: readonly LifeEventJourney[]; reuse: readonly CertificateReuseTally[]; regions: RegionTable; top: number },
  kinds: readonly InsightKind[],
): Insights {
  const wants = (kind: InsightKind) => kinds.includes(kind);
  return {
    ...(wants('hotspots') ? { hotspots: hotSpots(input.cells, input.top) } : {}),
    ...(wants('seasonal') ? { seasonal: seasonalPattern(input.cells, input.period) } : {}),
    ...(wants('bottlenecks') ? { bottlenecks: bottlenecks(input.cells) } : {}),
    ...(wants('spatial') ? { spatial: spatialView(input.cells, input.regions) } : {}),
    ...(wants('anomalies') ? { anomalies: anomalies(input.cells, input.period) } : {}),
    ...(wants('business-environment') ? { businessEnvironment: businessEnvironment(input.cells, input.journeys, input.reuse, input.period) } : {}),
  };
}
