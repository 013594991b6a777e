import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { submittedCase } from '../support/case-helpers.js';
import { VIEWPORTS, launchBrowser, newPage, pageProblems, startPortalPlatform, type PortalPlatform } from './support/browser.js';

const ITEM = 'RS-FW-0002'; // 社会保障卡补换, agency A (staff-a) in 西湖区
const REGION = '330106';

let portal: PortalPlatform;
let browser: Browser;
let caseNo: string;
let material: { materialId: string; name: string; size: number };

beforeAll(async () => {
  [portal, browser] = await Promise.all([startPortalPlatform({ pollQueues: false }), launchBrowser()]);
  const { platform } = portal;
  const citizen = await platform.login('citizen');
  caseNo = await submittedCase(platform, citizen, ITEM, REGION, { form: { reason: '遗失' } });
  material = (await platform.call('GET', `/v1/cases/${caseNo}`, { token: citizen })).body.materials[0];
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await portal?.close();
});

/** a demo role logged in through the portal's login page, then at `path` */
async function signedInAt(role: string, path: string): Promise<Page> {
  const page = await newPage(browser, { width: VIEWPORTS.phone });
  const { username, password } = portal.platform.account(role);
  await page.goto(`${portal.baseUrl}/login`);
  await page.getByLabel('账号').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
  await page.goto(`${portal.baseUrl}${path}`);
  return page;
}

/** clicks the material's download button and returns the saved file's name and bytes */
async function savedFile(page: Page): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `下载 ${material.name}` }).click()]);
  return { name: download.suggestedFilename(), bytes: await readFile((await download.path())!) };
}

describe('downloading a case material from the portal', () => {
  // uploadPdf (case-helpers) writes each material as a PDF around its name
  const uploaded = () => Buffer.from(`%PDF-1.7\n${material.name}\n%%EOF\n`);

  it('saves the file for staff of the handling agency from the workbench case detail', async () => {
    const page = await signedInAt('staff', `/staff/cases/${caseNo}`);
    const saved = await savedFile(page);
    expect(saved.name).toBe(`${material.name}.pdf`);
    expect(saved.bytes.equals(uploaded())).toBe(true);
    expect(pageProblems(page)).toEqual([]);
  }, 60_000);

  it('saves the file for the applicant from their case detail', async () => {
    const page = await signedInAt('citizen', `/me/cases/${caseNo}`);
    const saved = await savedFile(page);
    expect(saved.bytes.equals(uploaded())).toBe(true);
    expect(pageProblems(page)).toEqual([]);
  }, 60_000);
});
