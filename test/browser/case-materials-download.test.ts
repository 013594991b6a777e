import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { requiredMaterials, submitCase, submittedCase, uploadPdf } from '../support/case-helpers.js';
import { VIEWPORTS, launchBrowser, newPage, pageProblems, startPortalPlatform, type PortalPlatform } from './support/browser.js';

const ITEM = 'RS-FW-0002'; // 社会保障卡补换, agency A (staff-a) in 西湖区
const REGION = '330106';
/** lowered from the 4 MiB of AWS so a few KiB already come by redirect to a download URL */
const INLINE_FILE_BYTES = 2048;
/** what uploadPdf writes for a material of the large case: a PDF around its name and padding */
const largeText = (name: string) => `${name}\n${'0123456789abcdef'.repeat(INLINE_FILE_BYTES / 16)}`;

let portal: PortalPlatform;
let browser: Browser;
let caseNo: string;
let material: { materialId: string; name: string; size: number };
let largeCaseNo: string;
let large: { materialId: string; name: string; size: number };

beforeAll(async () => {
  [portal, browser] = await Promise.all([startPortalPlatform({ pollQueues: false, inlineFileBytes: INLINE_FILE_BYTES }), launchBrowser()]);
  const { platform } = portal;
  const citizen = await platform.login('citizen');
  caseNo = await submittedCase(platform, citizen, ITEM, REGION, { form: { reason: '遗失' } });
  material = (await platform.call('GET', `/v1/cases/${caseNo}`, { token: citizen })).body.materials[0];
  const materials = await Promise.all((await requiredMaterials(platform, ITEM, REGION)).map(async (name) => ({ name, blobId: await uploadPdf(platform, citizen, largeText(name)) })));
  const submitted = await submitCase(platform, citizen, { itemCode: ITEM, region: REGION, form: { reason: '遗失' }, materials, delivery: { method: 'pickup' } });
  largeCaseNo = submitted.body.caseNo;
  large = (await platform.call('GET', `/v1/cases/${largeCaseNo}`, { token: citizen })).body.materials[0];
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

/** clicks a material's download button and returns the saved file's name and bytes */
async function savedFile(page: Page, of: { name: string } = material): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `下载 ${of.name}` }).click()]);
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

  it('saves a material too large for an API response, which the API redirects to a download URL', async () => {
    const page = await signedInAt('staff', `/staff/cases/${largeCaseNo}`);
    const redirects: number[] = [];
    page.on('response', (response) => {
      if (response.url().includes(`/materials/${large.materialId}`)) redirects.push(response.status());
    });
    const saved = await savedFile(page, large);
    expect(redirects).toEqual([303]);
    expect(saved.name).toBe(`${large.name}.pdf`);
    expect(saved.bytes.length).toBe(large.size);
    expect(saved.bytes.equals(Buffer.from(`%PDF-1.7\n${largeText(large.name)}\n%%EOF\n`))).toBe(true);
    expect(pageProblems(page)).toEqual([]);
  }, 60_000);
});
