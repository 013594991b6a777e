import { describe, expect, it } from '@jest/globals';
import { parsePeriod } from '../../shared/analytics/evaluation-period.js';
import {
  anomalies,
  bottlenecks,
  businessEnvironment,
  certificateReuseOf,
  hotSpots,
  median,
  nearestRankPercentile,
  seasonalPattern,
  spatialView,
} from '../../shared/analytics/insights/compute-insights.js';
import { caseInsightFact, cellsOf, completedStays, journeysOf, type CaseInsightFact, type LifeEventJourney } from '../../shared/analytics/insights/insight-facts.js';
import { csvCell, insightsCsv } from '../../shared/analytics/insights/insights-csv.js';
import { regionTable } from '../../shared/regions/region-table.js';
import type { CaseRecord } from '../../shared/cases/case-model.js';

/**
 * A scripted month (March 2026, China time) whose every expected figure is worked out by hand
 * below, never by running the code under test. Agencies: A1 in 西湖区 330106, A2 in 上城区 330102,
 * A3 in 鄞州区 330212. People are p1..p14.
 *
 * group A  330106 A1 企业设立登记 SC-XK-0001, 8 cases, people p1..p6:
 *   03-02 p1 approved after 1 day · 03-03 p2 approved after 2 days · 03-04 p3 approved after 3 days
 *   03-10 p4 approved 1 day · p5 approved 4 days · p6 denied 2 days · p1 rejected 0.5 day · p2 open
 *   waits in `submitted` of the five 03-10 cases p4, p5, p6, p1, p2: 1, 2, 3, 4, 10 hours
 * group B  330106 A1 公章刻制备案 GA-QT-0001, 5 cases on 03-10, p1..p5:
 *   p1 approved, p2 approved, p3 rejected, p4 approved, p5 open; each waited 2 hours in `accepted`
 * group C  330102 A2 SC-XK-0001, 3 cases: 03-10 p7 approved after 5 days, 03-11 p8 approved after
 *   3 days, 03-12 p9 open; p7 and p8 waited 100 and 200 hours in `correction-requested`
 * group D  330212 A3 单位社保参保登记 RS-QR-0001, 6 cases: 03-16 p10 approved, 03-17 p11 approved,
 *   03-18 p12 denied, 03-19 p13 approved, 03-20 p14 open, 03-21 p10 open;
 *   `in-review` waits in that order: 24, 48, 12, 36, 72, 6 hours
 * Weekdays: 03-01-2026 is a Sunday, so 03-02/16 are Mondays, 03-03/10/17 Tuesdays, 03-04/11/18
 * Wednesdays, 03-12/19 Thursdays, 03-20 a Friday and 03-21 a Saturday.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const A1 = '91330106MA00000001';
const A2 = '91330102MA00000002';
const A3 = '91330212MA00000003';
let serial = 0;

/** a case submitted at 10:00 China time (02:00 UTC) of a March day */
function fact(
  region: string,
  agency: string,
  itemCode: string,
  day: number,
  person: string,
  decision?: { outcome: 'approved' | 'denied' | 'rejected'; afterDays: number },
  waits: { state: string; ms: number }[] = [],
): CaseInsightFact {
  const submittedAt = new Date(Date.UTC(2026, 2, day, 2)).toISOString();
  return {
    caseNo: `C${String((serial += 1)).padStart(4, '0')}`,
    itemCode,
    region,
    agency,
    person,
    submittedAt,
    ...(decision ? { decidedAt: new Date(Date.parse(submittedAt) + decision.afterDays * DAY).toISOString(), outcome: decision.outcome } : {}),
    waits,
  };
}
const approved = (afterDays: number) => ({ outcome: 'approved' as const, afterDays });
const denied = (afterDays: number) => ({ outcome: 'denied' as const, afterDays });
const rejected = (afterDays: number) => ({ outcome: 'rejected' as const, afterDays });
const wait = (state: string, hours: number) => [{ state, ms: hours * HOUR }];

