import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import {
  VIEWPORTS,
  accessibilityViolations,
  hasHorizontalScroll,
  launchBrowser,
  newPage,
  pageProblems,
  startPortalPlatform,
  type PortalPlatform,
} from './support/browser.js';

let portal: PortalPlatform;
let browser: Browser;
// Chromium shares two cores with the rest of the suite
jest.setTimeout(90_000);

beforeAll(async () => {
  [portal, browser] = await Promise.all([startPortalPlatform(), launchBrowser()]);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await portal?.close();
});

/** opens a path and waits until the app has rendered its main region */
async function open(path: string, width: number = VIEWPORTS.desktop): Promise<Page> {
  const page = await newPage(browser, { width });
  await page.goto(`${portal.baseUrl}${path}`);
  await page.locator('main#main-content').waitFor();
  await page.waitForLoadState('networkidle');
  return page;
}

describe('the portal shell in Chromium', () => {
  it('loads the home page in Chinese with no console error, no uncaught exception and no CSP violation', async () => {
    const page = await open('/');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.title()).not.toBe('');
    await expect(page.getByRole('navigation', { name: '主导航' }).isVisible()).resolves.toBe(true);
    expect(pageProblems(page)).toEqual([]);
    await page.context().close();
  });

  it('would notice a CSP violation: an inline script the page tries to add is blocked and reported', async () => {
    const page = await open('/');
    await page.evaluate("const script = document.createElement('script'); script.textContent = 'window.injected = true'; document.body.append(script);");
    // the report crosses from the page to the test through an exposed binding: give it a moment
    const reported = () => pageProblems(page).some((problem) => /^CSP violation: script-src-elem blocked inline/.test(problem));
    for (let waited = 0; waited < 50 && !reported(); waited++) await page.waitForTimeout(20);
    expect(reported()).toBe(true);
    // Chromium also logs the refusal as a console error
    expect(pageProblems(page).some((problem) => problem.startsWith('console error: Executing inline script violates'))).toBe(true);
    expect(await page.evaluate('window.injected === true')).toBe(false);
    await page.context().close();
  });

  it('has no serious or critical WCAG 2.1 A/AA violations on the home page, on a desktop and a phone', async () => {
    for (const width of [VIEWPORTS.desktop, VIEWPORTS.phone]) {
      const page = await open('/', width);
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.context().close();
    }
  });

  it('reaches the skip link with the first Tab, which moves focus to the main region, and reaches the search box', async () => {
    const page = await open('/');
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    expect({ text: (await focused.textContent())?.trim(), href: await focused.getAttribute('href') }).toEqual({ text: '跳到主要内容', href: '#main-content' });
    await page.keyboard.press('Enter');
    expect(await page.locator('#main-content:focus').count()).toBe(1);

    const searchBoxFocused = page.locator('input[type=search]:focus, input[role=searchbox]:focus, input[role=combobox]:focus');
    let presses = 0;
    while (presses < 40 && (await searchBoxFocused.count()) === 0) {
      await page.keyboard.press('Tab');
      presses++;
    }
    expect(await searchBoxFocused.count()).toBe(1);
    await page.context().close();
  });

  it('opens deep links straight from the address bar: a route of the app, and the not-found page for others', async () => {
    const page = await open('/search?q=%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7');
    expect(new URL(page.url()).pathname).toBe('/search');
    expect(await page.locator('main#main-content').textContent()).not.toBe('');
    const unknown = await open('/no/such/page');
    expect(await unknown.locator('main#main-content').textContent()).toContain('页面不存在');
    expect(pageProblems(page)).toEqual([]);
    await page.context().close();
    await unknown.context().close();
  });

  it('fits a 360 px phone without horizontal scrolling', async () => {
    for (const path of ['/', '/search?q=%E6%88%B7%E7%B1%8D', '/login']) {
      const page = await open(path, VIEWPORTS.narrowPhone);
      expect({ path, scrolls: await hasHorizontalScroll(page) }).toEqual({ path, scrolls: false });
      await page.context().close();
    }
  });
});
