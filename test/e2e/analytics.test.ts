import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DEMO_AGENCIES } from '../../infra/local/demo-seed.js';
import { analyticsRepository } from '../../shared/analytics/analytics-repository.js';
import { caseRepository } from '../../shared/cases/case-repository.js';
import { chinaDate } from '../../shared/workflow/working-calendar.js';
import { act, materialsFor, requiredMaterials, submittedCase } from '../support/case-helpers.js';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';
import { ManualClock } from '../support/manual-clock.js';

const clock = new ManualClock(new Date());
const AGENCY_A = DEMO_AGENCIES.a.uscc;
const AGENCY_B = DEMO_AGENCIES.b.uscc;
const FOOD = 'SC-XK-0007'; // agency A in 西湖区
const CARD = 'RS-FW-0002'; // agency A in 西湖区
const REGION = '330106';
let platform: TestPlatform;
let month: string;

beforeAll(async () => {
  platform = await startTestPlatform({ clock, pollQueues: false });
  month = chinaDate(clock.now()).slice(0, 7);
});
afterAll(async () => {
  await platform?.close();
});

type Indicator = { name: string; value: number | null; numerator: number | null; denominator: number | null; suppressed: boolean; formula: string };
const evaluation = (token: string, query: string) => platform.call('GET', `/v1/analytics/evaluation?${query}`, { token });
const byName = (body: { indicators: Indicator[] }) => Object.fromEntries(body.indicators.map((indicator) => [indicator.name, indicator])) as Record<string, Indicator>;
const shown = (indicator: Indicator | undefined) => [indicator?.value, indicator?.numerator, indicator?.denominator, indicator?.suppressed];

