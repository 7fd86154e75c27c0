/**
 * Pages in a real browser: Debian's Chromium driven by playwright-core (no browser download), one
 * browser per test file, a screenshot of the page when a test fails, and axe-core's accessibility checks.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, onTestFailed } from 'vitest';
import { DEMO_PASSWORD } from '../modules/admin/demo-seed.js';
import { createTestApp, type TestApp, type TestAppOptions } from './test-app.js';

// Without the background-networking flags Chromium keeps calling out to a network this machine does not have.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, timeout: 30_000 });

export interface ServedApp {
  t: TestApp;
  browser: Browser;
  /** `http://127.0.0.1:<port>` of the listening app. */
  base: string;
}

/** A loopback port nobody listens on right now. */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * For a test file: the app listening on loopback with the demo data and one browser, made before
 * its tests and closed after them. Read the fields inside the tests.
 */
export function servedApp(opts: TestAppOptions = {}): ServedApp {
  const served = {} as ServedApp;
  beforeAll(async () => {
    // The app's PUBLIC_URL must be the address the browser uses: sockets and cookie writes are checked against it.
    const port = await freePort();
    served.t = await createTestApp({ ...opts, env: { HOST: '127.0.0.1', PORT: String(port), ...opts.env } });
    // The browser keeps cookies by its own clock, so the app's clock must agree with it.
    served.t.clock.set(new Date());
    await served.t.app.listen({ host: '127.0.0.1', port });
    served.base = served.t.config.publicUrl;
    served.browser = await launchBrowser();
  });
  afterAll(async () => {
    await served.browser?.close();
    await served.t?.close();
  });
  return served;
}

/** Fill the sign-in form on the page (or in `within`, the sign-in dialog) as a demo user and send it. */
export async function signInAs(page: Page, username: string, within?: ReturnType<Page['getByRole']>): Promise<void> {
  const form = within ?? page;
  await form.getByLabel('用户名').fill(username);
  await form.getByLabel('密码').fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: '登录' }).click();
}

/** Where failing tests leave their screenshots (gitignored). */
export const FAILURE_DIR = path.resolve('.browser-failures');

export interface WatchedPage {
  page: Page;
  /** Errors the page logged or threw, besides the ones the test said to expect. */
  problems: string[];
}

/**
 * A new page in a context of its own, watched for script errors; when the test fails, a screenshot
 * of it is saved to FAILURE_DIR. Call it inside the test.
 */
export async function openPage(
  browser: Browser,
  opts: BrowserContextOptions & { expectErrors?: RegExp } = {},
): Promise<WatchedPage> {
  const { expectErrors, ...contextOptions } = opts;
  const context = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 1280, height: 900 },
    // Without animation, as a user who asks for reduced motion sees it: headless Chromium can leave a
    // closing dropdown mid-animation (its hidden listbox then counts for axe), and no test waits on motion.
    reducedMotion: 'reduce',
    ...contextOptions,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = `${m.text()} ${m.location().url}`;
    // Browsers ask for a favicon on their own; a test that provokes failed requests names them.
    if (m.location().url.endsWith('/favicon.ico') || expectErrors?.test(text)) return;
    problems.push(text);
  });
  onTestFailed(async ({ task }) => {
    fs.mkdirSync(FAILURE_DIR, { recursive: true });
    const name = task.name.replace(/[^\w\u4e00-\u9fff-]+/g, '-').slice(0, 100);
    await page.screenshot({ path: path.join(FAILURE_DIR, `${name}.png`), fullPage: true }).catch(() => undefined);
  });
  return { page, problems };
}

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's serious and critical findings on the page as it is now (WCAG 2.1 A and AA rules). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the debugging protocol, so the page's Content-Security-Policy does not apply.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<AxeResult> } }).axe;
    type AxeResult = {
      violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
    };
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
