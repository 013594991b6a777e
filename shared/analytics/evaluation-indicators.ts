import type { CatalogCounters } from './catalog-facts.js';
import { MIN_PEOPLE, peopleBehind, type EvaluationCell, type EvaluationCounter } from './evaluation-facts.js';

/**
 * The indicators of the service evaluation (GB/T 39047 6.2.6), each a pure function of the
 * merged cells of a region, agency and period. Every indicator carries its formula, returned by
 * the API as written here.
 */

/** the indicators, in the order the API returns them */
export const INDICATOR_NAMES = [
  'item-standardisation',
  'promised-time-reduction',
  'required-materials-per-item',
  'full-online-depth',
  'steps-per-decided-case',
  'online-submission-rate',
  'fully-online-completion-rate',
  'mobile-usage-share',
  'e-seal-decision-rate',
  'e-certificates-issued',
  'e-certificate-material-reuse-rate',
  'interaction-on-time-reply-rate',
  'complaint-reopen-rate',
  'enterprise-good-review-rate',
  'enterprise-bad-review-rate',
  'citizen-good-review-rate',
  'citizen-bad-review-rate',
  'rectification-on-time-rate',
  'availability',
  'error-rate',
  'average-latency',
] as const;
export type IndicatorName = (typeof INDICATOR_NAMES)[number];

export type IndicatorUnit = 'ratio' | 'count' | 'days' | 'ms';
export type IndicatorDirection = 'higher-is-better' | 'lower-is-better' | 'neutral';

/** Platform access over a period (access monitoring's per-day totals): not attributable to a region or agency. */
export interface AccessCounters {
  readonly requests: number;
  /** responses with a status from 400 */
  readonly failures: number;
  /** responses with a status from 500 */
  readonly serverErrors: number;
  readonly latencySumMs: number;
}

/** what the indicators are computed from */
export interface EvaluationInput {
  /** the case, certificate, interaction and review facts of the region, agency and period */
  readonly cases: EvaluationCell;
  /** the latest catalog snapshot within the period; undefined when none was taken */
  readonly catalog: CatalogCounters | undefined;
  readonly access: AccessCounters | undefined;
}

export interface Indicator {
  readonly name: IndicatorName;
  readonly group: string;
  /** numerator / denominator for ratios and averages, the numerator for counts; null without data or when suppressed */
  readonly value: number | null;
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly unit: IndicatorUnit;
  readonly direction: IndicatorDirection;
  readonly formula: string;
  /** fewer than MIN_PEOPLE distinct people stand behind the denominator (or the count) */
  readonly suppressed: boolean;
  /** its weight in the score (0: not scored) */
  readonly weight: number;
}

interface Definition {
  readonly name: IndicatorName;
  readonly group: string;
  readonly unit: IndicatorUnit;
  readonly direction: IndicatorDirection;
  readonly formula: string;
  /** numerator and denominator (null for a count) from the input; undefined when there is no source data */
  readonly measure: (input: EvaluationInput) => { numerator: number; denominator: number | null } | undefined;
  /** the counters whose people stand behind the denominator; absent for indicators about items or requests, never suppressed */
  readonly people?: readonly EvaluationCounter[];
}

const count = (cell: EvaluationCell, counter: EvaluationCounter) => cell.counters[counter] ?? 0;
const fromCases = (numerator: EvaluationCounter | readonly EvaluationCounter[], denominator: readonly EvaluationCounter[]) => (input: EvaluationInput) => ({
  numerator: (Array.isArray(numerator) ? numerator : [numerator]).reduce((sum: number, counter: EvaluationCounter) => sum + count(input.cases, counter), 0),
  denominator: denominator.reduce((sum, counter) => sum + count(input.cases, counter), 0),
});
const fromCatalog = (numerator: (c: CatalogCounters) => number, denominator: (c: CatalogCounters) => number) => (input: EvaluationInput) =>
  input.catalog ? { numerator: numerator(input.catalog), denominator: denominator(input.catalog) } : undefined;
const fromAccess = (numerator: (a: AccessCounters) => number) => (input: EvaluationInput) => (input.access ? { numerator: numerator(input.access), denominator: input.access.requests } : undefined);

const CATALOG_NOTE = 'published implementations of the region and agency in the latest catalog snapshot of the period';
const ACCESS_NOTE = 'all API requests of the period on the platform (access monitoring is not attributed to regions or agencies)';

