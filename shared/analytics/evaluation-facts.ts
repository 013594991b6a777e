import type { CaseRecord } from '../cases/case-model.js';
import type { InteractionRecord } from '../interactions/interaction-repository.js';
import { chinaDate } from '../workflow/working-calendar.js';
import { pseudonymousKey } from './pseudonymous-key.js';

/**
 * The facts the service evaluation (GB/T 39047 6.2.6) counts, folded into cells of one month
 * at one agency in one region. A cell holds counters and, for each counter, up to MIN_PEOPLE
 * pseudonymous keys of the distinct people behind it: enough to decide the small-cell rule
 * exactly when cells are merged over months and agencies (see mergeCells).
 */

/** an indicator whose denominator stands on fewer distinct people than this is suppressed */
export const MIN_PEOPLE = 5;

export const EVALUATION_COUNTERS = [
  /** cases submitted, by the month of submission */
  'submitted',
  /** of them on the web portal or a mobile channel (not forwarded by a partner platform) */
  'submittedOnline',
  /** of them on a mobile channel (app, mini-program) */
  'submittedMobile',
  /** cases decided (approved, denied or not accepted), by the month of the decision */
  'decided',
  /** of them submitted online and needing no visit: express delivery or an electronic certificate */
  'decidedFullyOnline',
  /** staff steps from submission to decision of the decided cases (accept, handle, correction requests, the decision ...) */
  'decisionSteps',
  /** cases approved, by the month of approval */
  'approved',
  /** of them with a certificate issued for the case, sealed with the issuer's electronic seal */
  'approvedSealed',
  /** materials uploaded to cases, by the month they were added */
  'materialsUploaded',
  /** certificates read by the handling agency for a case instead of a paper material (one per case and certificate) */
  'certificateUses',
  /** electronic certificates issued, by the month of issue and the issuing agency */
  'certificatesIssued',
  /** consults and complaints whose first reply deadline has passed or that got a reply, by the month of submission */
  'interactionsDue',
  /** of them with a first reply of the agency by the deadline */
  'interactionsOnTime',
  /** complaints resolved or rejected at least once, by the month of submission */
  'complaintsResolved',
  /** of them reopened by the complainant */
  'complaintsReopened',
  /** reviews (好差评) of cases by enterprises and organisations, by the month of the review */
  'enterpriseReviews',
  'enterpriseGood',
  'enterpriseBad',
  /** reviews of cases by natural persons */
  'citizenReviews',
  'citizenGood',
  'citizenBad',
  /** rectifications of bad reviews whose deadline has passed or that are done, by the month of the deadline */
  'rectificationsDue',
  /** of them done by the deadline */
  'rectificationsOnTime',
] as const;
export type EvaluationCounter = (typeof EVALUATION_COUNTERS)[number];

/** one month at one agency in one region */
export interface CellKey {
  /** YYYY-MM in China Standard Time */
  readonly month: string;
  readonly region: string;
  /** USCC of the agency */
  readonly agency: string;
}

/** one thing counted: `amount` of `counter`, and whose record it is (a pseudonymous key) */
export interface EvaluationFact extends CellKey {
  readonly counter: EvaluationCounter;
  readonly amount: number;
  readonly person?: string;
}

export interface EvaluationCell {
  readonly counters: Partial<Record<EvaluationCounter, number>>;
  /** per counter, the keys of up to MIN_PEOPLE distinct people, sorted */
  readonly people: Partial<Record<EvaluationCounter, readonly string[]>>;
}

/** a review is good from 4 stars and bad up to 2 (the bad reviews that open a rectification) */
export const GOOD_REVIEW_MIN_SCORE = 4;
export const BAD_REVIEW_MAX_SCORE = 2;

/** a case's applicant as the evaluation keys them: their account, or for a case from another platform (no account here) the case itself */
export function casePerson(record: Pick<CaseRecord, 'applicant' | 'caseNo' | 'exchange'>): string {
  return pseudonymousKey('user', record.applicant.accountId ?? `${record.exchange?.partner ?? 'unknown'}:${record.caseNo}`);
}

export const monthOf = (at: string) => chinaDate(new Date(at)).slice(0, 7);

