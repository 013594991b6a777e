import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { caseExchangeMessage, type CaseExchangeMessage } from '../../shared/cases/case-exchange-messages.js';
import { act, outboxTo, submittedCase } from '../support/case-helpers.js';
import { residentId } from '../support/identity-helpers.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';
import { ManualClock } from '../support/manual-clock.js';

const clock = new ManualClock(new Date());
let platform: TestPlatform;
let citizen: string;
let staff: string;

beforeAll(async () => {
  platform = await startTestPlatform({ clock, pollQueues: false });
  [citizen, staff] = await Promise.all([platform.login('citizen'), platform.login('staff')]);
});
afterAll(async () => {
  await platform?.close();
});

const US = 'gov-platform';
const PARTNER = 'zj-regional';
const OUTBOUND = `case-outbound-${PARTNER}`;
const minutesFromNow = (minutes: number) => new Date(clock.now().getTime() + minutes * 60_000).toISOString();

/** the partner platform puts a message on our inbound queue, and we consume it */
async function fromPartner(message: Record<string, unknown>): Promise<void> {
  const response = await platform.call('POST', '/_local/queues/case-exchange-inbound/messages', { body: message });
  expect(response.status).toBe(202);
  await platform.runtime.drainQueues();
}

/** what we sent the partner about one case, in send order, each checked against the published envelope */
async function sentToPartner(originCaseNo: string): Promise<CaseExchangeMessage[]> {
  const messages = (await platform.runtime.queue.peek(OUTBOUND, { limit: 1000 })).map((m) => JSON.parse(m.body) as unknown);
  for (const message of messages) expect(caseExchangeMessage.safeParse(message).success).toBe(true);
  return (messages as CaseExchangeMessage[]).filter((m) => m.originCaseNo === originCaseNo);
}

/** a case the partner forwards to us */
const forward = (originCaseNo: string, details: Record<string, unknown>) => ({
  schema: 'case-exchange/1',
  kind: 'case-forwarded',
  messageId: `${PARTNER}:${originCaseNo}:1`,
  source: PARTNER,
  target: US,
  originCaseNo,
  seq: 1,
  sentAt: clock.now().toISOString(),
  case: { form: {}, materials: [], delivery: { method: 'pickup' }, submittedAt: clock.now().toISOString(), timeline: [], ...details },
});

const update = (originCaseNo: string, seq: number, at: string, action: string, state: string, extra: Record<string, unknown> = {}) => ({
  schema: 'case-exchange/1',
  kind: 'case-updated',
  messageId: `${PARTNER}:${originCaseNo}:${seq}`,
  source: PARTNER,
  target: US,
  originCaseNo,
  seq,
  sentAt: at,
  update: { at, action, state, actor: 'staff', ...extra },
});

