import type { CaseRecord } from '../../cases/case-model.js';
import { chinaDate } from '../../workflow/working-calendar.js';
import { casePerson, MIN_PEOPLE } from '../evaluation-facts.js';

/**
 * What the analysis insights (GB/T 39047 6.2.7 b, c) keep of one case: no one's identity, only a
 * pseudonymous key of the applicant so that aggregates can count distinct people (small-cell
 * suppression) and follow one applicant through a life event.
 */
export interface CaseInsightFact {
  readonly caseNo: string;
  readonly itemCode: string;
  /** GB/T 2260 code of the implementing region */
  readonly region: string;
  /** USCC of the handling agency */
  readonly agency: string;
  /** a one-way key of the applicant (never the account id itself) */
  readonly person: string;
  readonly submittedAt: string;
  readonly decidedAt?: string;
  readonly outcome?: 'approved' | 'denied' | 'rejected';
  /** completed stays in workflow states, in milliseconds, in the order they happened */
  readonly waits: readonly { readonly state: string; readonly ms: number }[];
}


/**
 * The completed stays of a case in its states, from its timeline: a stay starts at the entry
 * that entered a state and ends at the next entry in another state; entries that keep the state
 * (a transfer, added materials) do not end it. The current state's stay is not complete and is
 * left out.
 */
export function completedStays(timeline: CaseRecord['timeline']): { state: string; ms: number }[] {
  const stays: { state: string; ms: number }[] = [];
  let current: { state: string; since: number } | undefined;
  for (const entry of timeline) {
    const at = Date.parse(entry.at);
    if (current && current.state === entry.state) continue;
    if (current) stays.push({ state: current.state, ms: at - current.since });
    current = { state: entry.state, since: at };
  }
  return stays;
}

/** the insight fact of a case */
export function caseInsightFact(record: CaseRecord): CaseInsightFact {
  return {
    caseNo: record.caseNo,
    itemCode: record.itemCode,
    region: record.region,
    agency: record.agency.uscc,
    person: casePerson(record),
    submittedAt: record.submittedAt,
    ...(record.decision ? { decidedAt: record.decision.at, outcome: record.decision.outcome } : {}),
    waits: completedStays(record.timeline),
  };
}

/**
 * One stored per-day aggregate: the cases submitted on a day (China time) in one region, at one
 * agency, for one item. People are kept as up to MIN_PEOPLE pseudonymous keys (as the evaluation
 * cells keep them, see mergeCells): the union over cells then decides the small-cell rule exactly.
 * Durations are kept as lists where an exact median or percentile needs them; each is as long as
 * the cell's cases, so a year is read as days × cells, not as cases.
 */
export interface InsightCell {
  readonly day: string;
  readonly region: string;
  readonly agency: string;
  readonly itemCode: string;
  readonly cases: number;
  readonly decided: number;
  /** not accepted (不予受理) or not approved (不予办理) */
  readonly refused: number;
  /** distinct applicant keys, at most MIN_PEOPLE */
  readonly people: readonly string[];
  /** per state: the completed stays (ms) and (at most MIN_PEOPLE of) the applicants who waited */
  readonly waits: Readonly<Record<string, { readonly ms: readonly number[]; readonly people: readonly string[] }>>;
  /** submission to decision (ms) of each decided case, with its applicant */
  readonly decisions: readonly { readonly ms: number; readonly person: string; readonly outcome: 'approved' | 'denied' | 'rejected' }[];
}

/** the items by a key of each, in the order first seen */
export function groupedBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** the first MIN_PEOPLE distinct keys, sorted, so that an unchanged cell stores the same */
const capped = (people: Iterable<string>) => [...new Set(people)].sort().slice(0, MIN_PEOPLE);

const cellKey = (fact: CaseInsightFact) => `${chinaDate(new Date(fact.submittedAt))}#${fact.region}#${fact.agency}#${fact.itemCode}`;

/** Folds the facts of cases into per-day cells (by the China date of submission, region, agency, item). */
export function cellsOf(facts: readonly CaseInsightFact[]): InsightCell[] {
  return [...groupedBy(facts, cellKey).values()].map((group) => {
    const first = group[0]!;
    const waits: Record<string, { ms: number[]; people: Set<string> }> = {};
    for (const fact of group) {
      for (const stay of fact.waits) {
        const entry = (waits[stay.state] ??= { ms: [], people: new Set() });
        entry.ms.push(stay.ms);
        entry.people.add(fact.person);
      }
    }
    const decided = group.filter((fact) => fact.decidedAt !== undefined && fact.outcome !== undefined);
    return {
      day: chinaDate(new Date(first.submittedAt)),
      region: first.region,
      agency: first.agency,
      itemCode: first.itemCode,
      cases: group.length,
      decided: decided.length,
      refused: decided.filter((fact) => fact.outcome !== 'approved').length,
      people: capped(group.map((fact) => fact.person)),
      waits: Object.fromEntries(Object.entries(waits).map(([state, entry]) => [state, { ms: entry.ms, people: capped(entry.people) }])),
      decisions: decided.map((fact) => ({ ms: Date.parse(fact.decidedAt!) - Date.parse(fact.submittedAt), person: fact.person, outcome: fact.outcome! })),
    };
  });
}

/**
 * One applicant's way through a life event (一件事): the steps (cases of the event's items) they
 * applied for, as the per-applicant journey row keeps them.
 */
export interface LifeEventJourney {
  readonly lifeEventId: string;
  readonly person: string;
  readonly steps: readonly { readonly caseNo: string; readonly itemCode: string; readonly region: string; readonly submittedAt: string; readonly decidedAt?: string }[];
}

/** a new journey begins when a step comes this long after the first step of the current one (a second enterprise) */
export const JOURNEY_WINDOW_DAYS = 30;

/**
 * The journeys of applicants through a life event, from the facts of its items: per person, the
 * steps in order of submission, a new journey starting JOURNEY_WINDOW_DAYS after a journey's first step.
 */
export function journeysOf(facts: readonly CaseInsightFact[], lifeEventId: string, itemCodes: readonly string[]): LifeEventJourney[] {
  const byPerson = groupedBy(facts.filter((fact) => itemCodes.includes(fact.itemCode)), (fact) => fact.person);
  const journeys: LifeEventJourney[] = [];
  for (const [person, own] of byPerson) {
    let current: LifeEventJourney['steps'][number][] = [];
    for (const fact of [...own].sort((a, b) => a.submittedAt.localeCompare(b.submittedAt))) {
      if (current.length > 0 && Date.parse(fact.submittedAt) - Date.parse(current[0]!.submittedAt) > JOURNEY_WINDOW_DAYS * 86_400_000) {
        journeys.push({ lifeEventId, person, steps: current });
        current = [];
      }
      current.push({ caseNo: fact.caseNo, itemCode: fact.itemCode, region: fact.region, submittedAt: fact.submittedAt, ...(fact.decidedAt ? { decidedAt: fact.decidedAt } : {}) });
    }
    if (current.length > 0) journeys.push({ lifeEventId, person, steps: current });
  }
  return journeys;
}