export const INDICATORS: readonly Definition[] = [
  {
    name: 'item-standardisation',
    group: 'standardisation',
    unit: 'ratio',
    direction: 'higher-is-better',
    formula: `implementations whose required elements (agency, contact phone, window or online entry, online entry from depth 3) are complete and consistent with the basic item (promised days ≤ legal days, every required basic material asked) / ${CATALOG_NOTE}`,
    measure: fromCatalog((c) => c.standardised, (c) => c.implementations),
  },
  {
    name: 'promised-time-reduction',
    group: 'process-optimisation',
    unit: 'ratio',
    direction: 'higher-is-better',
    formula: `Σ (legal days − promised days) / Σ legal days, over the ${CATALOG_NOTE}`,
    measure: fromCatalog((c) => c.savedDays, (c) => c.legalDays),
  },
  {
    name: 'required-materials-per-item',
    group: 'process-optimisation',
    unit: 'count',
    direction: 'lower-is-better',
    formula: `Σ required materials / ${CATALOG_NOTE}`,
    measure: fromCatalog((c) => c.requiredMaterials, (c) => c.implementations),
  },
  {
    name: 'full-online-depth',
    group: 'process-optimisation',
    unit: 'ratio',
    direction: 'higher-is-better',
    formula: `implementations at online depth 4 (全程网办) / ${CATALOG_NOTE}`,
    measure: fromCatalog((c) => c.fullyOnline, (c) => c.implementations),
  },
  {
    name: 'steps-per-decided-case',
    group: 'process-optimisation',
    unit: 'count',
    direction: 'lower-is-better',
    formula: 'Σ steps of the agency from submission to decision (timeline entries other than submit, supplement and receipt from a partner platform, the decision included) / cases decided in the period',
    measure: fromCases('decisionSteps', ['decided']),
    people: ['decided'],
  },
  {
    name: 'online-submission-rate',
    group: 'online-offline-integration',
    unit: 'ratio',
    direction: 'higher-is-better',
    formula: 'cases submitted on the web portal or a mobile client / all cases submitted in the period (forwarded by partner platforms or without a recorded channel: not online here)',
    measure: fromCases('submittedOnline', ['submitted']),
    people: ['submitted'],
  },
  {
    name: 'fully-online-completion-rate',
    group: 'online-offline-integration',
    unit: 'ratio',
    direction: 'higher-is-better',
    formula: 'cases decided in the period that were submitted online and needed no visit (express delivery, or an electronic certificate as the result) / cases decided in the period',
    measure: fromCases('decidedFullyOnline', ['decided']),
    people: ['decided'],
  },
  {
    name: 'mobile-usage-share',
    group: 'mobile',
    unit: 'ratio',
    direction: 'higher-is-better',
    formula: 'cases submitted on a mobile client (X-Channel app, mini-program, mobile web) / cases submitted online in the period',
    measure: fromCases('submittedMobile', ['submittedOnline']),
    people: ['submittedOnline'],
  },
  {
    name: 'e-seal-decision-rate',
    group: 'e-seal',
    unit: 'ratio',
    direction: 'higher-is-better',
    formula: "cases approved in the period with a certificate issued for the case, sealed with the issuer's electronic seal / cases approved in the period",
    measure: fromCases('approvedSealed', ['approved']),
    people: ['approved'],
  },
  {
    name: 'e-certificates-issued',
    group: 'e-certificate',
    unit: 'count',
    direction: 'higher-is-better',
    formula: 'electronic certificates issued in the period by the agency (region: characters 3–8 of the issuer USCC)',
    measure: (input) => ({ numerator: count(input.cases, 'certificatesIssued'), denominator: null }),
    people: ['certificatesIssued'],
  },
  {
    name: 'e-certificate-material-reuse-rate',
    group: 'e-certificate',
    unit: 'ratio',
    direction: 'higher-is-better',
    formula: "certificates the handling agency read for a case with the holder's grant (one per case and certificate) / (those + materials uploaded), for cases submitted in the period",
    measure: fromCases('certificateUses', ['certificateUses', 'materialsUploaded']),
    people: ['certificateUses', 'materialsUploaded'],
  },
  {
    name: 'interaction-on-time-reply-rate',
    group: 'consult-complaint',
    unit: 'ratio',
    direction: 'higher-is-better',
    formula: "consults and complaints whose first reply of the agency came by the kind's reply deadline / consults and complaints submitted in the period that were replied to or are past that deadline",
    measure: fromCases('interactionsOnTime', ['interactionsDue']),
    people: ['interactionsDue'],
  },
  {
    name: 'complaint-reopen-rate',
    group: 'consult-complaint',
    unit: 'ratio',
    direction: 'lower-is-better',
    formula: 'complaints reopened by the complainant / complaints submitted in the period that were resolved or rejected at least once',
    measure: fromCases('complaintsReopened', ['complaintsResolved']),
    people: ['complaintsResolved'],
  },
  {
    name: 'enterprise-good-review-rate',
    group: 'evaluation',
    unit: 'ratio',
    direction: 'higher-is-better',
    formula: 'reviews of 4 or 5 stars by enterprises and organisations / their reviews in the period',
    measure: fromCases('enterpriseGood', ['enterpriseReviews']),
    people: ['enterpriseReviews'],
  },
  {
    name: 'enterprise-bad-review-rate',
    group: 'evaluation',
    unit: 'ratio',
    direction: 'lower-is-better',
    formula: 'reviews of 1 or 2 stars by enterprises and organisations / their reviews in the period',
    measure: fromCases('enterpriseBad', ['enterpriseReviews']),
    people: ['enterpriseReviews'],
  },
  {
    name: 'citizen-good-review-rate',
    group: 'evaluation',
    unit: 'ratio',
    direction: 'higher-is-better',
    formula: 'reviews of 4 or 5 stars by natural persons / their reviews in the period',
    measure: fromCases('citizenGood', ['citizenReviews']),
    people: ['citizenReviews'],
  },
  {
    name: 'citizen-bad-review-rate',
    group: 'evaluation',
    unit: 'ratio',
    direction: 'lower-is-better',
    formula: 'reviews of 1 or 2 stars by natural persons / their reviews in the period',
    measure: fromCases('citizenBad', ['citizenReviews']),
    people: ['citizenReviews'],
  },
  {
    name: 'rectification-on-time-rate',
    group: 'evaluation',
    unit: 'ratio',
    direction: 'higher-is-better',
    formula: 'rectifications of bad reviews done by their deadline / rectifications whose deadline falls in the period and has passed or that are done',
    measure: fromCases('rectificationsOnTime', ['rectificationsDue']),
    people: ['rectificationsDue'],
  },
  {
    name: 'availability',
    group: 'service-assurance',
    unit: 'ratio',
    direction: 'higher-is-better',
    formula: `(requests − requests answered with a status from 500) / ${ACCESS_NOTE}`,
    measure: fromAccess((a) => a.requests - a.serverErrors),
  },
  {
    name: 'error-rate',
    group: 'service-assurance',
    unit: 'ratio',
    direction: 'lower-is-better',
    formula: `requests answered with a status from 400 / ${ACCESS_NOTE}`,
    measure: fromAccess((a) => a.failures),
  },
  {
    name: 'average-latency',
    group: 'service-assurance',
    unit: 'ms',
    direction: 'lower-is-better',
    formula: `Σ latency in ms / ${ACCESS_NOTE}`,
    measure: fromAccess((a) => a.latencySumMs),
  },
];