const SC = 'SC-XK-0001';
const GA = 'GA-QT-0001';
const RS = 'RS-QR-0001';
const facts: CaseInsightFact[] = [
  fact('330106', A1, SC, 2, 'p1', approved(1)),
  fact('330106', A1, SC, 3, 'p2', approved(2)),
  fact('330106', A1, SC, 4, 'p3', approved(3)),
  fact('330106', A1, SC, 10, 'p4', approved(1), wait('submitted', 1)),
  fact('330106', A1, SC, 10, 'p5', approved(4), wait('submitted', 2)),
  fact('330106', A1, SC, 10, 'p6', denied(2), wait('submitted', 3)),
  fact('330106', A1, SC, 10, 'p1', rejected(0.5), wait('submitted', 4)),
  fact('330106', A1, SC, 10, 'p2', undefined, wait('submitted', 10)),
  fact('330106', A1, GA, 10, 'p1', approved(1), wait('accepted', 2)),
  fact('330106', A1, GA, 10, 'p2', approved(1), wait('accepted', 2)),
  fact('330106', A1, GA, 10, 'p3', rejected(1), wait('accepted', 2)),
  fact('330106', A1, GA, 10, 'p4', approved(1), wait('accepted', 2)),
  fact('330106', A1, GA, 10, 'p5', undefined, wait('accepted', 2)),
  fact('330102', A2, SC, 10, 'p7', approved(5), wait('correction-requested', 100)),
  fact('330102', A2, SC, 11, 'p8', approved(3), wait('correction-requested', 200)),
  fact('330102', A2, SC, 12, 'p9'),
  fact('330212', A3, RS, 16, 'p10', approved(1), wait('in-review', 24)),
  fact('330212', A3, RS, 17, 'p11', approved(1), wait('in-review', 48)),
  fact('330212', A3, RS, 18, 'p12', denied(1), wait('in-review', 12)),
  fact('330212', A3, RS, 19, 'p13', approved(1), wait('in-review', 36)),
  fact('330212', A3, RS, 20, 'p14', undefined, wait('in-review', 72)),
  fact('330212', A3, RS, 21, 'p10', undefined, wait('in-review', 6)),
];
const march = parsePeriod('2026-03');
const cells = cellsOf(facts);

