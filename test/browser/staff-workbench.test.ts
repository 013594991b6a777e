import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { act, freshLogin, submittedCase } from '../support/case-helpers.js';
import { ManualClock } from '../support/manual-clock.js';
import {
  VIEWPORTS,
  expectNoSeriousAccessibilityViolations,
  hasHorizontalScroll,
  launchBrowser,
  newPage,
  pageProblems,
  startPortalPlatform,
  type PortalPlatform,
} from './support/browser.js';

const ITEM = 'SC-XK-0007'; // 食品经营许可, handled by agency A (staff-a) in 西湖区, promised in 3 working days
const REGION = '330106';
const DAY = 24 * 3600;

const clock = new ManualClock(new Date());
let portal: PortalPlatform;
let browser: Browser;
/** submitted first and then left past its deadline */
let overdueCase: string;
/** submitted at the test's "now" for delivery by express, the one staff-a handles */
let freshCase: string;

beforeAll(async () => {
  [portal, browser] = await Promise.all([startPortalPlatform({ clock, pollQueues: false }), launchBrowser()]);
  const { platform } = portal;
  overdueCase = await submittedCase(platform, await freshLogin(platform, 'citizen'), ITEM, REGION);
  const { dueAt } = (await platform.call('GET', `/v1/cases/${overdueCase}`, { token: await freshLogin(platform, 'citizen') })).body;
  clock.set(new Date(Date.parse(dueAt) + DAY * 1000));
  freshCase = await submittedCase(platform, await freshLogin(platform, 'citizen'), ITEM, REGION, { delivery: { method: 'express', address: '杭州市西湖区文三路 1 号' } });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await portal?.close();
});

/** staff-a logs in through the portal's login page and lands on the workbench */
async function staffPage(width: number = VIEWPORTS.desktop): Promise<Page> {
  const page = await newPage(browser, { width });
  const { username, password } = portal.platform.account('staff');
  await page.goto(`${portal.baseUrl}/login`);
  await page.getByLabel('账号').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL(`${portal.baseUrl}/staff`);
  await page.getByRole('heading', { level: 1, name: '工作台' }).waitFor();
  return page;
}

async function openQueue(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '办件队列' }).click();
  await page.locator('table.case-queue tbody tr').first().waitFor();
}

/** the queue as shown: case number, due moment, highlighted, and the deadline text of each row */
function queueRows(page: Page) {
  return page.locator('table.case-queue tbody tr').evaluateAll((rows) =>
    rows.map((row) => ({
      caseNo: row.querySelector('td a')?.textContent ?? '',
      dueAt: row.querySelector('time')?.getAttribute('datetime') ?? '',
      highlighted: row.classList.contains('row-overdue'),
      deadline: row.querySelector('td:last-child')?.textContent ?? '',
    })),
  );
}

/** presses Tab until the focused element is the button named `name` (keyboard only); fails after `limit` presses */
async function tabTo(page: Page, name: string, limit = 60): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press('Tab');
    const focusedButton = page.locator('button:focus');
    if ((await focusedButton.count()) === 1 && (await focusedButton.textContent())?.trim() === name) return;
  }
  throw new Error(`no button ${name} within ${limit} Tab presses`);
}

const caseAsApplicant = async (caseNo: string) => (await portal.platform.call('GET', `/v1/cases/${caseNo}`, { token: await freshLogin(portal.platform, 'citizen') })).body;

