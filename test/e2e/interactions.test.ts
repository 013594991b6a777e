import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_AGENCIES } from '../../infra/local/demo-seed.js';
import { demoRoleTokens, freshLogin, submittedCase } from '../support/case-helpers.js';
import { login } from '../support/identity-helpers.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';
import { ManualClock } from '../support/manual-clock.js';

const clock = new ManualClock(new Date());
const DAY_MS = 24 * 3600 * 1000;
const AGENCY_A = DEMO_AGENCIES.a.uscc;
const AGENCY_B = DEMO_AGENCIES.b.uscc;
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({ clock, pollQueues: false });
});
afterAll(async () => {
  await platform?.close();
});

const tokens = () => demoRoleTokens(platform);

const submit = (token: string, body: Record<string, unknown>) => platform.call('POST', '/v1/interactions', { token, body });
const act = (token: string, id: string, action: string, comment?: string) =>
  platform.call('POST', `/v1/interactions/${id}/actions`, { token, body: { action, ...(comment ? { comment } : {}) } });

describe('consults, complaints and suggestions', () => {
  it('routes by item, case and chosen agency, and shows each to the responsible agency only', async () => {
    const { citizen, staffA, staffB } = await tokens();
    const consult = await submit(citizen, { kind: 'consult', itemCode: 'SC-XK-0007', region: '330106', title: '办理时限', content: '需要多久？' });
    expect(consult.status).toBe(201);
    expect(consult.body).toMatchObject({ agency: AGENCY_A, routedBy: 'item', state: 'submitted', stateLabel: '待答复' });
    const byItemB = await submit(citizen, { kind: 'complaint', itemCode: 'SC-XK-0005', region: '440305', title: '窗口态度', content: '排队两小时' });
    expect(byItemB.body).toMatchObject({ agency: AGENCY_B, routedBy: 'item' });
    const chosen = await submit(citizen, { kind: 'suggestion', agency: AGENCY_B, title: '延长周六服务', content: '建议周六全天开放', anonymous: true });
    expect(chosen.body).toMatchObject({ agency: AGENCY_B, routedBy: 'agency', anonymous: true });
    const caseNo = await submittedCase(platform, citizen, 'SC-XK-0007', '330106');
    const byCase = await submit(citizen, { kind: 'complaint', caseNo, title: '进度慢', content: '请加快' });
    expect(byCase.body).toMatchObject({ agency: AGENCY_A, routedBy: 'case', caseNo, itemCode: 'SC-XK-0007' });

    const listA = (await platform.call('GET', '/v1/staff/interactions', { token: staffA })).body.interactions.map((i: { id: string }) => i.id);
    expect(listA).toEqual(expect.arrayContaining([consult.body.id, byCase.body.id]));
    expect(listA).not.toContain(byItemB.body.id);
    const listB = (await platform.call('GET', '/v1/staff/interactions', { token: staffB })).body.interactions;
    expect(listB.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([byItemB.body.id, chosen.body.id]));
    expect(JSON.stringify(listB)).not.toContain(platform.account('citizen').username);
    expect((await platform.call('POST', `/v1/interactions/${consult.body.id}/replies`, { token: staffB, body: { content: '不是我们' } })).status).toBe(404);
    expect((await submit(citizen, { kind: 'complaint', agency: AGENCY_B, title: 't', content: 'c', anonymous: true })).status).toBe(422);
  });

  it('answers a consult, keeps it in the knowledge base, and keeps content as JSON text of at most 5,000 characters', async () => {
    const { citizen, staffA } = await tokens();
    const script = '<script>alert(1)</script> 营业执照变更要带什么材料';
    const consult = await submit(citizen, { kind: 'consult', itemCode: 'SC-XK-0007', region: '330106', title: '变更材料', content: script });
    expect(consult.headers.get('content-type')).toMatch(/^application\/json/);
    expect(consult.headers.get('x-content-type-options')).toBe('nosniff');
    expect(consult.body.content).toBe(script);
    expect((await submit(citizen, { kind: 'consult', agency: AGENCY_A, title: 'long', content: 'x'.repeat(5001) })).status).toBe(422);
    expect((await submit(citizen, { kind: 'consult', agency: AGENCY_A, title: 'long', content: '办'.repeat(5000) })).status).toBe(201);

    const reply = await platform.call('POST', `/v1/interactions/${consult.body.id}/replies`, { token: staffA, body: { content: '带营业执照原件和变更申请书' } });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ state: 'answered', replies: [{ by: 'staff', content: '带营业执照原件和变更申请书' }] });
    const mine = (await platform.call('GET', '/v1/me/interactions', { token: citizen })).body.interactions;
    expect(mine.find((i: { id: string }) => i.id === consult.body.id)).toMatchObject({ state: 'answered', stateLabel: '已答复' });

    const similar = await platform.call('GET', `/v1/interactions/answered?itemCode=SC-XK-0007&q=${encodeURIComponent('变更营业执照需要什么材料')}`);
    expect(similar.status).toBe(200);
    expect(similar.body.consults[0]).toMatchObject({ id: consult.body.id, answer: '带营业执照原件和变更申请书' });
    expect((await platform.call('GET', `/v1/interactions/answered?itemCode=SC-XK-0007&q=${encodeURIComponent('火星')}`)).body.consults).toEqual([]);
  });

  it('runs a complaint through accept, investigate, resolve, one reopen and confirmation; rejection needs a reason', async () => {
    const { citizen, staffB } = await tokens();
    const { id } = (await submit(citizen, { kind: 'complaint', itemCode: 'SC-XK-0005', region: '440305', title: '材料丢失', content: '提交的材料被弄丢' })).body;
    expect((await act(citizen, id, 'accept')).status).toBe(403);
    expect((await act(staffB, id, 'investigate')).status).toBe(409);
    expect((await act(staffB, id, 'accept')).body.state).toBe('accepted');
    expect((await act(staffB, id, 'investigate')).body.state).toBe('investigating');
    expect((await act(staffB, id, 'resolve')).status).toBe(422);
    const resolved = await act(staffB, id, 'resolve', '已找回并致歉');
    expect(resolved.body).toMatchObject({ state: 'resolved', confirmBy: expect.any(String) });
    expect(resolved.body.dueAt).toBeUndefined();
    const reopened = await act(citizen, id, 'reopen', '仍未收到');
    expect(reopened.body).toMatchObject({ state: 'investigating', reopens: 1, dueAt: expect.any(String) });
    expect((await act(staffB, id, 'resolve', '已邮寄')).body.state).toBe('resolved');
    expect((await act(citizen, id, 'reopen', '再次')).text).toContain('reopened_already');
    const confirmed = await act(citizen, id, 'confirm');
    expect(confirmed.body).toMatchObject({ state: 'closed' });
    expect(confirmed.body.replies.map((r: { action?: string }) => r.action)).toEqual(['resolve', 'reopen', 'resolve']);

    const other = (await submit(citizen, { kind: 'complaint', agency: AGENCY_B, title: '收费', content: '乱收费' })).body.id;
    expect((await act(staffB, other, 'reject')).status).toBe(422);
    expect((await act(staffB, other, 'reject', '不属于本机关职责')).body.state).toBe('rejected');
  });

  it('runs suggestions to adopted or noted', async () => {
    const { citizen, staffB } = await tokens();
    const first = (await submit(citizen, { kind: 'suggestion', agency: AGENCY_B, title: '自助机', content: '增加自助机' })).body.id;
    expect((await act(staffB, first, 'acknowledge')).body.state).toBe('acknowledged');
    expect((await act(staffB, first, 'adopt', '年内增设')).body).toMatchObject({ state: 'adopted', stateLabel: '已采纳' });
    const second = (await submit(citizen, { kind: 'suggestion', agency: AGENCY_B, title: '停车', content: '增加车位' })).body.id;
    expect((await act(staffB, second, 'note', '已记录，待场地条件')).body.state).toBe('noted');
    expect((await act(staffB, second, 'adopt', 'x')).status).toBe(409);
  });

  it('raises one interaction-overdue alert for the agency once the reply deadline passes, and closes unconfirmed complaints', async () => {
    let { citizen, staffA, staffB } = await tokens();
    const late = await submit(citizen, { kind: 'consult', agency: AGENCY_A, title: '无人答复', content: '请问？' });
    const unconfirmed = (await submit(citizen, { kind: 'complaint', agency: AGENCY_B, title: '未确认', content: '内容' })).body.id;
    await act(staffB, unconfirmed, 'reject', '不受理');
    await platform.runtime.runSchedule('supervise-interactions');
    let admin = await freshLogin(platform, 'admin');
    const before = (await platform.call('GET', '/v1/supervision/alerts?kind=interaction-overdue', { token: admin })).body.alerts;
    expect(before.filter((a: { detail: string }) => a.detail.includes(late.body.id))).toEqual([]);

    clock.set(new Date(Date.parse(late.body.dueAt) + 10 * DAY_MS));
    ({ citizen, staffA } = await tokens());
    admin = await freshLogin(platform, 'admin');
    await platform.runtime.runSchedule('supervise-interactions');
    await platform.runtime.runSchedule('supervise-interactions');
    const alerts = (await platform.call('GET', `/v1/supervision/alerts?agency=${AGENCY_A}&kind=interaction-overdue`, { token: admin })).body.alerts;
    const mine = alerts.filter((a: { detail: string }) => a.detail.includes(late.body.id));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: 'interaction-overdue', agency: AGENCY_A });
    const ownAgency = (await platform.call('GET', '/v1/supervision/alerts?kind=interaction-overdue', { token: staffA })).body.alerts;
    expect(ownAgency.map((a: { alertId: string }) => a.alertId)).toContain(mine[0].alertId);

    const closed = (await platform.call('GET', '/v1/me/interactions', { token: citizen })).body.interactions.find((i: { id: string }) => i.id === unconfirmed);
    expect(closed.state).toBe('closed');
  });
});
