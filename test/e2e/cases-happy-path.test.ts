import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { caseRepository } from '../../shared/cases/case-repository.js';
import { chinaDate, workingCalendar } from '../../shared/workflow/working-calendar.js';
import { act, freshLogin, materialsFor, outboxTo, submitCase, uploadPdf } from '../support/case-helpers.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';
import { ManualClock } from '../support/manual-clock.js';

const clock = new ManualClock(new Date());
const calendar = workingCalendar();
let platform: TestPlatform;
let citizen: string;
let staff: string;

beforeAll(async () => {
  platform = await startTestPlatform({ clock, pollQueues: false });
  citizen = await platform.login('citizen');
  staff = await platform.login('staff');
});
afterAll(async () => {
  await platform?.close();
});

const ITEM = 'SC-XK-0007'; // 食品经营许可, promised in 3 working days by agency A in 西湖区
const REGION = '330106';
const CITIZEN_PHONE = '13800000001';

describe('a case from submission to evaluation', () => {
  it('citizen submits → staff accepts → correction → supplement → approval → express delivery → timeline and evaluation', async () => {
    const materials = await materialsFor(platform, citizen, ITEM, REGION);
    const submitted = await submitCase(platform, citizen, {
      itemCode: ITEM,
      region: REGION,
      form: { premises: '杭州市西湖区文三路 1 号', businessScope: '热食类食品制售' },
      materials,
      delivery: { method: 'express', address: '杭州市西湖区文三路 1 号' },
    });
    expect(submitted.status).toBe(201);
    const { caseNo } = submitted.body;
    expect(caseNo).toMatch(new RegExp(`^${REGION}-${chinaDate(clock.now()).replace(/-/g, '')}-[0-9A-HJKMNP-TV-Z]{8}$`));
    expect(submitted.body).toEqual({ caseNo, state: 'submitted', dueDate: chinaDate(calendar.deadline(clock.now(), 3)) });

    const queue = await platform.call('GET', '/v1/staff/cases?state=submitted', { token: staff });
    expect(queue.status).toBe(200);
    expect(queue.body.cases.map((c: { caseNo: string }) => c.caseNo)).toContain(caseNo);

    expect((await act(platform, staff, caseNo, { action: 'accept' })).body.state).toBe('accepted');
    const correction = await act(platform, staff, caseNo, { action: 'request-correction', comment: '请补充经营场所平面图' });
    expect(correction.status).toBe(200);
    expect(correction.body).toMatchObject({ state: 'correction-requested', clockPaused: true });
    const dueBeforePause = correction.body.dueAt as string;

    // the applicant takes four calendar days; the working days among them do not count
    const pausedAt = clock.now();
    clock.advance(4 * 24 * 3600);
    citizen = await freshLogin(platform, 'citizen');
    const staffToken = await freshLogin(platform, 'staff');
    const plan = await uploadPdf(platform, citizen, '经营场所平面图');
    const supplement = await platform.call('POST', `/v1/cases/${caseNo}/supplements`, {
      token: citizen,
      body: { comment: '已补充平面图', materials: [{ name: '经营场所平面图', blobId: plan }], form: { premisesArea: '80' } },
    });
    expect(supplement.status).toBe(200);
    const movedBy = calendar.workingDaysBetween(pausedAt, clock.now());
    expect(supplement.body).toMatchObject({ caseNo, state: 'accepted', dueDate: chinaDate(calendar.extend(new Date(dueBeforePause), movedBy)) });

    expect((await act(platform, staffToken, caseNo, { action: 'handle' })).body.state).toBe('in-review');
    const approved = await act(platform, staffToken, caseNo, { action: 'approve', comment: '符合条件', result: { kind: 'certificate', title: '食品经营许可证', number: 'JY13301060000001' } });
    expect(approved.body).toMatchObject({ state: 'approved', decision: { outcome: 'approved' } });
    const early = await act(platform, staffToken, caseNo, { action: 'deliver' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('express_required');
    const express = await platform.call('PUT', `/v1/cases/${caseNo}/express`, {
      token: staffToken,
      body: { carrier: '中国邮政 EMS', trackingNo: 'EMS1234567890CN', events: [{ at: clock.now().toISOString(), description: '已揽收', location: '杭州' }] },
    });
    expect(express.status).toBe(200);
    expect((await act(platform, staffToken, caseNo, { action: 'deliver', comment: '证照已寄出' })).body.state).toBe('delivered');

    const seen = await platform.call('GET', `/v1/cases/${caseNo}`, { token: citizen });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({
      caseNo,
      itemCode: ITEM,
      state: 'delivered',
      applicant: { name: '张测试', idNumber: '3301**********1236', phone: '138****0001' },
      result: { kind: 'certificate', title: '食品经营许可证' },
      express: { carrier: '中国邮政 EMS', trackingNo: 'EMS1234567890CN', events: [{ description: '已揽收', location: '杭州' }] },
      form: { premises: '杭州市西湖区文三路 1 号', premisesArea: '80' },
    });
    expect(seen.body.timeline.map((entry: { action: string; state: string }) => `${entry.action}:${entry.state}`)).toEqual([
      'submit:submitted',
      'accept:accepted',
      'request-correction:correction-requested',
      'supplement:accepted',
      'handle:in-review',
      'approve:approved',
      'deliver:delivered',
    ]);
    expect(seen.body.timeline[2]).toMatchObject({ actor: 'staff', comment: '请补充经营场所平面图' });
    expect(seen.body.materials).toHaveLength(materials.length + 1);
    for (const material of seen.body.materials) expect(material).toMatchObject({ status: 'received', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const rating = { score: 5, dimensions: { process: 5, result: 5, efficiency: 4 }, comment: '办事很方便' };
    const evaluated = await platform.call('POST', `/v1/cases/${caseNo}/evaluations`, { token: citizen, body: rating });
    expect(evaluated.status).toBe(201);
    expect(evaluated.body).toMatchObject({ score: 5 });
    expect(evaluated.body.rectification).toBeUndefined();
    const again = await platform.call('POST', `/v1/cases/${caseNo}/evaluations`, { token: citizen, body: rating });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_evaluated');

    const mine = await platform.call('GET', '/v1/me/cases?state=delivered', { token: citizen });
    expect(mine.body.cases.map((c: { caseNo: string }) => c.caseNo)).toEqual([caseNo]);

    // every state change is on the case-events queue (read before its consumer drains it) and reached the applicant by SMS, once each
    const events = (await platform.runtime.queue.peek('case-events', { limit: 100 })).map((m) => JSON.parse(m.body) as { caseNo: string; state: string; recipient?: string });
    expect(events.filter((e) => e.caseNo === caseNo).map((e) => e.state)).toEqual(['submitted', 'accepted', 'correction-requested', 'accepted', 'in-review', 'approved', 'delivered']);
    const texts = (await outboxTo(platform, CITIZEN_PHONE)).filter((m) => m.template === 'case-state-changed' && m.params.caseNo === caseNo);
    expect(texts.map((m) => m.params.state)).toEqual(['已提交', '已受理', '待补正', '已受理', '审查中', '准予办理', '已送达']);

    // every change is in the case's audit trail, with who did it
    const trail = await caseRepository({ tables: platform.runtime.dependencies.tables }).auditTrail(caseNo);
    expect(trail.map((event) => event.action)).toEqual(['submit', 'accept', 'request-correction', 'supplement', 'handle', 'approve', 'record-express', 'deliver', 'evaluate']);
    expect(trail.every((event) => event.actor && event.at && event.version > 0)).toBe(true);

    const satisfaction = await platform.call('GET', `/v1/evaluations/statistics?itemCode=${ITEM}`);
    expect(satisfaction.body).toMatchObject({ itemCode: ITEM, evaluations: 1, averageScore: 5, badReviews: 0 });
  });
});