describe('service evaluation (GB/T 39047 6.2.6)', () => {
  it('aggregates real cases, reviews and consults on schedule and answers analysts with hand-counted indicators', async () => {
    const citizen = await platform.login('citizen');
    const staff = await platform.login('staff');
    const analyst = await platform.login('analyst');

    // case 1: the citizen applies on the mobile app, by express; accepted, handled, approved, delivered; rated 1 star
    const materials = await materialsFor(platform, citizen, FOOD, REGION);
    const mobile = await platform.call('POST', '/v1/cases', {
      token: citizen,
      headers: { 'idempotency-key': randomUUID(), 'x-channel': 'app' },
      body: { itemCode: FOOD, region: REGION, form: {}, materials, delivery: { method: 'express', address: '杭州市西湖区文三路 1 号' } },
    });
    expect(mobile.status).toBe(201);
    const caseNo = mobile.body.caseNo as string;
    for (const action of ['accept', 'handle']) expect((await act(platform, staff, caseNo, { action })).status).toBe(200);
    expect((await act(platform, staff, caseNo, { action: 'approve', result: { kind: 'document', title: '食品经营许可决定书', number: 'D-1' } })).status).toBe(200);
    const express = { carrier: 'EMS', trackingNo: 'EMS1234567890CN', events: [{ at: clock.now().toISOString(), description: '已揽收' }] };
    expect((await platform.call('PUT', `/v1/cases/${caseNo}/express`, { token: staff, body: express })).status).toBe(200);
    expect((await act(platform, staff, caseNo, { action: 'deliver' })).status).toBe(200);
    const review = await platform.call('POST', `/v1/cases/${caseNo}/evaluations`, { token: citizen, body: { score: 1, dimensions: { process: 1, result: 1, efficiency: 1 }, comment: '太慢' } });
    expect(review.status).toBe(201);

    // case 2: the citizen applies on the web for pickup; not accepted
    const rejected = await submittedCase(platform, citizen, CARD, REGION);
    expect((await act(platform, staff, rejected, { action: 'reject', reason: '材料不齐' })).status).toBe(200);

    // a consult answered the same day
    const consult = await platform.call('POST', '/v1/interactions', { token: citizen, body: { kind: 'consult', agency: AGENCY_A, title: '时限', content: '多久能办好？' } });
    expect((await platform.call('POST', `/v1/interactions/${consult.body.id}/replies`, { token: staff, body: { content: '三个工作日' } })).status).toBe(201);

    // four more applicants (accounts y1–y4) with the same approved, delivered, web case, rated 4 stars, written as the case store writes them
    const cases = caseRepository({ tables: platform.runtime.dependencies.tables });
    const original = (await cases.get(caseNo))!;
    const { rectification: _open, ...rated } = original.evaluation!;
    for (const person of ['y1', 'y2', 'y3', 'y4']) {
      const copy = { ...original, caseNo: `${REGION}-${person}-${randomUUID().slice(0, 8)}`, applicant: { ...original.applicant, accountId: `account-${person}` }, channel: 'web' as const, evaluation: { ...rated, score: 4 } };
      await cases.create(copy, { audit: { action: 'submit', actor: `account-${person}`, actorRole: 'applicant', at: copy.submittedAt, toState: copy.state, version: copy.version } });
    }

    await platform.runtime.drainQueues();
    await platform.runtime.runSchedule('aggregate-evaluation-facts');

    const response = await evaluation(analyst, `period=${month}&agency=${AGENCY_A}`);
    expect(response.status).toBe(200);
    expect(response.body.period).toMatchObject({ text: month, from: `${month}-01` });
    expect(response.body.aggregatedUntil).toBe(clock.now().toISOString());
    const indicators = byName(response.body);
    expect(Object.keys(indicators)).toHaveLength(21);
    // submitted: case 1, case 2 and the four copies = 6, all online; on the mobile app: case 1 → 6 / 6 = 1; 1 / 6 = 0.1667
    expect(shown(indicators['online-submission-rate'])).toEqual([1, 6, 6, false]);
    expect(shown(indicators['mobile-usage-share'])).toEqual([0.1667, 1, 6, false]);
    // decided: 6; fully online (online and express): case 1 and the copies = 5 → 5 / 6 = 0.8333
    expect(shown(indicators['fully-online-completion-rate'])).toEqual([0.8333, 5, 6, false]);
    // steps to decision: accept, handle, approve = 3 for case 1 and each copy, reject = 1 for case 2: 16 / 6 = 2.666… → 2.67
    expect(shown(indicators['steps-per-decided-case'])).toEqual([2.67, 16, 6, false]);
    // approved: case 1 and the copies (5 people), none with a certificate issued for the case → 0 / 5
    expect(shown(indicators['e-seal-decision-rate'])).toEqual([0, 0, 5, false]);
    // reviews by citizens: 1 star (case 1) and four times 4 stars: good 4 / 5 = 0.8, bad 1 / 5 = 0.2
    expect(shown(indicators['citizen-good-review-rate'])).toEqual([0.8, 4, 5, false]);
    expect(shown(indicators['citizen-bad-review-rate'])).toEqual([0.2, 1, 5, false]);
    // uploads: the food licence materials on case 1 and each copy, the card materials on case 2; no certificate used
    const uploads = 5 * (await requiredMaterials(platform, FOOD, REGION)).length + (await requiredMaterials(platform, CARD, REGION)).length;
    expect(shown(indicators['e-certificate-material-reuse-rate'])).toEqual([0, 0, uploads, false]);
    // small cells: one consulting citizen, no enterprise review, the rectification not yet due, no certificate issued
    for (const name of ['interaction-on-time-reply-rate', 'complaint-reopen-rate', 'enterprise-good-review-rate', 'rectification-on-time-rate', 'e-certificates-issued']) {
      expect(shown(indicators[name])).toEqual([null, null, null, true]);
    }
    // the catalog snapshot of agency A and the platform's access totals are there
    expect(indicators['item-standardisation']!.denominator).toBeGreaterThan(0);
    expect(indicators.availability!.denominator).toBeGreaterThan(0);
    expect(indicators.availability!.value).toBeGreaterThan(0.9);
    expect(response.body.score.value).toEqual(expect.any(Number));
    expect(response.body.suppression.minimumPeople).toBe(5);

    // the province, the platform and the district with the agency hold the same cases; agency B and Guangdong have none: every case indicator suppressed
    const zhejiang = byName((await evaluation(analyst, `period=${month}&region=330000`)).body);
    expect(shown(zhejiang['online-submission-rate'])).toEqual([1, 6, 6, false]);
    expect(shown(byName((await evaluation(analyst, `period=${month}`)).body)['citizen-good-review-rate'])).toEqual([0.8, 4, 5, false]);
    expect(shown(byName((await evaluation(analyst, `period=${month}&region=330106&agency=${AGENCY_A}`)).body)['mobile-usage-share'])).toEqual([0.1667, 1, 6, false]);
    const agencyB = byName((await evaluation(analyst, `period=${month}&agency=${AGENCY_B}`)).body);
    expect(shown(agencyB['online-submission-rate'])).toEqual([null, null, null, true]);
    expect(shown(byName((await evaluation(analyst, `period=${month.slice(0, 4)}&region=440000`)).body)['citizen-good-review-rate'])).toEqual([null, null, null, true]);
    // the year holds the month
    expect(shown(byName((await evaluation(analyst, `period=${month.slice(0, 4)}&agency=${AGENCY_A}`)).body)['online-submission-rate'])).toEqual([1, 6, 6, false]);

    // a rerun over the same records changes no cell
    await platform.runtime.runSchedule('aggregate-evaluation-facts');
    expect(await analyticsRepository(platform.runtime.dependencies.tables).lastRun()).toMatchObject({ cases: 6, cellsWritten: 0, cellsRemoved: 0 });
  });

  it('is for administrators and analysts only, and refuses a bad period with 422', async () => {
    const citizen = await platform.login('citizen');
    const staff = await platform.login('staff');
    const admin = await platform.login('admin');
    const analyst = await platform.login('analyst');
    expect((await evaluation(citizen, `period=${month}`)).status).toBe(403);
    expect((await evaluation(staff, `period=${month}`)).status).toBe(403);
    expect((await platform.call('GET', `/v1/analytics/evaluation?period=${month}`)).status).toBe(401);
    expect((await evaluation(admin, `period=${month}`)).status).toBe(200);
    for (const period of ['2026-13', '2026-Q5', '26', '2026-1']) {
      const bad = await evaluation(analyst, `period=${period}`);
      expect(bad.status).toBe(422);
      expect(JSON.stringify(bad.body)).toContain('period');
    }
    expect((await evaluation(analyst, 'region=330106')).status).toBe(422);
  });
});
