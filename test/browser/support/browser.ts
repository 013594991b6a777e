import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { LocalRuntimeOptions } from '../../../infra/local/runtime.js';
import { startTestPlatform, type TestPlatform } from '../../support/local-platform.js';

/** Debian's chromium (`apt-get install chromium`); CHROMIUM_PATH points elsewhere */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** the portal's main widths: a small phone (issue #11: from 360 px), a common phone, a desktop */
export const VIEWPORTS = { narrowPhone: 360, phone: 375, desktop: 1280 } as const;

/**
 * Headless Chromium with a fresh profile and nothing that reaches the network by itself
 * (component updates, sync, QUIC probes), so browser tests run offline.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface PortalPlatform {
  /** where the portal is, e.g. http://127.0.0.1:41234 */
  readonly baseUrl: string;
  readonly platform: TestPlatform;
  close(): Promise<void>;
}

/**
 * The whole local runtime with the web portal served at `/`, seeded with the demo accounts.
 * Chromium treats http://127.0.0.1 as a secure context, as the HTTPS origin in AWS is, so the
 * `Secure` refresh cookie works there; upload URLs name the same origin, as CSP requires.
 */
export async function startPortalPlatform(options: Partial<LocalRuntimeOptions> = {}): Promise<PortalPlatform> {
  const platform = await startTestPlatform({ ...options, portal: true });
  return {
    baseUrl: platform.url,
    platform,
    close: () => platform.close(),
  };
}

/** page-side script (a string: the project is typed for Node, not the DOM) */
const REPORT_CSP_VIOLATIONS = `document.addEventListener('securitypolicyviolation', (event) => {
  window.__reportCspViolation(event.effectiveDirective + ' blocked ' + (event.blockedURI || 'inline') + ' (' + event.sourceFile + ':' + event.lineNumber + ')');
});`;

interface PageRecord {
  readonly problems: string[];
}
const records = new WeakMap<Page, PageRecord>();

/**
 * A page in its own browser context (its own cookies and storage: one user), at a viewport
 * `width` wide, in Chinese. It records what should never happen on the portal: console errors,
 * uncaught exceptions and Content-Security-Policy violations; `pageProblems` returns them.
 */
export async function newPage(browser: Browser, options: { width: number; height?: number }): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: options.width, height: options.height ?? 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  const record: PageRecord = { problems: [] };
  records.set(page, record);
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // an API refusal (401 when logged out, 404 for an unknown item…) is an answer the page
    // handles, which Chromium also logs; failures of the portal's own files and 5xx are problems
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text) && new URL(message.location().url || 'http://x/').pathname.startsWith('/v1/')) return;
    record.problems.push(`console error: ${text}`);
  });
  page.on('pageerror', (error) => record.problems.push(`uncaught: ${error.message}`));
  // exposed bindings survive navigations; the listener is added before any page script runs
  await page.exposeFunction('__reportCspViolation', (violation: string) => record.problems.push(`CSP violation: ${violation}`));
  await page.addInitScript({ content: REPORT_CSP_VIOLATIONS });
  return page;
}

/** console errors, uncaught exceptions and CSP violations the page has had so far */
export function pageProblems(page: Page): readonly string[] {
  return records.get(page)?.problems ?? [];
}

export interface AccessibilityViolation {
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  /** CSS selectors of the offending elements */
  readonly targets: readonly string[];
}

/** what the page-side axe code uses of the page's globals */
interface AxeGlobals {
  readonly document: unknown;
  readonly axe: {
    run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[] }>;
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** WCAG 2.0 and 2.1, levels A and AA: the basics GB/T 37668-2019 asks of web content */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core on the page as it is now (injected through the DevTools protocol, which the
 * portal's CSP does not govern) against WCAG 2.0/2.1 A and AA, and returns the serious and
 * critical violations.
 */
export async function accessibilityViolations(page: Page): Promise<AccessibilityViolation[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as Partial<AxeGlobals>).axe === 'object');
  if (!loaded) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const { axe, document } = globalThis as unknown as AxeGlobals;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({ id: violation.id, impact: violation.impact!, help: violation.help, targets: violation.nodes.map((node) => node.target.map(String).join(' ')) }));
  }, WCAG_TAGS);
}

/** fails with the list of serious and critical WCAG violations, when there are any */
export async function expectNoSeriousAccessibilityViolations(page: Page): Promise<void> {
  const violations = await accessibilityViolations(page);
  if (violations.length > 0) {
    throw new Error(`${page.url()} has serious accessibility violations:\n${violations.map((v) => `  ${v.impact} ${v.id}: ${v.help} → ${v.targets.join(', ')}`).join('\n')}`);
  }
}

/** whether the page is wider than its viewport (a horizontal scroll bar on a phone) */
export function hasHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const { documentElement } = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
    return documentElement.scrollWidth > documentElement.clientWidth;
  });
}
