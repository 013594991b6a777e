import { describe, expect, it } from '@jest/globals';
import { addImplementation, emptyCatalogCounters, isStandardised } from '../../shared/analytics/catalog-facts.js';
import { caseFacts, certificateIssuedFact, foldFacts, interactionFacts, mergeCells, type EvaluationCell, type EvaluationFact } from '../../shared/analytics/evaluation-facts.js';
import { computeIndicators, evaluationScore, type Indicator, type IndicatorName } from '../../shared/analytics/evaluation-indicators.js';
import { parsePeriod, regionPrefix } from '../../shared/analytics/evaluation-period.js';
import { DEFAULT_WEIGHTS, loadEvaluationWeights } from '../../shared/analytics/evaluation-settings.js';
import type { CaseEvaluation, CaseRecord, TimelineEntry } from '../../shared/cases/case-model.js';
import type { BasicItem, Implementation } from '../../shared/catalog/catalog-model.js';
import { ValidationError } from '../../shared/errors.js';
import type { InteractionRecord } from '../../shared/interactions/interaction-repository.js';

/**
 * A scripted month (March 2026) at agency A, with every expected value worked out by hand in the
 * comments: the indicators must equal these literals, not a second run of the same code.
 */

const AGENCY_A = '11330106MB1A2B3C4X';
const AGENCY_B = '11440305MB2D3E4F5Y';
const NOW = new Date('2026-04-01T04:00:00Z');

function caseOf(
  caseNo: string,
  spec: {
    person: string;
    subjectType?: 'natural' | 'legal';
    channel?: 'web' | 'mobile' | 'partner';
    agency?: string;
    region?: string;
    decision?: 'approved' | 'denied' | 'rejected';
    actions?: string[];
    delivery?: 'pickup' | 'express';
    uploaded?: number;
    referenced?: number;
    evaluation?: Pick<CaseEvaluation, 'score' | 'rectification'>;
  },
): CaseRecord {
  const submittedAt = '2026-03-02T02:00:00Z';
  const decidedAt = '2026-03-10T02:00:00Z';
  const timeline: TimelineEntry[] = [
    { at: submittedAt, state: 'submitted', action: 'submit', actor: 'applicant' },
    ...(spec.actions ?? []).map((action, index) => ({ at: index === (spec.actions ?? []).length - 1 && spec.decision ? decidedAt : `2026-03-0${3 + index}T02:00:00Z`, state: 's', action, actor: 'staff' as const })),
  ];
  const material = (status: 'received' | 'referenced', index: number) => ({ materialId: `${caseNo}-${status}-${index}`, name: `m${index}`, contentType: 'application/pdf', size: 1, sha256: 'x', status, addedAt: submittedAt });
  return {
    caseNo,
    itemCode: 'SC-XK-0001',
    itemName: '示例事项',
    itemKind: '行政许可',
    region: spec.region ?? '330106',
    agency: { uscc: spec.agency ?? AGENCY_A, name: 'A' },
    applicant: { ...(spec.channel === 'partner' ? {} : { accountId: spec.person }), subjectType: spec.subjectType ?? 'natural', name: '某' },
    form: {},
    materials: [...Array.from({ length: spec.uploaded ?? 0 }, (_, i) => material('received', i)), ...Array.from({ length: spec.referenced ?? 0 }, (_, i) => material('referenced', i))],
    delivery: { method: spec.delivery ?? 'pickup' },
    workflowId: 'standard-v1',
    state: spec.decision ?? 'submitted',
    version: 1,
    promisedDays: 10,
    clock: { dueAt: '2026-03-20T00:00:00Z' },
    timeline,
    ...(spec.decision ? { decision: { outcome: spec.decision, at: decidedAt } } : {}),
    ...(spec.evaluation ? { evaluation: { ...spec.evaluation, dimensions: { process: 5, result: 5, efficiency: 5 }, at: '2026-03-12T02:00:00Z' } } : {}),
    ...(spec.channel === 'partner' ? { exchange: { partner: 'zj-regional', role: 'handler' as const, originCaseNo: `o-${caseNo}`, sentSeq: 0, receivedSeq: 1, receivedSeqs: [1] } } : {}),
    ...(spec.channel ? { channel: spec.channel } : {}),
    submittedAt,
    stateEnteredAt: submittedAt,
    lastActionAt: submittedAt,
  };
}

