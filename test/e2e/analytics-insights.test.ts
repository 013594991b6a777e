import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_AGENCIES } from '../../infra/local/demo-seed.js';
import type { CaseRecord } from '../../shared/cases/case-model.js';
import { caseRepository } from '../../shared/cases/case-repository.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';
import { ManualClock } from '../support/manual-clock.js';

const clock = new ManualClock(new Date());
let platform: TestPlatform;

/** last month (China time), a whole month before the clock's: the period the test reads */
const lastMonth = (() => {
  const now = new Date(clock.now().getTime() + 8 * 3_600_000);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
})();
const HOUR = 3_600_000;
const AGENCY = DEMO_AGENCIES.a;

/**
 * A decided case of 企业设立登记 (or an open one of 公章刻制备案) by its own applicant, on day `day`
 * of last month at 10:00 China time: submitted 1 h, accepted 2 h, in review 24 h, then approved
 * (27 h = 1.125 days after submission). Written straight to the cases table so that seven distinct
 * applicants exist without registering seven accounts.
 */
function seededCase(index: number, day: number, itemCode: 'SC-XK-0001' | 'GA-QT-0001'): CaseRecord {
  const submitted = Date.parse(`${lastMonth}-${String(day).padStart(2, '0')}T02:00:00.000Z`);
  const at = (hours: number) => new Date(submitted + hours * HOUR).toISOString();
  const decided = itemCode === 'SC-XK-0001';
  const timeline = [
    { at: at(0), state: 'submitted', action: 'submit', actor: 'applicant' as const },
    { at: at(1), state: 'accepted', action: 'accept', actor: 'staff' as const },
    { at: at(3), state: 'in-review', action: 'handle', actor: 'staff' as const },
    ...(decided ? [{ at: at(27), state: 'approved', action: 'approve', actor: 'staff' as const }] : []),
  ];
  const last = timeline[timeline.length - 1]!;
  return {
    caseNo: `330106-${lastMonth.replace('-', '')}${String(day).padStart(2, '0')}-E2EINS${String(index).padStart(2, '0')}`,
    itemCode,
    itemName: itemCode === 'SC-XK-0001' ? '企业设立登记' : '公章刻制备案',
    itemKind: '行政许可',
    region: '330106',
    agency: { uscc: AGENCY.uscc, name: AGENCY.name },
    applicant: { accountId: `e2e-insights-applicant-${index}`, subjectType: 'legal', name: `演示企业${index}` },
    form: {},
    materials: [],
    delivery: { method: 'pickup' },
    workflowId: 'standard-v1',
    state: last.state,
    version: timeline.length,
    promisedDays: 1,
    clock: { dueAt: at(24 * 7) },
    timeline,
    ...(decided ? { decision: { outcome: 'approved' as const, at: at(27) } } : {}),
    channel: 'web',
    submittedAt: at(0),
    stateEnteredAt: last.at,
    lastActionAt: last.at,
  };
}

beforeAll(async () => {
  platform = await startTestPlatform({ clock, pollQueues: false });
  const cases = caseRepository({ tables: platform.runtime.dependencies.tables });
  const records = [...[1, 2, 3, 4, 5, 6].map((index) => seededCase(index, index + 2, 'SC-XK-0001')), seededCase(7, 9, 'GA-QT-0001')];
  for (const record of records) {
    await cases.create(record, { audit: { action: 'submit', actor: record.applicant.accountId!, actorRole: 'applicant', at: record.submittedAt, toState: 'submitted', version: 1 } });
  }
  await platform.runtime.runSchedule('aggregate-evaluation-facts');
});
afterAll(async () => {
  await platform?.close();
});

describe('analysis insights over HTTP (GB/T 39047 6.2.7 b, c)', () => {
  it('gives an analyst the figures of the period as JSON, small cells suppressed', async () => {
    const analyst = await platform.login('analyst');
    const answer = await platform.call('GET', `/v1/analytics/insights?period=${lastMonth}&region=330100`, { token: analyst });
    expect(answer.status).toBe(200);
    expect(answer.body.kinds).toEqual(['hotspots', 'seasonal', 'bottlenecks', 'spatial', 'anomalies', 'business-environment']);
    expect(answer.body.suppression.minimumPeople).toBe(5);
    expect(answer.body.aggregatedUntil).toBe(clock.now().toISOString());
    // 7 cases: 6 of 企业设立登记 by six applicants (6 / 7 = 0.8571), 1 of 公章刻制备案 by one (suppressed)
    expect(answer.body.hotspots).toEqual([
      { region: '330106', itemCode: 'SC-XK-0001', cases: 6, share: 0.8571, suppressed: false },
      { region: '330106', itemCode: 'GA-QT-0001', cases: null, share: null, suppressed: true },
    ]);
    // seven stays each in submitted (1 h), accepted (2 h); six completed in-review stays (24 h)
    expect(answer.body.bottlenecks).toEqual([
      { state: 'in-review', stays: 6, medianHours: 24, meanHours: 24, p90Hours: 24, suppressed: false },
      { state: 'accepted', stays: 7, medianHours: 2, meanHours: 2, p90Hours: 2, suppressed: false },
      { state: 'submitted', stays: 7, medianHours: 1, meanHours: 1, p90Hours: 1, suppressed: false },
    ]);
    expect(answer.body.spatial.map((row: { region: string; cases: number }) => [row.region, row.cases])).toEqual([
      ['330000', 7],
      ['330100', 7],
      ['330106', 7],
    ]);
    // six approvals 27 h after submission: 27 / 24 = 1.125 days; seven journeys (the 公章 step still open), each one step
    expect(answer.body.businessEnvironment.establishment).toEqual([
      { region: '330106', approved: 6, medianDays: 1.13, meanDays: 1.13, suppressed: false },
      { region: 'all', approved: 6, medianDays: 1.13, meanDays: 1.13, suppressed: false },
    ]);
    expect(answer.body.businessEnvironment.openingABusiness).toContainEqual({ region: 'all', journeys: 7, completed: 6, meanSteps: 1, medianDays: 1.13, meanDays: 1.13, suppressed: false });
  });

  it('exports the same figures as a CSV attachment', async () => {
    const analyst = await platform.login('analyst');
    const answer = await platform.call('GET', `/v1/analytics/insights?period=${lastMonth}&kind=hotspots&format=csv`, { token: analyst });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toBe(`attachment; filename="insights-${lastMonth}-hotspots.csv"`);
    expect(answer.text.replace(/^\uFEFF/, '').split('\r\n')).toEqual([
      'section,dimension,key,subkey,measure,value,suppressed',
      'hotspots,region-item,330106,SC-XK-0001,cases,6,false',
      'hotspots,region-item,330106,SC-XK-0001,share,0.8571,false',
      'hotspots,region-item,330106,GA-QT-0001,cases,,true',
      'hotspots,region-item,330106,GA-QT-0001,share,,true',
      '',
    ]);
  });

  it('refuses citizens and bad filters', async () => {
    const citizen = await platform.login('citizen');
    expect((await platform.call('GET', `/v1/analytics/insights?period=${lastMonth}`, { token: citizen })).status).toBe(403);
    const analyst = await platform.login('analyst');
    const badKind = await platform.call('GET', `/v1/analytics/insights?period=${lastMonth}&kind=gossip`, { token: analyst });
    expect(badKind.status).toBe(422);
    expect(JSON.stringify(badKind.body.error.details)).toContain('kind');
    expect((await platform.call('GET', '/v1/analytics/insights?period=2026-13', { token: analyst })).status).toBe(422);
  });
});