describe('insight cells', () => {
  it('fold the cases of a day, region, agency and item into one cell with distinct people', () => {
    // group A on 03-10: five cases, people p4 p5 p6 p1 p2, decided p4 p5 p6 p1 (refused p6 and p1)
    const cell = cells.find((c) => c.day === '2026-03-10' && c.itemCode === SC && c.region === '330106')!;
    expect(cell).toMatchObject({ cases: 5, decided: 4, refused: 2 });
    expect([...cell.people].sort()).toEqual(['p1', 'p2', 'p4', 'p5', 'p6']);
    expect(cell.waits.submitted!.ms).toEqual([1, 2, 3, 4, 10].map((h) => h * HOUR));
    // 6 + 1 + ... : A has 4 cells (03-02, 03-03, 03-04, 03-10), B 1, C 3, D 6
    expect(cells).toHaveLength(14);
  });

  it('keep of a case no identity, only a pseudonymous key, and at most 5 people per cell', () => {
    const record = {
      caseNo: '330106-20260302-AAAAAAAA',
      itemCode: SC,
      region: '330106',
      agency: { uscc: A1, name: '西湖区行政审批局' },
      applicant: { accountId: 'account-42', subjectType: 'legal', name: '某某科技有限公司', idMasked: '9133**********001X' },
      submittedAt: '2026-03-02T02:00:00.000Z',
      decision: { outcome: 'approved', at: '2026-03-03T02:00:00.000Z' },
      timeline: [
        { at: '2026-03-02T02:00:00.000Z', state: 'submitted', action: 'submit', actor: 'applicant' },
        { at: '2026-03-03T02:00:00.000Z', state: 'approved', action: 'approve', actor: 'staff' },
      ],
    } as unknown as CaseRecord;
    const kept = caseInsightFact(record);
    expect(kept).toMatchObject({ caseNo: record.caseNo, itemCode: SC, region: '330106', agency: A1, decidedAt: '2026-03-03T02:00:00.000Z', outcome: 'approved', waits: [{ state: 'submitted', ms: DAY }] });
    expect(JSON.stringify(kept)).not.toMatch(/account-42|某某|\*\*\*/);
    // seven people on one day in one cell: counted 7 cases, 5 keys kept (enough to decide the rule)
    const crowd = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((person) => ({ ...fact('330106', A1, GA, 20, person), waits: [] }));
    const [cell] = cellsOf(crowd);
    expect(cell!.cases).toBe(7);
    expect(cell!.people).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('read completed stays from a timeline: same-state entries continue a stay, the current state is open', () => {
    const stays = completedStays([
      { at: '2026-03-02T02:00:00.000Z', state: 'submitted', action: 'submit', actor: 'applicant' },
      { at: '2026-03-02T03:00:00.000Z', state: 'submitted', action: 'transfer', actor: 'staff' },
      { at: '2026-03-02T05:00:00.000Z', state: 'accepted', action: 'accept', actor: 'staff' },
      { at: '2026-03-03T05:00:00.000Z', state: 'in-review', action: 'handle', actor: 'staff' },
      { at: '2026-03-03T06:30:00.000Z', state: 'approved', action: 'approve', actor: 'staff' },
    ]);
    // submitted 02:00 → 05:00 = 3 h; accepted 05:00 → next day 05:00 = 24 h; in-review 1.5 h; approved still open
    expect(stays).toEqual([
      { state: 'submitted', ms: 3 * HOUR },
      { state: 'accepted', ms: 24 * HOUR },
      { state: 'in-review', ms: 1.5 * HOUR },
    ]);
  });
});

describe('statistics and mining (6.2.7 b)', () => {
  it('rank demand hot spots by region and item, suppressing pairs of fewer than 5 people', () => {
    // total 8 + 5 + 3 + 6 = 22 cases; shares 8/22 = 0.3636, 6/22 = 0.2727, 5/22 = 0.2273;
    // 330102/SC has 3 people (p7 p8 p9): suppressed
    expect(hotSpots(cells, 10)).toEqual([
      { region: '330106', itemCode: SC, cases: 8, share: 0.3636, suppressed: false },
      { region: '330212', itemCode: RS, cases: 6, share: 0.2727, suppressed: false },
      { region: '330106', itemCode: GA, cases: 5, share: 0.2273, suppressed: false },
      { region: '330102', itemCode: SC, cases: null, share: null, suppressed: true },
    ]);
    expect(hotSpots(cells, 2)).toHaveLength(2);
  });

  it('show the seasonal pattern by month and weekday', () => {
    const { months, weekdays } = seasonalPattern(cells, march);
    expect(months).toEqual([{ bucket: '2026-03', cases: 22, share: 1, suppressed: false }]);
    // Monday 03-02 p1 + 03-16 p10 = 2 cases, 2 people → suppressed
    // Tuesday 03-03 p2 + 03-10 (10 in 330106 by p1..p6, p7 in 330102) + 03-17 p11 = 13 cases, 8 people; 13/22 = 0.5909
    // Wednesday 03-04 p3, 03-11 p8, 03-18 p12 = 3; Thursday p9, p13 = 2; Friday p14; Saturday p10;
    // Sunday none: 0 people is fewer than 5 too (the evaluation's rule), so it is suppressed as well
    expect(weekdays).toEqual([
      { bucket: 'monday', cases: null, share: null, suppressed: true },
      { bucket: 'tuesday', cases: 13, share: 0.5909, suppressed: false },
      { bucket: 'wednesday', cases: null, share: null, suppressed: true },
      { bucket: 'thursday', cases: null, share: null, suppressed: true },
      { bucket: 'friday', cases: null, share: null, suppressed: true },
      { bucket: 'saturday', cases: null, share: null, suppressed: true },
      { bucket: 'sunday', cases: null, share: null, suppressed: true },
    ]);
  });

  it('find the bottleneck states, the longest median wait first', () => {
    // in-review: 6, 12, 24, 36, 48, 72 h → median (24 + 36) / 2 = 30, mean 198 / 6 = 33, p90 rank ceil(5.4) = 6 → 72
    // submitted: 1, 2, 3, 4, 10 h → median 3, mean 20 / 5 = 4, p90 rank ceil(4.5) = 5 → 10
    // accepted: five stays of 2 h → 2, 2, 2
    // correction-requested: p7 and p8 only → suppressed, listed last
    expect(bottlenecks(cells)).toEqual([
      { state: 'in-review', stays: 6, medianHours: 30, meanHours: 33, p90Hours: 72, suppressed: false },
      { state: 'submitted', stays: 5, medianHours: 3, meanHours: 4, p90Hours: 10, suppressed: false },
      { state: 'accepted', stays: 5, medianHours: 2, meanHours: 2, p90Hours: 2, suppressed: false },
      { state: 'correction-requested', stays: null, medianHours: null, meanHours: null, p90Hours: null, suppressed: true },
    ]);
  });

  it('roll the spatial view up from counties to cities and provinces', () => {
    // 330000: all 22 cases, 14 people; decided 11 (330106) + 2 (330102) + 4 (330212) = 17, refused 3 + 0 + 1 = 4 → 4/17 = 0.2353
    //   330106 decided: A p1 p2 p3 p4 p5 p6 p1 = 7 (refused p6 denied, p1 rejected) + B p1 p2 p3 p4 = 4 (refused p3) → 11, refused 3
    // 330100: 13 + 3 = 16 cases, 9 people, 16/22 = 0.7273; decided 13, refused 3 → 0.2308
    // 330102: 3 people → suppressed; 330106: 13/22 = 0.5909, 3/11 = 0.2727
    // 330200 and 330212: 6 cases, 5 people, 6/22 = 0.2727; decided p10 p11 p12 p13 = 4, refused p12 → 0.25
    expect(spatialView(cells, regionTable())).toEqual([
      { region: '330000', name: '浙江省', level: 'province', cases: 22, share: 1, refusalRate: 0.2353, suppressed: false },
      { region: '330100', name: '杭州市', level: 'city', cases: 16, share: 0.7273, refusalRate: 0.2308, suppressed: false },
      { region: '330102', name: '上城区', level: 'county', cases: null, share: null, refusalRate: null, suppressed: true },
      { region: '330106', name: '西湖区', level: 'county', cases: 13, share: 0.5909, refusalRate: 0.2727, suppressed: false },
      { region: '330200', name: '宁波市', level: 'city', cases: 6, share: 0.2727, refusalRate: 0.25, suppressed: false },
      { region: '330212', name: '鄞州区', level: 'county', cases: 6, share: 0.2727, refusalRate: 0.25, suppressed: false },
    ]);
  });

  it('flag the day whose volume departs from the group baseline (robust z-score)', () => {
    // 330106 (and its agency A1) per day of March: 1 on 03-02, 03-03, 03-04, 10 on 03-10, 0 on the other 27 days.
    // median 0; |deviations| are the values themselves, their median 0 (MAD 0) → fallback:
    // mean absolute deviation 13 / 31; z(10) = 10 / (1.2533 × 13 / 31) = 310 / 16.2929 = 19.03 → flagged;
    // z(1) = 1.90 and 330102's, 330212's single cases differ by 1 < 5 cases: not flagged.
    const flagged = anomalies(cells, march);
    expect(flagged).toEqual([
      { dimension: 'region', key: '330106', measure: 'volume', bucket: '2026-03-10', value: 10, baseline: 0, score: 19.03, suppressed: false },
      { dimension: 'agency', key: A1, measure: 'volume', bucket: '2026-03-10', value: 10, baseline: 0, score: 19.03, suppressed: false },
    ]);
  });

  it('flag a week whose refusal rate departs from the baseline, over weeks for a quarter', () => {
    // 2026-Q2 runs from Wednesday 04-01 to Tuesday 06-30: weeks starting Monday 03-30 … 06-29 = 14 buckets.
    // In the weeks of 04-06, 04-13, 04-20, 04-27 and 05-04, five people each get a decision; refused 1, 1, 1, 1, 5.
    // rates 0.2, 0.2, 0.2, 0.2, 1.0: median 0.2, MAD 0 → mean deviation 0.8 / 5 = 0.16;
    // z(1.0) = 0.8 / (1.2533 × 0.16) = 0.8 / 0.200528 = 3.99 > 3.5 and 0.8 ≥ 0.1 → flagged.
    // volume: 5 in five weeks, 0 in nine: median 0, MAD 0, mean deviation 25 / 14; z(5) = 5 / 2.238 = 2.23 → not flagged.
    const weeks = ['2026-04-06', '2026-04-13', '2026-04-20', '2026-04-27', '2026-05-04'];
    const quarterFacts = weeks.flatMap((monday, week) =>
      [0, 1, 2, 3, 4].map((index): CaseInsightFact => ({
        caseNo: `Q${week}${index}`,
        itemCode: RS,
        region: '330212',
        agency: A3,
        person: `w${week}-${index}`,
        submittedAt: `${monday}T02:00:00.000Z`,
        decidedAt: `${monday}T06:00:00.000Z`,
        outcome: week === 4 || index === 0 ? 'denied' : 'approved',
        waits: [],
      })),
    );
    expect(anomalies(cellsOf(quarterFacts), parsePeriod('2026-Q2'))).toEqual([
      { dimension: 'region', key: '330212', measure: 'refusal-rate', bucket: '2026-05-04', value: 1, baseline: 0.2, score: 3.99, suppressed: false },
      { dimension: 'agency', key: A3, measure: 'refusal-rate', bucket: '2026-05-04', value: 1, baseline: 0.2, score: 3.99, suppressed: false },
    ]);
  });

  it('show a flagged bucket of fewer than 5 people without its value', () => {
    // one person files 6 cases on 03-05, nothing else in the month: z = 6 / (1.2533 × 6 / 31) = 24.73, 6 − 0 ≥ 5
    const burst = [1, 2, 3, 4, 5, 6].map((): CaseInsightFact => ({ ...fact('330102', A2, SC, 5, 'p99'), waits: [] }));
    const [first] = anomalies(cellsOf(burst), march);
    expect(first).toEqual({ dimension: 'region', key: '330102', measure: 'volume', bucket: '2026-03-05', value: null, baseline: 0, score: 24.73, suppressed: true });
  });

  it('use the median of the middle pair and the nearest-rank percentile', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
    // ceil(0.9 × 10) = 9th of 1..10
    expect(nearestRankPercentile([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 90)).toBe(9);
  });
});

describe('decision analysis: business environment (6.2.7 c)', () => {
  const step = (itemCode: string, region: string, submitted: string, decided?: string) => ({
    caseNo: `J${(serial += 1)}`,
    itemCode,
    region,
    submittedAt: `${submitted}T02:00:00.000Z`,
    ...(decided ? { decidedAt: `${decided}T02:00:00.000Z` } : {}),
  });
  const journey = (person: string, ...steps: ReturnType<typeof step>[]): LifeEventJourney => ({ lifeEventId: 'kaiban-qiye', person, steps });
  const journeys = [
    // q1: 2 steps, 03-02 → last decision 03-04 = 2 days
    journey('q1', step(SC, '330106', '2026-03-02', '2026-03-03'), step(GA, '330106', '2026-03-03', '2026-03-04')),
    // q2: 3 steps, 03-05 → 03-09 = 4 days
    journey('q2', step(SC, '330106', '2026-03-05', '2026-03-06'), step(GA, '330106', '2026-03-06', '2026-03-08'), step(RS, '330106', '2026-03-06', '2026-03-09')),
    // q3: 1 step, 1 day
    journey('q3', step(SC, '330106', '2026-03-10', '2026-03-11')),
    // q4: 2 steps, one still open: not complete, no days
    journey('q4', step(SC, '330106', '2026-03-10'), step(GA, '330106', '2026-03-10', '2026-03-12')),
    // q5: the same item twice is one step; 03-12 → 03-15 = 3 days
    journey('q5', step(SC, '330106', '2026-03-12', '2026-03-13'), step(SC, '330106', '2026-03-14', '2026-03-15')),
    // q6 in 330102: 1 step, 1 day
    journey('q6', step(SC, '330102', '2026-03-10', '2026-03-11')),
    // q7 began in February: another period's journey
    journey('q7', step(SC, '330106', '2026-02-27', '2026-03-02')),
  ];
  // the evaluation's cells: certificates issued (people: holders) and used for cases (people: applicants), at most 5 keys each
  const reuse = certificateReuseOf([
    { key: { region: '330106' }, cell: { counters: { certificatesIssued: 4, certificateUses: 6 }, people: { certificatesIssued: ['h1', 'h2', 'h3'], certificateUses: ['h3', 'h4'] } } },
    { key: { region: '330106' }, cell: { counters: { certificatesIssued: 2, certificateUses: 3, submitted: 9 }, people: { certificatesIssued: ['h5', 'h6'], certificateUses: ['h6'] } } },
    { key: { region: '330212' }, cell: { counters: { certificatesIssued: 2, certificateUses: 1 }, people: { certificatesIssued: ['h7', 'h8'], certificateUses: ['h8'] } } },
    { key: { region: '330102' }, cell: { counters: { submitted: 40 }, people: { submitted: ['x1', 'x2', 'x3', 'x4', 'x5'] } } },
  ]);
  const environment = businessEnvironment(cells, journeys, reuse, march);

  it('measure enterprise establishment time from submission to approval', () => {
    // 330106 approvals of SC-XK-0001: p1 1, p2 2, p3 3, p4 1, p5 4 days → sorted 1 1 2 3 4: median 2, mean 11 / 5 = 2.2
    // 330102: p7 5, p8 3 days: 2 people → suppressed
    // all: 1 1 2 3 3 4 5 → median 3, mean 19 / 7 = 2.71
    expect(environment.establishment).toEqual([
      { region: '330102', approved: null, medianDays: null, meanDays: null, suppressed: true },
      { region: '330106', approved: 5, medianDays: 2, meanDays: 2.2, suppressed: false },
      { region: 'all', approved: 7, medianDays: 3, meanDays: 2.71, suppressed: false },
    ]);
  });

  it('measure steps and days of 开办企业一件事 per applicant', () => {
    // 330106: q1..q5 = 5 journeys, complete q1 q2 q3 q5 = 4; steps 2 + 3 + 1 + 2 + 1 = 9 → 9 / 5 = 1.8;
    //   days 2, 4, 1, 3 → median (2 + 3) / 2 = 2.5, mean 10 / 4 = 2.5
    // all: 6 journeys (q7 began in February), 5 complete; steps 10 / 6 = 1.67; days 1 1 2 3 4 → median 2, mean 11 / 5 = 2.2
    expect(environment.openingABusiness).toEqual([
      { region: '330102', journeys: null, completed: null, meanSteps: null, medianDays: null, meanDays: null, suppressed: true },
      { region: '330106', journeys: 5, completed: 4, meanSteps: 1.8, medianDays: 2.5, meanDays: 2.5, suppressed: false },
      { region: 'all', journeys: 6, completed: 5, meanSteps: 1.67, medianDays: 2, meanDays: 2.2, suppressed: false },
    ]);
  });

  it('follow an applicant through the life event, a second enterprise after 30 days being a new journey', () => {
    const step = (person: string, itemCode: string, date: string, decided?: string): CaseInsightFact => ({
      caseNo: `L${(serial += 1)}`,
      itemCode,
      region: '330106',
      agency: A1,
      person,
      submittedAt: `${date}T02:00:00.000Z`,
      ...(decided ? { decidedAt: `${decided}T02:00:00.000Z`, outcome: 'approved' as const } : {}),
      waits: [],
    });
    const found = journeysOf(
      [
        step('r1', GA, '2026-03-03', '2026-03-04'),
        step('r1', SC, '2026-03-01', '2026-03-02'),
        // 'XF-XK-0001' is not an item of the event
        step('r1', 'XF-XK-0001', '2026-03-02'),
        // 03-01 + 30 days = 03-31: a step on 04-01 (31 days later) begins r1's second journey
        step('r1', SC, '2026-04-01'),
        step('r2', SC, '2026-03-05', '2026-03-06'),
      ],
      'kaiban-qiye',
      [SC, GA],
    );
    expect(found.map((j) => [j.person, j.steps.map((s) => `${s.itemCode}@${s.submittedAt.slice(0, 10)}`)])).toEqual([
      ['r1', [`${SC}@2026-03-01`, `${GA}@2026-03-03`]],
      ['r1', [`${SC}@2026-04-01`]],
      ['r2', [`${SC}@2026-03-05`]],
    ]);
  });

  it('measure certificate reuse per certificate issued', () => {
    // 330106: issued 4 + 2 = 6, used 6 + 3 = 9 → 9 / 6 = 1.5, people h1..h6 = 6;
    // 330212: h7 h8 → suppressed; 330102 has no certificates: no row; all: 10 / 8 = 1.25 from 8 people
    expect(environment.certificateReuse).toEqual([
      { region: '330106', issued: 6, uses: 9, usesPerCertificate: 1.5, suppressed: false },
      { region: '330212', issued: null, uses: null, usesPerCertificate: null, suppressed: true },
      { region: 'all', issued: 8, uses: 10, usesPerCertificate: 1.25, suppressed: false },
    ]);
  });
});

describe('CSV export', () => {
  it('quotes cells with commas, quotes and line breaks, and guards formulas in text', () => {
    expect(csvCell('西湖区')).toBe('西湖区');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    // numbers are numbers: a negative score stays a number
    expect(csvCell(-3.99)).toBe('-3.99');
    expect(csvCell(null)).toBe('');
  });

  it('writes every figure of every section as one line of the flat layout', () => {
    const csv = insightsCsv({
      hotspots: hotSpots(cells, 10),
      bottlenecks: [{ state: '=evil,"state"', stays: 5, medianHours: 1, meanHours: 2, p90Hours: 3, suppressed: false }],
      businessEnvironment: environment(),
    });
    expect(csv.startsWith('\uFEFFsection,dimension,key,subkey,measure,value,suppressed\r\n')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    // 4 hot spots × 2 figures + 1 state × 4 figures + 3 establishment rows × 3 = 8 + 4 + 9 lines after the header
    expect(lines).toHaveLength(1 + 8 + 4 + 9);
    expect(lines).toContain('hotspots,region-item,330106,SC-XK-0001,cases,8,false');
    expect(lines).toContain('hotspots,region-item,330102,SC-XK-0001,cases,,true');
    expect(lines).toContain('bottlenecks,state,"\'=evil,""state""",,median-hours,1,false');
    expect(lines).toContain('business-environment,establishment,all,,mean-days,2.71,false');
  });

  function environment() {
    return { establishment: businessEnvironment(cells, [], [], march).establishment, openingABusiness: [], certificateReuse: [] };
  }
});