const rectification = (deadline: string, completedAt?: string) => ({ rectificationId: `r-${deadline}-${completedAt ?? 'open'}`, state: completedAt ? ('done' as const) : ('open' as const), deadline, ...(completedAt ? { completedAt } : {}) });
const approvedSteps = ['accept', 'handle', 'approve'];

/** agency A, March 2026: nine cases of six citizens (p1 twice), one forwarded case and two enterprises */
const AGENCY_A_CASES: { record: CaseRecord; certified: boolean; certificatesUsed: number }[] = [
  // web, express, approved with a sealed certificate: fully online; 3 steps; 2 uploads, 1 certificate used; 5 stars
  { record: caseOf('c1', { person: 'p1', channel: 'web', decision: 'approved', actions: approvedSteps, delivery: 'express', uploaded: 2, evaluation: { score: 5 } }), certified: true, certificatesUsed: 1 },
  // mobile, pickup, approved without certificate; steps accept, request-correction, handle, approve = 4 (supplement is the applicant's); 2 stars, rectified on time
  {
    record: caseOf('c2', { person: 'p2', channel: 'mobile', decision: 'approved', actions: ['accept', 'request-correction', 'supplement', 'handle', 'approve'], uploaded: 1, evaluation: { score: 2, rectification: rectification('2026-03-20T00:00:00Z', '2026-03-18T00:00:00Z') } }),
    certified: false,
    certificatesUsed: 0,
  },
  // mobile, express, denied: fully online; 3 steps; 3 uploads; 4 stars
  { record: caseOf('c3', { person: 'p3', channel: 'mobile', decision: 'denied', actions: ['accept', 'handle', 'deny'], delivery: 'express', uploaded: 3, evaluation: { score: 4 } }), certified: false, certificatesUsed: 0 },
  // web, pickup, not accepted: 1 step; 1 upload; 1 star, rectified late
  { record: caseOf('c4', { person: 'p4', channel: 'web', decision: 'rejected', actions: ['reject'], uploaded: 1, evaluation: { score: 1, rectification: rectification('2026-03-25T00:00:00Z', '2026-03-28T00:00:00Z') } }), certified: false, certificatesUsed: 0 },
  // forwarded by a partner, express, approved with a certificate: not online here; receive + 3 steps = 3; materials referenced, not uploaded
  { record: caseOf('c5', { person: 'p5', channel: 'partner', decision: 'approved', actions: ['receive', ...approvedSteps], delivery: 'express', referenced: 2 }), certified: true, certificatesUsed: 0 },
  // web, pickup, approved, no certificate: 3 steps; 2 uploads; 5 stars
  { record: caseOf('c6', { person: 'p6', channel: 'web', decision: 'approved', actions: approvedSteps, uploaded: 2, evaluation: { score: 5 } }), certified: false, certificatesUsed: 0 },
  // enterprise e1, web, express, approved with a certificate: fully online; 3 steps; 1 upload, 2 certificates used; 5 stars
  { record: caseOf('c7', { person: 'e1', subjectType: 'legal', channel: 'web', decision: 'approved', actions: approvedSteps, delivery: 'express', uploaded: 1, evaluation: { score: 5 } }), certified: true, certificatesUsed: 2 },
  // enterprise e2, web, pickup, approved: 3 steps; 1 upload; 3 stars
  { record: caseOf('c8', { person: 'e2', subjectType: 'legal', channel: 'web', decision: 'approved', actions: approvedSteps, uploaded: 1, evaluation: { score: 3 } }), certified: false, certificatesUsed: 0 },
  // p1 again, web, still open; 1 upload
  { record: caseOf('c9', { person: 'p1', channel: 'web', uploaded: 1 }), certified: false, certificatesUsed: 0 },
];