const isOnline = (record: Pick<CaseRecord, 'channel'>) => record.channel === 'web' || record.channel === 'mobile';
/** timeline actions that are not steps of the handling agency: the applicant's, and the receipt of a forwarded case */
const NOT_STAFF_STEPS = new Set(['submit', 'supplement', 'receive']);

/** what the evaluation needs to know about a case from other tables */
export interface CaseContext {
  /** a certificate was issued for the case */
  readonly certified: boolean;
  /** certificates the handling agency read for the case with the holder's grant */
  readonly certificatesUsed: number;
}

/**
 * The facts of one case:
 * 1. its submission and channel, in the month of submission;
 * 2. once decided: the decision, whether it was fully online, the staff steps to it; approvals
 *    with whether a sealed certificate was issued for the case;
 * 3. every material uploaded, and the certificates used instead, in the month of submission;
 * 4. its review by the applicant's type, and the rectification of a bad review once due or done.
 */
export function caseFacts(record: CaseRecord, context: CaseContext, now: Date): EvaluationFact[] {
  const facts: EvaluationFact[] = [];
  // a case forwarded by a partner has no account here: its applicant counts as one person per case
  const person = casePerson(record);
  const months = new Map<string, string>();
  const add = (at: string, counter: EvaluationCounter, amount = 1) => {
    let month = months.get(at);
    if (month === undefined) months.set(at, (month = monthOf(at)));
    facts.push({ month, region: record.region, agency: record.agency.uscc, counter, amount, person });
  };

  add(record.submittedAt, 'submitted');
  if (isOnline(record)) add(record.submittedAt, 'submittedOnline');
  if (record.channel === 'mobile') add(record.submittedAt, 'submittedMobile');

  const decision = record.decision;
  if (decision) {
    add(decision.at, 'decided');
    const noVisit = record.delivery.method === 'express' || record.result?.kind === 'certificate' || context.certified;
    if (isOnline(record) && noVisit) add(decision.at, 'decidedFullyOnline');
    const decisionIndex = record.timeline.findIndex((entry) => entry.at === decision.at && ['approve', 'deny', 'reject'].includes(entry.action));
    const upToDecision = decisionIndex === -1 ? record.timeline : record.timeline.slice(0, decisionIndex + 1);
    add(decision.at, 'decisionSteps', upToDecision.filter((entry) => !NOT_STAFF_STEPS.has(entry.action)).length);
    if (decision.outcome === 'approved') {
      add(decision.at, 'approved');
      if (context.certified) add(decision.at, 'approvedSealed');
    }
  }
  const uploaded = record.materials.filter((material) => material.status === 'received').length;
  if (uploaded > 0) add(record.submittedAt, 'materialsUploaded', uploaded);
  if (context.certificatesUsed > 0) add(record.submittedAt, 'certificateUses', context.certificatesUsed);

  const evaluation = record.evaluation;
  if (evaluation) {
    const enterprise = record.applicant.subjectType === 'legal' || record.applicant.subjectType === 'organization';
    const citizen = record.applicant.subjectType === 'natural';
    if (enterprise || citizen) {
      add(evaluation.at, enterprise ? 'enterpriseReviews' : 'citizenReviews');
      if (evaluation.score >= GOOD_REVIEW_MIN_SCORE) add(evaluation.at, enterprise ? 'enterpriseGood' : 'citizenGood');
      if (evaluation.score <= BAD_REVIEW_MAX_SCORE) add(evaluation.at, enterprise ? 'enterpriseBad' : 'citizenBad');
    }
    const rectification = evaluation.rectification;
    if (rectification && (rectification.state === 'done' || Date.parse(rectification.deadline) <= now.getTime())) {
      add(rectification.deadline, 'rectificationsDue');
      if (rectification.completedAt && rectification.completedAt <= rectification.deadline) add(rectification.deadline, 'rectificationsOnTime');
    }
  }
  return facts;
}

/**
 * The facts of one consult or complaint (suggestions have no reply rate), in the month of
 * submission: its first reply against the first deadline (`firstDeadline`, from the kind's reply
 * days), counted once replied or past the deadline; a complaint once resolved or rejected, and
 * whether it was reopened.
 */
