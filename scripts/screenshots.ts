/**
 * Screenshots of the main staff pages for the README (docs/screenshots/), taken in Debian's Chromium
 * against the app with the demo data: `npm run screenshots` after `npm run build`.
 * `-- --mobile` adds each page at phone width (390 px) beside it, for checking the layout by eye.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../src/testing/browser.js';
import { createTestApp } from '../src/testing/test-app.js';

const OUT = path.resolve('docs/screenshots');
const mobile = process.argv.includes('--mobile');

interface Shot {
  name: string;
  user: string | null;
  path: string;
  /** What to wait for before the picture is taken. */
  ready: (page: Page) => Promise<unknown>;
}

const SHOTS: Shot[] = [
  { name: 'sign-in', user: null, path: '/', ready: (p) => p.getByLabel('用户名').waitFor() },
  {
    name: 'claims',
    user: 'creditor1',
    path: '/claims',
    ready: (p) => p.locator('.ant-table-row').first().waitFor(),
  },
  {
    name: 'funnel',
    user: 'creditor1',
    path: '/funnel',
    ready: (p) => p.getByRole('img', { name: /^各阶段案件数与金额：/ }).waitFor(),
  },
  {
    name: 'court-queue',
    user: 'clerk1',
    path: '/court',
    ready: (p) => p.getByRole('heading', { name: '法院待办' }).waitFor(),
  },
  {
    name: 'admin-templates',
    user: 'admin',
    path: '/admin/templates',
    ready: (p) => p.getByLabel('模板内容').waitFor(),
  },
];

const t = await createTestApp();
t.clock.set(new Date());
await t.app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
const browser = await launchBrowser();
fs.mkdirSync(OUT, { recursive: true });
try {
  for (const width of mobile ? [1280, 390] : [1280]) {
    for (const shot of SHOTS) {
      const context = await browser.newContext({
        locale: 'zh-CN',
        viewport: { width, height: width > 600 ? 800 : 844 },
        deviceScaleFactor: 1,
      });
      const page = await context.newPage();
      if (shot.user) {
        const res = await page.request.post(`${base}/api/auth/login`, {
          data: { username: shot.user, password: 'demo1234' },
        });
        if (!res.ok()) throw new Error(`sign-in of ${shot.user} failed: ${res.status()}`);
      }
      await page.goto(`${base}${shot.path}`);
      await shot.ready(page);
      await page.waitForTimeout(300);
      const file = path.join(OUT, `${shot.name}${width < 600 ? '-mobile' : ''}.png`);
      await page.screenshot({ path: file });
      console.log(path.relative(process.cwd(), file));
      await context.close();
    }
  }
} finally {
  await browser.close();
  await t.close();
}