describe('the staff workbench in Chromium', () => {
  it('takes staff-a from login through the queue (earliest deadline first, overdue marked) to accepting by keyboard, approving with confirmation and delivering by express', async () => {
    const page = await staffPage();
    await openQueue(page);
    const rows = await queueRows(page);
    expect(rows.map((row) => row.caseNo)).toEqual([overdueCase, freshCase]);
    expect(rows[0]!.dueAt < rows[1]!.dueAt).toBe(true);
    expect(rows[0]).toMatchObject({ highlighted: true, deadline: expect.stringContaining('已超期') });
    expect(rows[1]).toMatchObject({ highlighted: false, deadline: expect.stringMatching(/剩余 \d+ 个工作日/) });
    await expectNoSeriousAccessibilityViolations(page);

    await page.getByRole('link', { name: freshCase }).click();
    await page.getByRole('heading', { level: 2, name: '办理操作' }).waitFor();
    expect(await page.getByText(`办件编号 ${freshCase}`).isVisible()).toBe(true);
    await expectNoSeriousAccessibilityViolations(page);

    // keyboard only: Tab to 受理, Enter opens its form with the focus in it, Tab to the submit button, Enter
    await tabTo(page, '受理');
    await page.keyboard.press('Enter');
    await page.locator('#case-action-form :focus').waitFor();
    await tabTo(page, '确认受理', 5);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '已受理，办件状态：已受理' }).waitFor();
    expect((await caseAsApplicant(freshCase)).state).toBe('accepted');

    await page.getByRole('button', { name: '审查', exact: true }).click();
    await page.getByRole('button', { name: '确认审查' }).click();
    await page.getByRole('status').filter({ hasText: '办件状态：审查中' }).waitFor();

    await page.getByRole('button', { name: '准予', exact: true }).click();
    await page.getByLabel('办理意见').fill('材料齐全，符合条件');
    await page.getByLabel('结果名称').fill('食品经营许可证');
    await page.getByRole('button', { name: '准予…' }).click();
    // irreversible: nothing is sent until the confirmation
    await page.getByText('确定要执行“准予”吗？').waitFor();
    expect((await caseAsApplicant(freshCase)).state).toBe('in-review');
    await page.getByRole('button', { name: '确认准予' }).click();
    await page.getByRole('status').filter({ hasText: '办件状态：准予办理' }).waitFor();
    await expectNoSeriousAccessibilityViolations(page);

    expect(await caseAsApplicant(freshCase)).toMatchObject({
      state: 'approved',
      decision: { outcome: 'approved' },
      result: { kind: 'certificate', title: '食品经营许可证' },
    });

    await page.getByLabel('快递公司').fill('中国邮政 EMS');
    await page.getByLabel('快递单号').fill('EMS1234567890CN');
    await page.getByLabel('新增物流动态（选填）').fill('已揽收');
    await page.getByRole('button', { name: '保存快递信息' }).click();
    await page.getByRole('status').filter({ hasText: '快递信息已保存' }).waitFor();
    await page.getByRole('button', { name: '送达', exact: true }).click();
    await page.getByRole('button', { name: '送达…' }).click();
    await page.getByRole('button', { name: '确认送达' }).click();
    await page.getByRole('status').filter({ hasText: '办件状态：已送达' }).waitFor();
    expect(await caseAsApplicant(freshCase)).toMatchObject({
      state: 'delivered',
      express: { carrier: '中国邮政 EMS', trackingNo: 'EMS1234567890CN', events: [{ description: '已揽收' }] },
    });
    expect(pageProblems(page)).toEqual([]);
    await page.context().close();
  });

  it('announces a refused action in an alert and shows the state the case really has', async () => {
    const { platform } = portal;
    const caseNo = await submittedCase(platform, await freshLogin(platform, 'citizen'), ITEM, REGION);
    const page = await staffPage();
    await page.goto(`${portal.baseUrl}/staff/cases/${caseNo}`);
    await page.getByRole('button', { name: '受理', exact: true }).waitFor();
    // a colleague accepts the case meanwhile
    expect((await act(platform, await freshLogin(platform, 'staff'), caseNo, { action: 'accept' })).status).toBe(200);

    await page.getByRole('button', { name: '受理', exact: true }).click();
    await page.getByRole('button', { name: '确认受理' }).click();
    await expect(page.getByRole('alert').filter({ hasText: '页面已刷新' }).textContent()).resolves.toContain('刷新');
    await page.getByRole('button', { name: '审查', exact: true }).waitFor();
    expect(await page.locator('.case-headline .tag').textContent()).toBe('已受理');
    await page.context().close();
  });

  it('shows the queue as stacked rows on a 360 px phone, without horizontal scrolling or accessibility violations', async () => {
    const page = await staffPage(VIEWPORTS.narrowPhone);
    await openQueue(page);
    expect(await hasHorizontalScroll(page)).toBe(false);
    const firstRow = page.locator('table.case-queue tbody tr').first();
    const [caseNoCell, itemCell] = await Promise.all([firstRow.locator('td').nth(0).boundingBox(), firstRow.locator('td').nth(1).boundingBox()]);
    expect(itemCell!.y).toBeGreaterThanOrEqual(caseNoCell!.y + caseNoCell!.height); // the cells stack, one under the other
    expect(await firstRow.textContent()).toContain('已超期');
    await expectNoSeriousAccessibilityViolations(page);

    await page.getByRole('link', { name: overdueCase }).click();
    await page.getByRole('heading', { level: 2, name: '办理操作' }).waitFor();
    expect(await hasHorizontalScroll(page)).toBe(false);
    await expectNoSeriousAccessibilityViolations(page);
    await page.context().close();
  });

  it('answers a consult of the agency and lists the supervision alert of the overdue case', async () => {
    const { platform } = portal;
    const citizen = await freshLogin(platform, 'citizen');
    const consult = await platform.call('POST', '/v1/interactions', {
      token: citizen,
      body: { kind: 'consult', itemCode: ITEM, region: REGION, title: '食品经营许可要带原件吗', content: '请问现场核查时需要带哪些原件？' },
    });
    expect(consult.status).toBe(201);
    await platform.runtime.runSchedule('supervise-cases');

    const page = await staffPage();
    await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '咨询投诉' }).click();
    const card = page.locator('li.card').filter({ has: page.getByRole('heading', { name: '食品经营许可要带原件吗' }) });
    await card.getByLabel('答复内容（发送即办结咨询）').fill('请携带营业执照原件和法定代表人身份证。');
    await card.getByRole('button', { name: '发送答复' }).click();
    await page.getByRole('heading', { name: '食品经营许可要带原件吗' }).waitFor({ state: 'detached' });
    const mine = (await platform.call('GET', '/v1/me/interactions', { token: citizen })).body.interactions.find((i: { id: string }) => i.id === consult.body.id);
    expect(mine).toMatchObject({ state: 'answered', replies: [{ by: 'staff', content: '请携带营业执照原件和法定代表人身份证。' }] });
    await expectNoSeriousAccessibilityViolations(page);

    await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '督办提醒' }).click();
    const overdueAlert = page.locator('li.card').filter({ hasText: '办件超期' }).filter({ has: page.getByRole('link', { name: `办件 ${overdueCase}` }) });
    await overdueAlert.waitFor();
    await expectNoSeriousAccessibilityViolations(page);
    expect(pageProblems(page)).toEqual([]);
    await page.context().close();
  });
});