describe('cases exchanged with another platform', () => {
  it('a case forwarded to us is handled here once, however often it arrives, and every state change flows back in sequence', async () => {
    const originCaseNo = 'ZJ-330000-2026-0000123';
    const forwarded = forward(originCaseNo, {
      itemCode: 'RS-FW-0002',
      itemName: '社会保障卡补换',
      region: '330106',
      applicant: { subjectType: 'natural', name: '李远方', idType: 'resident-id', idNumber: residentId('1988-08-08', 321), phone: '13912345678' },
      form: { reason: '遗失' },
      materials: [{ name: '居民身份证', contentType: 'application/pdf', size: 1024, sha256: 'a'.repeat(64) }],
      timeline: [{ at: clock.now().toISOString(), state: 'submitted', action: 'submit', actor: 'applicant' }],
    });
    await fromPartner(forwarded);
    await fromPartner(forwarded);

    const acknowledged = await sentToPartner(originCaseNo);
    expect(acknowledged).toHaveLength(1);
    expect(acknowledged[0]).toMatchObject({ kind: 'case-updated', seq: 1, source: US, target: PARTNER, update: { action: 'receive', state: 'submitted' } });
    const caseNo = (acknowledged[0] as { handlerCaseNo: string }).handlerCaseNo;
    expect(caseNo).toMatch(/^330106-\d{8}-[0-9A-HJKMNP-TV-Z]{8}$/);
    const queue = await platform.call('GET', '/v1/staff/cases?limit=100', { token: staff });
    expect(queue.body.cases.filter((c: { applicantName: string }) => c.applicantName === '李远方')).toHaveLength(1);

    expect((await act(platform, staff, caseNo, { action: 'accept' })).status).toBe(200);
    expect((await act(platform, staff, caseNo, { action: 'request-correction', comment: '请补充身份证背面' })).status).toBe(200);
    // the applicant supplements on the partner's side; the update comes twice
    const supplement = update(originCaseNo, 2, minutesFromNow(5), 'supplement', 'accepted', { actor: 'applicant', comment: '已补充' });
    await fromPartner(supplement);
    await fromPartner(supplement);
    const afterSupplement = await platform.call('GET', `/v1/cases/${caseNo}`, { token: staff });
    expect(afterSupplement.body).toMatchObject({ state: 'accepted', applicant: { name: '李远方', idNumber: '3301**********' + residentId('1988-08-08', 321).slice(-4) } });
    expect(afterSupplement.body.materials[0]).toMatchObject({ name: '居民身份证', status: 'referenced' });
    expect(afterSupplement.body.timeline.filter((e: { action: string }) => e.action === 'supplement')).toHaveLength(1);

    expect((await act(platform, staff, caseNo, { action: 'handle' })).status).toBe(200);
    expect((await act(platform, staff, caseNo, { action: 'approve', result: { kind: 'document', title: '社会保障卡补换受理回执' } })).status).toBe(200);

    const sent = await sentToPartner(originCaseNo);
    expect(sent.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(sent.map((m) => (m.kind === 'case-updated' ? `${m.update.action}:${m.update.state}` : m.kind))).toEqual([
      'receive:submitted',
      'accept:accepted',
      'request-correction:correction-requested',
      'handle:in-review',
      'approve:approved',
    ]);
  });

  it('a case forwarded to the partner shows the partner\'s progress in one timeline, with duplicates and out-of-order updates handled', async () => {
    const caseNo = await submittedCase(platform, citizen, 'RS-FW-0002', '330106');
    const staffMoves = await act(platform, staff, caseNo, { action: 'transfer', target: { platform: PARTNER }, comment: '转浙江政务服务网办理' });
    expect(staffMoves.status).toBe(200);
    const [forward] = await sentToPartner(caseNo);
    expect(forward).toMatchObject({ kind: 'case-forwarded', seq: 1, source: US, target: PARTNER, case: { itemCode: 'RS-FW-0002', applicant: { name: '张测试', idNumber: '330106199003071236', phone: '13800000001' } } });
    const refused = await act(platform, staff, caseNo, { action: 'accept' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('handled_elsewhere');

    const accept = update(caseNo, 1, minutesFromNow(10), 'accept', 'accepted');
    const handle = update(caseNo, 2, minutesFromNow(20), 'handle', 'in-review');
    const approve = update(caseNo, 3, minutesFromNow(30), 'approve', 'approved', { result: { kind: 'certificate', title: '社会保障卡' } });
    const deliver = update(caseNo, 4, minutesFromNow(40), 'deliver', 'delivered', {
      result: { kind: 'certificate', title: '社会保障卡' },
      express: { carrier: '顺丰速运', trackingNo: 'SF1234567890', events: [{ at: minutesFromNow(41), description: '已发出' }] },
    });
    await fromPartner(accept);
    await fromPartner(approve);
    await fromPartner(approve);
    await fromPartner(handle); // late: recorded in the timeline, the case stays approved
    const meanwhile = await platform.call('GET', `/v1/cases/${caseNo}`, { token: citizen });
    expect(meanwhile.body.state).toBe('approved');
    await fromPartner(deliver);
    await fromPartner(accept);

    const seen = await platform.call('GET', `/v1/cases/${caseNo}`, { token: citizen });
    expect(seen.body).toMatchObject({
      state: 'delivered',
      decision: { outcome: 'approved' },
      result: { title: '社会保障卡' },
      express: { carrier: '顺丰速运', trackingNo: 'SF1234567890' },
      exchange: { partner: PARTNER, role: 'origin', originCaseNo: caseNo },
    });
    expect(seen.body.timeline.map((e: { action: string; actor: string }) => `${e.action}:${e.actor}`)).toEqual([
      'submit:applicant',
      'transfer:staff',
      `accept:platform:${PARTNER}`,
      `handle:platform:${PARTNER}`,
      `approve:platform:${PARTNER}`,
      `deliver:platform:${PARTNER}`,
    ]);
    const texts = (await outboxTo(platform, '13800000001')).filter((m) => m.params.caseNo === caseNo).map((m) => m.params.state);
    expect(texts).toEqual(['已提交', '已提交', '已受理', '准予办理', '已送达']);

    // the applicant rates it here; the partner hears of nothing it did not do
    const rated = await platform.call('POST', `/v1/cases/${caseNo}/evaluations`, { token: citizen, body: { score: 4, dimensions: { process: 4, result: 4, efficiency: 4 } } });
    expect(rated.status).toBe(201);
    expect((await sentToPartner(caseNo)).map((m) => m.seq)).toEqual([1]);
  });

  it('refuses a forward of an item this platform does not offer with a reject update, and flags a decision without acceptance', async () => {
    const originCaseNo = 'ZJ-330000-2026-0000999';
    await fromPartner(forward(originCaseNo, { itemCode: 'SC-XK-0007', itemName: '食品经营许可', region: '440305', applicant: { subjectType: 'legal', name: '某餐饮公司' } }));
    expect(await sentToPartner(originCaseNo)).toMatchObject([{ kind: 'case-updated', seq: 1, update: { action: 'reject', state: 'rejected' } }]);

    const caseNo = await submittedCase(platform, citizen, 'RS-FW-0002', '330106');
    expect((await act(platform, staff, caseNo, { action: 'transfer', target: { platform: PARTNER } })).status).toBe(200);
    await fromPartner(update(caseNo, 1, minutesFromNow(5), 'approve', 'approved'));
    await platform.runtime.runSchedule('supervise-cases');
    const alerts = await platform.call('GET', '/v1/supervision/alerts?kind=inconsistent', { token: await platform.login('admin') });
    expect(alerts.status).toBe(200);
    expect(alerts.body.alerts).toContainEqual(expect.objectContaining({ caseNo, kind: 'inconsistent', detail: 'a decision without an acceptance' }));
  });
});
