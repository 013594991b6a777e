import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { recommendationFollowRate } from '../../shared/analytics/recommendation-follow-rate.js';
import { pseudonymousKey } from '../../shared/analytics/pseudonymous-key.js';
import { recommendationRepository } from '../../shared/user-center/recommendation-repository.js';
import { chinaDate } from '../../shared/workflow/working-calendar.js';
import { act, freshLogin, submittedCase } from '../support/case-helpers.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';
import { ManualClock } from '../support/manual-clock.js';

const clock = new ManualClock(new Date());
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({ clock, pollQueues: false });
});
afterAll(async () => {
  await platform?.close();
});

const REGION = '330106';
/** 开办餐饮店一件事: SC-XK-0005 个体工商户设立登记 → SC-XK-0007 食品经营许可 → XF-XK-0001 消防安全检查 (legal persons only) */
const FIRST = 'SC-XK-0005';
const NEXT = 'SC-XK-0007';

interface Message {
  messageId: string;
  source: string;
  ref?: string;
  title: string;
  body: string;
}
const inbox = async (token: string) => ((await platform.call('GET', '/v1/me/messages', { token })).body as { messages: Message[] }).messages;
const subOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).sub as string;
const recommendations = () => recommendationRepository(platform.runtime.dependencies.tables);

/** every raw event of a kind archived under the local blob folder, one object per JSON line */
async function rawEvents(kind: string): Promise<Record<string, unknown>[]> {
  const root = join(platform.runtime.dataDir, 'blobs', 'analytics', 'events', kind);
  const days = await readdir(root).catch(() => [] as string[]);
  const files = (await Promise.all(days.map(async (day) => (await readdir(join(root, day))).map((file) => join(root, day, file))))).flat();
  const texts = await Promise.all(files.map((file) => readFile(file, 'utf8')));
  return texts.flatMap((text) => text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>));
}

