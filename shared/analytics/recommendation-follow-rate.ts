import { invalidField } from '../errors.js';
import type { RecommendationFact, RecommendationRepository } from '../user-center/recommendation-repository.js';
import { chinaDate } from '../workflow/working-calendar.js';
import { MIN_PEOPLE } from './evaluation-facts.js';
import { regionPrefix } from './evaluation-period.js';

/** the longest range one report covers, in months */
const MAX_MONTHS = 24;

/** one cell: counts null when suppressed, as every analytics figure is */
export interface FollowRateCell {
  readonly period: string;
  readonly itemCode?: string;
  readonly sent: number | null;
  readonly followed: number | null;
  readonly rate: number | null;
  readonly suppressed: boolean;
}

export interface FollowRateReport {
  readonly from: string;
  readonly to: string;
  readonly definition: string;
  readonly minCellPeople: number;
  /** per month (China time, YYYY-MM) of sending */
  readonly periods: readonly FollowRateCell[];
  /** per month and recommended item, the most sent first */
  readonly byItem: readonly FollowRateCell[];
}

const DEFINITION = `rate = followed / sent: of the next items recommended after an approval, the share the same user applied for afterwards; a cell of fewer than ${MIN_PEOPLE} distinct people is suppressed (no counts)`;
const roundedRate = (followed: number, sent: number) => (sent === 0 ? 0 : Math.round((followed / sent) * 1000) / 1000);

/** the months (YYYY-MM) from one day's month to another's */
function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.slice(0, 7).split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    months.push(current);
    if (current >= last) return months;
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
}

/**
 * The cells of a set of recommendations: per month of sending, and per month and item; sent,
 * followed and the rate; a cell whose recommendations went to fewer than MIN_PEOPLE distinct
 * people suppressed (no counts at all).
 */
export function followRateCells(facts: readonly RecommendationFact[]): { periods: FollowRateCell[]; byItem: FollowRateCell[] } {
  const cells = new Map<string, { period: string; itemCode?: string; sent: number; followed: number; people: Set<string> }>();
  const add = (key: string, cell: { period: string; itemCode?: string }, fact: RecommendationFact) => {
    const current = cells.get(key) ?? { ...cell, sent: 0, followed: 0, people: new Set<string>() };
    current.sent += 1;
    if (fact.followedAt !== undefined) current.followed += 1;
    current.people.add(fact.userKey);
    cells.set(key, current);
  };
  for (const fact of facts) {
    const period = chinaDate(new Date(fact.sentAt)).slice(0, 7);
    add(period, { period }, fact);
    add(`${period}#${fact.itemCode}`, { period, itemCode: fact.itemCode }, fact);
  }
  const shown = [...cells.values()].map(({ people, sent, followed, ...cell }) => ({
    ...cell,
    ...(people.size < MIN_PEOPLE ? { sent: null, followed: null, rate: null, suppressed: true } : { sent, followed, rate: roundedRate(followed, sent), suppressed: false }),
    // suppressed cells last, in item order: their place must not hint at their size
    order: people.size < MIN_PEOPLE ? 0 : sent,
  }));
  const ordered = (list: typeof shown) => list.map(({ order: _order, ...cell }): FollowRateCell => cell);
  return {
    periods: ordered(shown.filter((cell) => cell.itemCode === undefined).sort((a, b) => a.period.localeCompare(b.period))),
    byItem: ordered(shown.filter((cell) => cell.itemCode !== undefined).sort((a, b) => a.period.localeCompare(b.period) || b.order - a.order || a.itemCode!.localeCompare(b.itemCode!))),
  };
}

/**
 * How often next-item recommendations are followed (GB/T 39047 6.2.7 a):
 * 1. the range (ISO dates, inclusive, China time) must be ordered and span at most MAX_MONTHS months (422);
 * 2. the recommendations sent in its months, from the month listings, kept when sent within the
 *    range and, given a region, in it or below it (GB/T 2260 prefix);
 * 3. the cells per month and per month and item (followRateCells), small cells suppressed.
 * A recommendation counts as followed once the same user applied for the item, whenever that was.
 */
export async function recommendationFollowRate(
  deps: { recommendations: Pick<RecommendationRepository, 'sentIn'> },
  input: { from: string; to: string; region?: string },
): Promise<FollowRateReport> {
  if (input.to < input.from) throw invalidField('to', 'must not be before from');
  const months = monthsBetween(input.from, input.to);
  if (months.length > MAX_MONTHS) throw invalidField('to', `the range may span at most ${MAX_MONTHS} months`);
  const prefix = input.region === undefined ? undefined : regionPrefix(input.region);
  const facts = (await Promise.all(months.map((month) => deps.recommendations.sentIn(month)))).flat().filter((fact) => {
    const day = chinaDate(new Date(fact.sentAt));
    return day >= input.from && day <= input.to && (prefix === undefined || fact.region.startsWith(prefix));
  });
  return { from: input.from, to: input.to, definition: DEFINITION, minCellPeople: MIN_PEOPLE, ...followRateCells(facts) };
}