function interaction(id: string, spec: { kind: 'consult' | 'complaint' | 'suggestion'; submitter: string; state: string; replyAt?: string; reopens?: number }): InteractionRecord {
  return {
    id,
    kind: spec.kind,
    state: spec.state,
    version: 1,
    submitter: spec.submitter,
    anonymous: false,
    agency: AGENCY_A,
    routedBy: 'agency',
    region: '330106',
    title: 't',
    content: 'c',
    attachments: [],
    submittedAt: '2026-03-02T02:00:00Z',
    stateEnteredAt: '2026-03-02T02:00:00Z',
    reopens: spec.reopens ?? 0,
    replies: spec.replyAt ? [{ by: 'staff', content: 'r', at: spec.replyAt }] : [],
  };
}

const PASSED = new Date('2026-03-05T10:00:00Z');
const FUTURE = new Date('2026-04-10T10:00:00Z');
/** agency A's consults and complaints with their first reply deadline */
const AGENCY_A_INTERACTIONS: [InteractionRecord, Date][] = [
  [interaction('i1', { kind: 'consult', submitter: 's1', state: 'answered', replyAt: '2026-03-04T00:00:00Z' }), PASSED], // due, on time
  [interaction('i2', { kind: 'consult', submitter: 's2', state: 'answered', replyAt: '2026-03-06T00:00:00Z' }), PASSED], // due, late
  [interaction('i3', { kind: 'consult', submitter: 's3', state: 'submitted' }), PASSED], // due, unanswered
  [interaction('i4', { kind: 'consult', submitter: 's4', state: 'submitted' }), FUTURE], // not due yet
  [interaction('i5', { kind: 'complaint', submitter: 's5', state: 'closed', replyAt: '2026-03-03T00:00:00Z' }), PASSED], // due, on time; resolved
  [interaction('i6', { kind: 'complaint', submitter: 's6', state: 'investigating', replyAt: '2026-03-03T00:00:00Z', reopens: 1 }), PASSED], // due, on time; resolved, reopened
  [interaction('i7', { kind: 'complaint', submitter: 's1', state: 'submitted' }), FUTURE], // nothing yet
  [interaction('i8', { kind: 'suggestion', submitter: 's2', state: 'noted', replyAt: '2026-03-30T00:00:00Z' }), PASSED], // suggestions are not counted
  [interaction('i9', { kind: 'complaint', submitter: 's2', state: 'rejected', replyAt: '2026-03-03T00:00:00Z' }), PASSED], // due, on time; resolved
  [interaction('i10', { kind: 'complaint', submitter: 's3', state: 'resolved', replyAt: '2026-03-03T00:00:00Z' }), PASSED], // due, on time; resolved
  [interaction('i11', { kind: 'complaint', submitter: 's4', state: 'closed', replyAt: '2026-03-03T00:00:00Z', reopens: 2 }), PASSED], // due, on time; resolved, reopened
];

/** six certificates issued by agency A to five holders (h1 twice) */
const AGENCY_A_CERTIFICATES = ['h1', 'h1', 'h2', 'h3', 'h4', 'h5'].map((holder, index) => ({ issuedAt: `2026-03-1${index}T02:00:00Z`, issuerUscc: AGENCY_A, holderLookup: holder }));