describe('next-item recommendations after a decision (GB/T 39047 6.2.7 a)', () => {
  it('recommends the next item of the life event on approval, once, and marks it followed when the citizen applies for it', async () => {
    const [citizen, staff] = await Promise.all([freshLogin(platform, 'citizen'), freshLogin(platform, 'staff')]);
    const sub = subOf(citizen);
    const caseNo = await submittedCase(platform, citizen, FIRST, REGION);
    for (const action of ['accept', 'handle']) expect((await act(platform, staff, caseNo, { action })).status).toBe(200);
    await platform.runtime.drainQueues();
    expect((await inbox(citizen)).filter((m) => m.source === 'recommendation')).toEqual([]);

    clock.advance(3600);
    expect((await act(platform, staff, caseNo, { action: 'approve', comment: '准予登记' })).status).toBe(200);
    const approval = (await platform.runtime.queue.peek('case-events', { limit: 100 })).find((m) => JSON.parse(m.body).state === 'approved' && JSON.parse(m.body).caseNo === caseNo)!;
    expect(JSON.parse(approval.body)).toMatchObject({ region: REGION, applicantType: 'natural' });
    await platform.runtime.drainQueues();

    const recommended = (await inbox(citizen)).filter((m) => m.source === 'recommendation');
    // the fire-safety check that comes after it is for legal persons only: not offered to a natural person
    expect(recommended.map((m) => m.ref)).toEqual([NEXT]);
    expect(recommended[0]).toMatchObject({ messageId: `recommendation-${caseNo}-${NEXT}`, title: '推荐办理：食品经营许可' });
    expect(recommended[0]!.body).toContain('开办餐饮店一件事');
    expect(await recommendations().ofItem(sub, NEXT)).toEqual([
      { caseNo, fromItemCode: FIRST, itemCode: NEXT, lifeEventId: 'kaiban-canyindian', region: REGION, sentAt: clock.now().toISOString() },
    ]);

    // SQS delivers at least once: the same approval again adds no message and no recommendation
    const before = await inbox(citizen);
    expect((await platform.call('POST', '/_local/queues/case-events/messages', { body: JSON.parse(approval.body) })).status).toBeLessThan(300);
    await platform.runtime.drainQueues();
    expect(await inbox(citizen)).toHaveLength(before.length);
    expect(await recommendations().ofItem(sub, NEXT)).toHaveLength(1);
    const month = chinaDate(clock.now()).slice(0, 7);
    expect((await recommendations().sentIn(month)).filter((fact) => fact.caseKey === pseudonymousKey('case', caseNo))).toHaveLength(1);

    clock.advance(86_400);
    const citizenLater = await freshLogin(platform, 'citizen');
    const nextCase = await submittedCase(platform, citizenLater, NEXT, REGION);
    const submission = (await platform.runtime.queue.peek('case-events', { limit: 100 })).find((m) => JSON.parse(m.body).caseNo === nextCase)!;
    await platform.runtime.drainQueues();
    const [followed] = await recommendations().ofItem(sub, NEXT);
    expect(followed).toMatchObject({ followedCaseNo: nextCase, followedAt: clock.now().toISOString() });

    // the submission again, and a second application for the same item, leave the first follow as it was
    await platform.call('POST', '/_local/queues/case-events/messages', { body: JSON.parse(submission.body) });
    clock.advance(60);
    await submittedCase(platform, citizenLater, NEXT, REGION);
    await platform.runtime.drainQueues();
    expect(await recommendations().ofItem(sub, NEXT)).toEqual([followed]);

    // one person: the follow-rate cells of the month exist but are suppressed
    const day = chinaDate(clock.now());
    const report = await recommendationFollowRate({ recommendations: recommendations() }, { from: `${month}-01`, to: day });
    expect(report.periods).toEqual([{ period: month, sent: null, followed: null, rate: null, suppressed: true }]);
    expect(report.byItem).toEqual([{ period: month, itemCode: NEXT, sent: null, followed: null, rate: null, suppressed: true }]);
    // the insights report (full, every kind) carries the same figure
    const insights = await platform.call('GET', `/v1/analytics/insights?period=${month}`, { token: await platform.login('analyst') });
    expect(insights.status).toBe(200);
    expect(insights.body.recommendations).toMatchObject({ periods: report.periods, byItem: report.byItem, minCellPeople: 5 });

    // the raw events for Athena: the case changes without personal data, the recommendation sent and followed, each once
    const caseKey = pseudonymousKey('case', caseNo);
    const caseEvents = (await rawEvents('case')).filter((event) => event.caseKey === caseKey);
    expect(caseEvents.map((event) => event.state)).toEqual(expect.arrayContaining(['submitted', 'accepted', 'in-review', 'approved']));
    expect(caseEvents).toHaveLength(4);
    expect(caseEvents.find((event) => event.state === 'approved')).toEqual({
      at: expect.any(String),
      caseKey,
      version: expect.any(Number),
      itemCode: FIRST,
      agency: expect.any(String),
      region: REGION,
      state: 'approved',
      previousState: 'in-review',
      action: 'approve',
      actor: 'staff',
      applicantType: 'natural',
      userKey: pseudonymousKey('user', sub),
    });
    expect(JSON.stringify(caseEvents)).not.toContain(caseNo);
    expect(JSON.stringify(caseEvents)).not.toContain(sub);
    const recommendationEvents = (await rawEvents('recommendation')).filter((event) => event.caseKey === caseKey);
    expect(recommendationEvents.map((event) => event.kind).sort()).toEqual(['followed', 'sent']);
    expect(recommendationEvents.every((event) => event.itemCode === NEXT && event.userKey === pseudonymousKey('user', sub))).toBe(true);
  });

  it('recommends to an enterprise the next steps of 开办企业一件事 that are implemented for its region', async () => {
    const [enterprise, staff] = await Promise.all([freshLogin(platform, 'enterprise'), freshLogin(platform, 'staff')]);
    const caseNo = await submittedCase(platform, enterprise, 'SC-XK-0001', REGION);
    for (const action of ['accept', 'handle', 'approve']) expect((await act(platform, staff, caseNo, { action })).status).toBe(200);
    await platform.runtime.drainQueues();
    // after 企业设立登记 come 公章刻制备案, 新办纳税人套餐式服务, 发票领用, … of which 西湖区 implements only the first two
    const recommended = (await inbox(enterprise)).filter((m) => m.source === 'recommendation' && m.messageId.includes(caseNo));
    expect(recommended.map((m) => m.ref).sort()).toEqual(['GA-QT-0001', 'SW-FW-0001']);
  });

  it('recommends nothing after a denial', async () => {
    const [citizen, staff] = await Promise.all([freshLogin(platform, 'citizen'), freshLogin(platform, 'staff')]);
    const caseNo = await submittedCase(platform, citizen, FIRST, REGION);
    for (const action of ['accept', 'handle']) expect((await act(platform, staff, caseNo, { action })).status).toBe(200);
    expect((await act(platform, staff, caseNo, { action: 'deny', reason: '不符合条件' })).status).toBe(200);
    await platform.runtime.drainQueues();
    expect((await inbox(citizen)).filter((m) => m.source === 'recommendation' && m.messageId.includes(caseNo))).toEqual([]);
    expect((await recommendations().ofItem(subOf(citizen), NEXT)).filter((r) => r.caseNo === caseNo)).toEqual([]);
  });

  it('archives access events by day for Athena', async () => {
    await platform.call('GET', '/v1/life-events');
    await platform.runtime.dependencies.accessEvents!.flush();
    await platform.runtime.drainQueues();
    const events = await rawEvents('access');
    expect(events.some((event) => event.route === 'GET /v1/life-events')).toBe(true);
    const root = join(platform.runtime.dataDir, 'blobs', 'analytics', 'events', 'access');
    expect(await readdir(root)).toContain(`dt=${chinaDate(clock.now())}`);
  });
});
