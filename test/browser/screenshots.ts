import { spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { materialsFor, submitCase } from '../support/case-helpers.js';
import { VIEWPORTS, accessibilityViolations, launchBrowser, newPage, pageProblems, startPortalPlatform, type PortalPlatform } from './support/browser.js';

/**
 * `npm run screenshots`: the portal's main pages at 375 px and 1280 px, as PNG files in
 * screenshots/ (git-ignored), on a fresh local runtime with the demo data.
 * 1. start the platform with the portal and Chromium;
 * 2. give the demo citizen something to show: a submitted case and a consultation (API);
 * 3. per width, log the citizen and a staff member in through the login page, as people do,
 *    and take each page once it has rendered and its requests have settled; run axe-core on it;
 * 4. print the files written, and any console error, CSP violation or serious accessibility
 *    violation seen on the way (then the exit code is 1).
 */
const OUT_DIR = fileURLToPath(new URL('../../screenshots/', import.meta.url));
const ITEM = 'SC-XK-0007'; // 食品经营许可, applied for online in 西湖区 (agency A)
const REGION = '330106';

interface Shot {
  readonly name: string;
  readonly path: string;
}

async function prepareDemoContent(portal: PortalPlatform): Promise<{ caseNo: string }> {
  const { platform } = portal;
  const citizen = await platform.login('citizen');
  const materials = await materialsFor(platform, citizen, ITEM, REGION);
  const submitted = await submitCase(platform, citizen, { itemCode: ITEM, region: REGION, form: {}, materials, delivery: { method: 'pickup' } });
  if (submitted.status !== 201) throw new Error(`demo case: ${submitted.status} ${submitted.text}`);
  const consult = await platform.call('POST', '/v1/interactions', {
    token: citizen,
    body: { kind: 'consult', itemCode: ITEM, region: REGION, title: '办理时限', content: '食品经营许可证多久可以办好？' },
  });
  if (consult.status !== 201) throw new Error(`demo consultation: ${consult.status} ${consult.text}`);
  await platform.runtime.drainQueues();
  return { caseNo: submitted.body.caseNo as string };
}

async function logIn(page: Page, baseUrl: string, account: { username: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('账号').fill(account.username);
  await page.getByLabel('密码').fill(account.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

async function shoot(page: Page, baseUrl: string, shots: readonly Shot[], width: number, written: string[], violations: string[]): Promise<void> {
  for (const shot of shots) {
    await page.goto(`${baseUrl}${shot.path}`);
    await page.locator('main#main-content').waitFor();
    await page.waitForLoadState('networkidle');
    const file = join(OUT_DIR, `${shot.name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    written.push(relative(process.cwd(), file));
    for (const violation of await accessibilityViolations(page)) {
      violations.push(`${shot.name} at ${width}px: ${violation.impact} ${violation.id} (${violation.help}) → ${violation.targets.join(', ')}`);
    }
  }
}

/** whether fontconfig knows a font with Chinese glyphs; without one Chromium draws empty boxes */
function hasChineseFont(): boolean {
  const listed = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  return listed.status === 0 && listed.stdout.trim() !== '';
}

async function main(): Promise<void> {
  if (!hasChineseFont()) console.warn('No Chinese font is installed: the screenshots will show boxes instead of text (Debian: apt-get install fonts-noto-cjk).');
  await mkdir(OUT_DIR, { recursive: true });
  const started = performance.now();
  let portal: PortalPlatform | undefined;
  let browser: Browser | undefined;
  try {
    [portal, browser] = await Promise.all([startPortalPlatform({ logLevel: 'WARN' }), launchBrowser()]);
    const { caseNo } = await prepareDemoContent(portal);
    const publicPages: Shot[] = [
      { name: 'home', path: '/' },
      { name: 'search-results', path: `/search?q=${encodeURIComponent('食品经营')}` },
      { name: 'item-guide', path: `/items/${ITEM}?region=${REGION}` },
      { name: 'login', path: '/login' },
    ];
    const citizenPages: Shot[] = [
      { name: 'apply', path: `/items/${ITEM}/apply?region=${REGION}` },
      { name: 'my-cases', path: '/me/cases' },
      { name: 'case-detail', path: `/me/cases/${caseNo}` },
      { name: 'messages', path: '/me/messages' },
      { name: 'wallet', path: '/me/wallet' },
      { name: 'interactions', path: '/interactions' },
    ];
    const staffPages: Shot[] = [
      { name: 'staff-workbench', path: '/staff' },
      { name: 'staff-queue', path: '/staff/cases' },
      { name: 'staff-case-detail', path: `/staff/cases/${caseNo}` },
      { name: 'supervision-alerts', path: '/staff/alerts' },
    ];

    const written: string[] = [];
    const problems: string[] = [];
    const violations: string[] = [];
    for (const width of [VIEWPORTS.phone, VIEWPORTS.desktop]) {
      const visitor = await newPage(browser, { width });
      await shoot(visitor, portal.baseUrl, publicPages, width, written, violations);
      const citizen = await newPage(browser, { width });
      await logIn(citizen, portal.baseUrl, portal.platform.account('citizen'));
      await shoot(citizen, portal.baseUrl, citizenPages, width, written, violations);
      const staff = await newPage(browser, { width });
      await logIn(staff, portal.baseUrl, portal.platform.account('staff'));
      await shoot(staff, portal.baseUrl, staffPages, width, written, violations);
      for (const page of [visitor, citizen, staff]) {
        problems.push(...pageProblems(page).map((problem) => `${width}px: ${problem}`));
        await page.context().close();
      }
    }
    console.log(`${written.length} screenshots in ${relative(process.cwd(), OUT_DIR) || '.'}/ (${((performance.now() - started) / 1000).toFixed(1)} s):`);
    for (const file of written) console.log(`  ${file}`);
    console.log(`axe-core, WCAG 2.0/2.1 A and AA, on all ${written.length} pages: ${violations.length} serious or critical violations`);
    for (const violation of violations) console.log(`  ${violation}`);
    if (problems.length > 0) {
      console.log('problems seen on the way:');
      for (const problem of problems) console.log(`  ${problem}`);
    }
    if (problems.length > 0 || violations.length > 0) process.exitCode = 1;
  } finally {
    await browser?.close();
    await portal?.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