const basicX: BasicItem = {
  code: 'SC-XK-0001',
  name: 'X',
  kind: '行政许可',
  department: 'd',
  audience: ['natural'],
  themes: [],
  lifeEvents: [],
  legalBasis: 'l',
  legalDays: 20,
  promisedDays: 10,
  onlineDepth: 3,
  fee: false,
  materials: [
    { name: 'A', required: true },
    { name: 'B', required: true },
    { name: 'C', required: false },
  ],
  aliases: [],
  conditions: [],
};
const basicY: BasicItem = { ...basicX, code: 'SC-XK-0002', name: 'Y', legalDays: 10, promisedDays: 5, onlineDepth: 4, materials: [{ name: 'A', required: true }] };
const impl = (itemCode: string, extra: Partial<Implementation>): Implementation => ({
  itemCode,
  region: '330106',
  agency: { uscc: AGENCY_A, name: 'A' },
  contactPhone: '0571-1',
  onlineUrl: 'https://a.example/apply',
  windows: [{ name: 'w', address: 'a' }],
  ...extra,
});
/** agency A's catalog: four implementations */
const AGENCY_A_CATALOG: [BasicItem, Implementation][] = [
  [basicX, impl('SC-XK-0001', { promisedDays: 5 })], // standardised; saves 20 − 5 = 15; 2 required; depth 3
  [basicX, impl('SC-XK-0001', { promisedDays: 25 })], // promised 25 > legal 20: inconsistent; saves 0; 2 required; depth 3
  [basicY, impl('SC-XK-0002', { contactPhone: undefined })], // no contact phone: incomplete; saves 10 − 5 = 5; 1 required; depth 4
  [basicY, impl('SC-XK-0002', { materials: [] })], // drops required material A: inconsistent; saves 5; 0 required; depth 4
];

const ACCESS = { requests: 1000, failures: 30, serverErrors: 4, latencySumMs: 123_456 };

function agencyACell(): EvaluationCell {
  const facts: EvaluationFact[] = [
    ...AGENCY_A_CASES.flatMap(({ record, certified, certificatesUsed }) => caseFacts(record, { certified, certificatesUsed }, NOW)),
    ...AGENCY_A_INTERACTIONS.flatMap(([record, deadline]) => interactionFacts(record, deadline, NOW)),
    ...AGENCY_A_CERTIFICATES.map(certificateIssuedFact),
  ];
  const cells = [...foldFacts(facts).values()];
  expect(cells.map(({ key }) => key)).toEqual([{ month: '2026-03', region: '330106', agency: AGENCY_A }]);
  return cells[0]!.cell;
}

const catalogA = () => AGENCY_A_CATALOG.reduce((counters, [basic, implementation]) => addImplementation(counters, basic, implementation), emptyCatalogCounters());
const byName = (indicators: readonly Indicator[]) => Object.fromEntries(indicators.map((indicator) => [indicator.name, indicator])) as Record<IndicatorName, Indicator>;
const shown = (indicator: Indicator) => [indicator.value, indicator.numerator, indicator.denominator, indicator.suppressed];