/** ratios to 4 decimals, averages to 2 */
const rounded = (value: number, unit: IndicatorUnit) => (unit === 'ratio' ? Math.round(value * 10_000) / 10_000 : Math.round(value * 100) / 100);

export const SUPPRESSION_RULE = `An indicator is suppressed (value, numerator and denominator null, suppressed true) when the records of its denominator — for a count, the records counted — belong to fewer than ${MIN_PEOPLE} distinct people (applicants, complainants, certificate holders). Indicators about catalog items or API requests count no people and are never suppressed.`;

/**
 * Computes every indicator:
 * 1. measure numerator and denominator; no source data or a zero denominator gives value null;
 * 2. suppress it when fewer than MIN_PEOPLE distinct people stand behind it (SUPPRESSION_RULE);
 * 3. the value: numerator / denominator, or the numerator for a count, rounded.
 */
export function computeIndicators(input: EvaluationInput, weights: Readonly<Record<IndicatorName, number>>): Indicator[] {
  return INDICATORS.map((definition) => {
    const base = { name: definition.name, group: definition.group, unit: definition.unit, direction: definition.direction, formula: definition.formula, weight: weights[definition.name] };
    const measured = definition.measure(input);
    if (definition.people && peopleBehind(input.cases, definition.people) < MIN_PEOPLE) {
      return { ...base, value: null, numerator: null, denominator: null, suppressed: true };
    }
    if (!measured) return { ...base, value: null, numerator: null, denominator: null, suppressed: false };
    const { numerator, denominator } = measured;
    const value = denominator === null ? numerator : denominator === 0 ? null : rounded(numerator / denominator, definition.unit);
    return { ...base, value, numerator, denominator, suppressed: false };
  });
}

export const SCORE_FORMULA =
  '100 × Σ weight × goodness / Σ weight, over the indicators with a value and a weight above 0, where goodness is the value of a higher-is-better ratio and 1 − value of a lower-is-better ratio (only ratios may carry weight)';

/** the weighted score of the indicators that have a value (SCORE_FORMULA), to one decimal; null when none has */
export function evaluationScore(indicators: readonly Indicator[]): { value: number | null; formula: string; weightsUsed: number } {
  let weighted = 0;
  let weightsUsed = 0;
  for (const indicator of indicators) {
    if (indicator.value === null || indicator.weight <= 0 || indicator.unit !== 'ratio') continue;
    const goodness = indicator.direction === 'lower-is-better' ? 1 - indicator.value : indicator.value;
    weighted += indicator.weight * goodness;
    weightsUsed += indicator.weight;
  }
  return { value: weightsUsed === 0 ? null : Math.round((1000 * weighted) / weightsUsed) / 10, formula: SCORE_FORMULA, weightsUsed };
}