export function interactionFacts(record: InteractionRecord, firstDeadline: Date, now: Date): EvaluationFact[] {
  if (record.kind === 'suggestion') return [];
  const facts: EvaluationFact[] = [];
  const cell = { month: monthOf(record.submittedAt), region: record.region ?? record.agency.slice(2, 8), agency: record.agency, person: pseudonymousKey('user', record.submitter) };
  const firstReply = record.replies.find((reply) => reply.by === 'staff');
  if (firstReply || firstDeadline.getTime() <= now.getTime()) {
    facts.push({ ...cell, counter: 'interactionsDue', amount: 1 });
    if (firstReply && Date.parse(firstReply.at) <= firstDeadline.getTime()) facts.push({ ...cell, counter: 'interactionsOnTime', amount: 1 });
  }
  if (record.kind === 'complaint' && (['resolved', 'rejected', 'closed'].includes(record.state) || record.reopens > 0)) {
    facts.push({ ...cell, counter: 'complaintsResolved', amount: 1 });
    if (record.reopens > 0) facts.push({ ...cell, counter: 'complaintsReopened', amount: 1 });
  }
  return facts;
}

/** an issued certificate, counted for its issuer in the region of the issuer's USCC (characters 3–8) */
export function certificateIssuedFact(certificate: { issuedAt: string; issuerUscc: string; holderLookup: string }): EvaluationFact {
  return { month: monthOf(certificate.issuedAt), region: certificate.issuerUscc.slice(2, 8), agency: certificate.issuerUscc, counter: 'certificatesIssued', amount: 1, person: pseudonymousKey('user', certificate.holderLookup) };
}

export const cellId = (key: CellKey) => `${key.month}|${key.region}|${key.agency}`;

export function emptyCell(): { counters: Partial<Record<EvaluationCounter, number>>; people: Partial<Record<EvaluationCounter, string[]>> } {
  return { counters: {}, people: {} };
}

/** adds one fact to a cell (in place): its amount, and its person while fewer than MIN_PEOPLE are known */
export function addFact(cell: ReturnType<typeof emptyCell>, fact: Pick<EvaluationFact, 'counter' | 'amount' | 'person'>): void {
  cell.counters[fact.counter] = (cell.counters[fact.counter] ?? 0) + fact.amount;
  if (fact.person === undefined) return;
  const known = (cell.people[fact.counter] ??= []);
  if (known.length < MIN_PEOPLE && !known.includes(fact.person)) known.push(fact.person);
}

/**
 * Folds facts into their cells. The same fold runs on schedule over every record; the result
 * depends only on the facts, so a run repeated over the same records writes the same cells.
 */
export function foldFacts(facts: Iterable<EvaluationFact>, into = new Map<string, { key: CellKey; cell: ReturnType<typeof emptyCell> }>()) {
  for (const fact of facts) {
    const id = cellId(fact);
    let entry = into.get(id);
    if (!entry) {
      entry = { key: { month: fact.month, region: fact.region, agency: fact.agency }, cell: emptyCell() };
      into.set(id, entry);
    }
    addFact(entry.cell, fact);
  }
  return into;
}

/**
 * Merges cells (months of a period, agencies of a region): counters add up, people are united
 * and capped at MIN_PEOPLE again. The cap keeps "at least MIN_PEOPLE distinct people" exact: a cell
 * with MIN_PEOPLE or more keeps MIN_PEOPLE keys, so the union reaches the threshold; cells below it
 * keep all their keys, so the union is the true set.
 */
export function mergeCells(cells: Iterable<EvaluationCell>): EvaluationCell {
  const merged = emptyCell();
  for (const cell of cells) {
    for (const [counter, amount] of Object.entries(cell.counters) as [EvaluationCounter, number][]) merged.counters[counter] = (merged.counters[counter] ?? 0) + amount;
    for (const [counter, keys] of Object.entries(cell.people) as [EvaluationCounter, readonly string[]][]) {
      const known = (merged.people[counter] ??= []);
      for (const key of keys) if (known.length < MIN_PEOPLE && !known.includes(key)) known.push(key);
    }
  }
  for (const keys of Object.values(merged.people)) keys.sort();
  return merged;
}

/** distinct people behind some counters of a merged cell, capped at MIN_PEOPLE */
export function peopleBehind(cell: EvaluationCell, counters: readonly EvaluationCounter[]): number {
  return Math.min(MIN_PEOPLE, new Set(counters.flatMap((counter) => cell.people[counter] ?? [])).size);
}