describe('evaluation periods', () => {
  it('reads a year, a quarter and a month as whole months with their first and last day', () => {
    expect(parsePeriod('2026')).toEqual({ text: '2026', months: ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'], from: '2026-01-01', to: '2026-12-31' });
    expect(parsePeriod('2026-Q2')).toEqual({ text: '2026-Q2', months: ['2026-04', '2026-05', '2026-06'], from: '2026-04-01', to: '2026-06-30' });
    expect(parsePeriod('2026-02')).toEqual({ text: '2026-02', months: ['2026-02'], from: '2026-02-01', to: '2026-02-28' });
    // 2024 is a leap year
    expect(parsePeriod('2024-02').to).toBe('2024-02-29');
  });

  it.each(['2026-Q5', '2026-Q0', '2026-13', '2026-00', '2026-1', '26', '1999', '2026-q1', '2026-03-01', ''])('refuses %p with a 422 naming the period', (text) => {
    let thrown: unknown;
    try {
      parsePeriod(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).issues[0]!.field).toBe('period');
  });

  it('nests regions by GB/T 2260 prefix', () => {
    expect([regionPrefix('330000'), regionPrefix('330100'), regionPrefix('330106')]).toEqual(['33', '3301', '330106']);
  });
});

describe('catalog standardisation', () => {
  it('counts agency A\'s four implementations by hand', () => {
    expect(AGENCY_A_CATALOG.map(([basic, implementation]) => isStandardised(basic, implementation))).toEqual([true, false, false, false]);
    // implementations 4; standardised 1; legal days 20 + 20 + 10 + 10 = 60; saved 15 + 0 + 5 + 5 = 25;
    // required materials 2 + 2 + 1 + 0 = 5; depth 4: the two Y implementations = 2
    expect(catalogA()).toEqual({ implementations: 4, standardised: 1, legalDays: 60, savedDays: 25, requiredMaterials: 5, fullyOnline: 2 });
  });
});

describe('service evaluation indicators', () => {
  it('computes every indicator of agency A in March 2026 as worked out by hand', () => {
    const indicators = byName(computeIndicators({ cases: agencyACell(), catalog: catalogA(), access: ACCESS }, DEFAULT_WEIGHTS));
    // catalog: 1 / 4 = 0.25; 25 / 60 = 0.41666… → 0.4167; 5 / 4 = 1.25; 2 / 4 = 0.5
    expect(shown(indicators['item-standardisation'])).toEqual([0.25, 1, 4, false]);
    expect(shown(indicators['promised-time-reduction'])).toEqual([0.4167, 25, 60, false]);
    expect(shown(indicators['required-materials-per-item'])).toEqual([1.25, 5, 4, false]);
    expect(shown(indicators['full-online-depth'])).toEqual([0.5, 2, 4, false]);
    // decided: c1 c2 c3 c4 c5 c6 c7 c8 = 8; steps 3 + 4 + 3 + 1 + 3 + 3 + 3 + 3 = 23; 23 / 8 = 2.875 → 2.88
    expect(shown(indicators['steps-per-decided-case'])).toEqual([2.88, 23, 8, false]);
    // submitted 9 (c1–c9); online: all but the forwarded c5 = 8; 8 / 9 = 0.8888… → 0.8889
    expect(shown(indicators['online-submission-rate'])).toEqual([0.8889, 8, 9, false]);
    // fully online among the 8 decided: c1 (web, express), c3 (mobile, express), c7 (web, express) = 3; 3 / 8 = 0.375
    expect(shown(indicators['fully-online-completion-rate'])).toEqual([0.375, 3, 8, false]);
    // mobile: c2, c3 = 2 of 8 online; 0.25
    expect(shown(indicators['mobile-usage-share'])).toEqual([0.25, 2, 8, false]);
    // approved: c1 c2 c5 c6 c7 c8 = 6 (p1 p2 p5 p6 e1 e2); with a sealed certificate: c1 c5 c7 = 3; 3 / 6 = 0.5
    expect(shown(indicators['e-seal-decision-rate'])).toEqual([0.5, 3, 6, false]);
    // issued 6 to five holders: a count, shown
    expect(shown(indicators['e-certificates-issued'])).toEqual([6, 6, null, false]);
    // certificates used 1 (c1) + 2 (c7) = 3; uploads 2 + 1 + 3 + 1 + 0 + 2 + 1 + 1 + 1 = 12; 3 / (3 + 12) = 0.2
    expect(shown(indicators['e-certificate-material-reuse-rate'])).toEqual([0.2, 3, 15, false]);
    // due: i1 i2 i3 i5 i6 i9 i10 i11 = 8 (s1 s2 s3 s5 s6 s4); on time: i1 i5 i6 i9 i10 i11 = 6; 6 / 8 = 0.75
    expect(shown(indicators['interaction-on-time-reply-rate'])).toEqual([0.75, 6, 8, false]);
    // resolved at least once: i5 i6 i9 i10 i11 = 5 complainants; reopened i6 i11 = 2; 2 / 5 = 0.4
    expect(shown(indicators['complaint-reopen-rate'])).toEqual([0.4, 2, 5, false]);
    // citizens' reviews: c1 5, c2 2, c3 4, c4 1, c6 5 (five people); good 3 / 5 = 0.6, bad 2 / 5 = 0.4
    expect(shown(indicators['citizen-good-review-rate'])).toEqual([0.6, 3, 5, false]);
    expect(shown(indicators['citizen-bad-review-rate'])).toEqual([0.4, 2, 5, false]);
    // enterprises' reviews: e1 and e2 only, two people < 5: suppressed
    expect(shown(indicators['enterprise-good-review-rate'])).toEqual([null, null, null, true]);
    expect(shown(indicators['enterprise-bad-review-rate'])).toEqual([null, null, null, true]);
    // rectifications due: c2 (on time) and c4 (late), people p2 and p4 < 5: suppressed
    expect(shown(indicators['rectification-on-time-rate'])).toEqual([null, null, null, true]);
    // access: (1000 − 4) / 1000 = 0.996; 30 / 1000 = 0.03; 123456 / 1000 = 123.456 → 123.46 ms
    expect(shown(indicators.availability)).toEqual([0.996, 996, 1000, false]);
    expect(shown(indicators['error-rate'])).toEqual([0.03, 30, 1000, false]);
    expect(shown(indicators['average-latency'])).toEqual([123.46, 123_456, 1000, false]);
    expect(Object.values(indicators).every((indicator) => indicator.formula.length > 20)).toBe(true);
  });

  it('scores the weighted mean of the ratios with a value, lower-is-better ones as 1 − value', () => {
    const indicators = computeIndicators({ cases: agencyACell(), catalog: catalogA(), access: ACCESS }, DEFAULT_WEIGHTS);
    // 14 ratios with a value, weight 1 each (suppressed ones and counts left out):
    // 0.25 + 0.4167 + 0.5 + 0.8889 + 0.375 + 0.25 + 0.5 + 0.2 + 0.75 + (1 − 0.4) + 0.6 + (1 − 0.4) + 0.996 + (1 − 0.03)
    // = 7.8966; 100 × 7.8966 / 14 = 56.404… → 56.4
    expect(evaluationScore(indicators)).toMatchObject({ value: 56.4, weightsUsed: 14 });
    // only availability (weight 2) and item standardisation (weight 1): 100 × (2 × 0.996 + 1 × 0.25) / 3 = 100 × 2.242 / 3 = 74.733… → 74.7
    const others = Object.keys(DEFAULT_WEIGHTS).map((name) => `${name}=0`);
    const weights = loadEvaluationWeights({ EVALUATION_WEIGHTS: [...others, 'availability=2', 'item-standardisation=1'].join(',') });
    expect(evaluationScore(computeIndicators({ cases: agencyACell(), catalog: catalogA(), access: ACCESS }, weights))).toMatchObject({ value: 74.7, weightsUsed: 3 });
  });

  it('refuses weights on unknown indicators, on indicators that are not ratios, and negative ones', () => {
    expect(() => loadEvaluationWeights({ EVALUATION_WEIGHTS: 'happiness=1' })).toThrow(/EVALUATION_WEIGHTS/);
    expect(() => loadEvaluationWeights({ EVALUATION_WEIGHTS: 'average-latency=1' })).toThrow(/only ratios/);
    expect(() => loadEvaluationWeights({ EVALUATION_WEIGHTS: 'availability=-1' })).toThrow(/EVALUATION_WEIGHTS/);
    expect(loadEvaluationWeights({}).availability).toBe(1);
    expect(loadEvaluationWeights({})['average-latency']).toBe(0);
  });

  it('gives null without source data and never suppresses catalog and access indicators', () => {
    const indicators = byName(computeIndicators({ cases: { counters: {}, people: {} }, catalog: undefined, access: undefined }, DEFAULT_WEIGHTS));
    expect(shown(indicators['item-standardisation'])).toEqual([null, null, null, false]);
    expect(shown(indicators.availability)).toEqual([null, null, null, false]);
    // no cases: no people, so the case indicators are suppressed rather than shown as 0
    expect(shown(indicators['online-submission-rate'])).toEqual([null, null, null, true]);
    expect(evaluationScore(Object.values(indicators)).value).toBeNull();
  });
});

describe('small cells across agencies and months', () => {
  it('unites the people of merged cells: rectifications of agencies A and B reach five people together', () => {
    // agency B: q1 rectified on time, q2 overdue and open, q3 open with a deadline still ahead (not due), q4 rectified on time
    const agencyB = [
      caseOf('q1', { person: 'q1', channel: 'web', agency: AGENCY_B, region: '440305', decision: 'approved', actions: approvedSteps, evaluation: { score: 1, rectification: rectification('2026-03-20T00:00:00Z', '2026-03-19T00:00:00Z') } }),
      caseOf('q2', { person: 'q2', channel: 'web', agency: AGENCY_B, region: '440305', decision: 'approved', actions: approvedSteps, evaluation: { score: 2, rectification: rectification('2026-03-21T00:00:00Z') } }),
      caseOf('q3', { person: 'q3', channel: 'web', agency: AGENCY_B, region: '440305', decision: 'approved', actions: approvedSteps, evaluation: { score: 2, rectification: rectification('2026-04-21T00:00:00Z') } }),
      caseOf('q4', { person: 'q4', channel: 'web', agency: AGENCY_B, region: '440305', decision: 'approved', actions: approvedSteps, evaluation: { score: 1, rectification: rectification('2026-03-22T00:00:00Z', '2026-03-22T00:00:00Z') } }),
    ];
    const cellB = [...foldFacts(agencyB.flatMap((record) => caseFacts(record, { certified: false, certificatesUsed: 0 }, NOW))).values()];
    // q3's deadline (21 April, China time: month 2026-04) has not passed: it is in no cell's rectification counters
    const marchB = cellB.find(({ key }) => key.month === '2026-03')!.cell;
    expect([marchB.counters.rectificationsDue, marchB.counters.rectificationsOnTime]).toEqual([3, 2]);
    const merged = byName(computeIndicators({ cases: mergeCells([agencyACell(), marchB]), catalog: undefined, access: undefined }, DEFAULT_WEIGHTS));
    // due: A 2 (c2, c4) + B 3 (q1, q2, q4) = 5 people; on time: c2, q1, q4 = 3; 3 / 5 = 0.6
    expect(shown(merged['rectification-on-time-rate'])).toEqual([0.6, 3, 5, false]);
    // each agency alone has fewer than five people behind it
    expect(byName(computeIndicators({ cases: marchB, catalog: undefined, access: undefined }, DEFAULT_WEIGHTS))['rectification-on-time-rate'].suppressed).toBe(true);
  });

  it('counts a person once over months: two people over three months stay a small cell', () => {
    const facts = ['2026-01', '2026-02', '2026-03'].flatMap((month) => ['x', 'y'].map((person) => ({ month, region: '330106', agency: AGENCY_A, counter: 'citizenReviews' as const, amount: 1, person })));
    const cells = [...foldFacts(facts).values()].map(({ cell }) => cell);
    const merged = mergeCells(cells);
    // six reviews, two people
    expect([merged.counters.citizenReviews, merged.people.citizenReviews]).toEqual([6, ['x', 'y']]);
    expect(byName(computeIndicators({ cases: merged, catalog: undefined, access: undefined }, DEFAULT_WEIGHTS))['citizen-good-review-rate'].suppressed).toBe(true);
  });

  it('keeps the five-person threshold exact when cells are capped before merging', () => {
    const cell = (people: string[]) => ({ counters: { citizenReviews: people.length }, people: { citizenReviews: people.slice(0, 5) } });
    // a cell of seven people keeps five keys; united with two others it still shows five (≥ 5)
    expect(mergeCells([cell(['a', 'b', 'c', 'd', 'e', 'f', 'g']), cell(['a', 'h'])]).people.citizenReviews).toHaveLength(5);
    // {a, b} ∪ {a, c} = 3 people: below the threshold
    expect(mergeCells([cell(['a', 'b']), cell(['a', 'c'])]).people.citizenReviews).toEqual(['a', 'b', 'c']);
  });
});
