import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_AGENCIES } from '../../infra/local/demo-seed.js';
import { act, demoRoleTokens, submittedCase } from '../support/case-helpers.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';
import { ManualClock } from '../support/manual-clock.js';

const clock = new ManualClock(new Date());
const DAY = 24 * 3600;
const AGENCY_A = DEMO_AGENCIES.a.uscc;
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({ clock, pollQueues: false });
});
afterAll(async () => {
  await platform?.close();
});

/** tokens of the demo roles, logged in afresh at the current test time */
async function tokens() {
  const { citizen, staffA, staffB, admin } = await demoRoleTokens(platform);
  return { citizen, staff: staffA, admin, staffOfB: staffB };
}

const alertsOf = async (token: string, query: string) => {
  const response = await platform.call('GET', `/v1/supervision/alerts?${query}`, { token });
  expect(response.status).toBe(200);
  return response.body.alerts as { caseNo?: string; kind: string; agency: string; alertId: string }[];
};

describe('e-supervision', () => {
  it('flags a case nearing and then past its deadline, once per kind, for supervisors and the agency only', async () => {
    let { citizen, staff, admin, staffOfB } = await tokens();
    const caseNo = await submittedCase(platform, citizen, 'SC-XK-0007', '330106'); // promised in 3 working days
    expect((await act(platform, staff, caseNo, { action: 'accept' })).status).toBe(200);
    const { dueAt } = (await platform.call('GET', `/v1/cases/${caseNo}`, { token: citizen })).body;

    await platform.runtime.runSchedule('supervise-cases');
    expect((await alertsOf(admin, `agency=${AGENCY_A}`)).filter((a) => a.caseNo === caseNo)).toEqual([]);

    clock.set(new Date(Date.parse(dueAt) + 3 * DAY * 1000));
    ({ citizen, staff, admin, staffOfB } = await tokens());
    await platform.runtime.runSchedule('supervise-cases');
    await platform.runtime.runSchedule('supervise-cases');
    const raised = (await alertsOf(admin, `agency=${AGENCY_A}`)).filter((a) => a.caseNo === caseNo);
    // accepted the day it was submitted, so three working days without action end with the deadline
    expect(raised.map((a) => a.kind).sort()).toEqual(['due-soon', 'overdue', 'state-overdue', 'stuck']);
    expect(new Set(raised.map((a) => a.alertId)).size).toBe(raised.length);
    expect((await alertsOf(admin, 'kind=overdue')).map((a) => a.caseNo)).toContain(caseNo);

    const ownAgency = await alertsOf(staff, 'kind=stuck');
    expect(ownAgency).toContainEqual(expect.objectContaining({ caseNo, kind: 'stuck', agency: AGENCY_A }));
    expect((await platform.call('GET', `/v1/supervision/alerts?agency=${AGENCY_A}`, { token: staffOfB })).status).toBe(403);
    expect((await platform.call('GET', '/v1/supervision/alerts?kind=overdue', { token: citizen })).status).toBe(403);
    expect((await alertsOf(staffOfB, 'kind=overdue')).map((a) => a.caseNo)).not.toContain(caseNo);

    const listed = await platform.call('GET', `/v1/cases/${caseNo}`, { token: citizen });
    expect(listed.body.remainingWorkingDays).toBeLessThan(0);
  });

  it('a bad review opens a rectification task whose outcome the applicant sees, and the case closes when the evaluation window ends', async () => {
    let { citizen, staff, admin } = await tokens();
    const caseNo = await submittedCase(platform, citizen, 'RS-FW-0002', '330106');
    for (const body of [
      { action: 'accept' },
      { action: 'handle' },
      { action: 'deny', reason: '申请人不符合补换条件' },
      { action: 'deliver', result: { kind: 'document', title: '不予办理决定书', number: 'XH-2026-001' } },
    ]) {
      expect((await act(platform, staff, caseNo, body)).status).toBe(200);
    }
    const review = await platform.call('POST', `/v1/cases/${caseNo}/evaluations`, {
      token: citizen,
      body: { score: 1, dimensions: { process: 2, result: 1, efficiency: 2 }, comment: '理由说明不清楚' },
    });
    expect(review.status).toBe(201);
    expect(review.body.rectification).toMatchObject({ state: 'open', deadline: expect.any(String) });

    const tasks = await platform.call('GET', '/v1/staff/rectifications?state=open', { token: staff });
    expect(tasks.body.rectifications).toContainEqual(expect.objectContaining({ caseNo, score: 1, comment: '理由说明不清楚', state: 'open' }));
    const done = await platform.call('POST', `/v1/cases/${caseNo}/rectification`, { token: staff, body: { outcome: '已向申请人补充说明理由，并完善告知书模板' } });
    expect(done.status).toBe(200);
    expect((await platform.call('POST', `/v1/cases/${caseNo}/rectification`, { token: staff, body: { outcome: 'again' } })).status).toBe(409);
    const seen = await platform.call('GET', `/v1/cases/${caseNo}`, { token: citizen });
    expect(seen.body.evaluation.rectification).toMatchObject({ state: 'done', outcome: '已向申请人补充说明理由，并完善告知书模板' });
    const satisfaction = await platform.call('GET', `/v1/evaluations/statistics?agency=${AGENCY_A}&itemCode=RS-FW-0002`);
    expect(satisfaction.body).toMatchObject({ evaluations: 1, averageScore: 1, badReviews: 1, rectified: 1, distribution: { 1: 1 } });

    clock.advance(21 * DAY);
    ({ citizen, staff, admin } = await tokens());
    await platform.runtime.runSchedule('supervise-cases');
    const closed = await platform.call('GET', `/v1/cases/${caseNo}`, { token: citizen });
    expect(closed.body.state).toBe('closed');
    expect(closed.body.timeline.at(-1)).toMatchObject({ action: 'close', actor: 'system', state: 'closed' });
    expect((await alertsOf(admin, `agency=${AGENCY_A}&kind=rectification-overdue`)).map((a) => a.caseNo)).not.toContain(caseNo);
  });
});
