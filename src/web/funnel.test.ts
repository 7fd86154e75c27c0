/**
 * The funnel dashboard in a real browser: a creditor sees its funnel (counts and amounts per stage,
 * the rates), the trend from a daily snapshot, picks a batch and sees its figures with the forecast
 * beside them, and exports the figures; an administrator sees every creditor's claims.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as dailySnapshot } from '../jobs/stats-daily-snapshot.js';
import { openPage, seriousViolations, servedApp, signInAs } from '../testing/browser.js';
import { makeBatch, makeClaim } from '../testing/factories.js';

describe('funnel dashboard in a browser', () => {
  const key = crypto.randomBytes(32).toString('base64');
  const web = servedApp({ env: { DATA_KEY: key } });

  it('shows the funnel, the trend, a batch beside its forecast, and exports it', async () => {
    const { t } = web;
    const batch = makeBatch(t, 'CRED-A', '2026-12-看板');
    for (const at of ['notified', 'notified', 'performing', 'escalated', 'fulfilled'] as const)
      makeClaim(t, { at, batchId: batch });
    expect(
      await dailySnapshot({
        env: { DATA_DIR: t.dataDir, DATA_KEY: key, LOG_LEVEL: 'silent' },
        dbFile: path.join(t.dataDir, 'platform.db'),
        clock: t.clock,
      }),
    ).toMatchObject({ done: 1 });
    const headers = await t.as('creditor1');
    const funnel = (q = '') => t.app.inject({ url: `/api/stats/funnel${q}`, headers }).then((r) => r.json());
    const all = await funnel();
    const people = all.stages.find((s: { stage: string }) => s.stage === 'people_mediation');

    const { page, problems } = await openPage(web.browser, { expectErrors: /status of 401/ });
    await page.goto(`${web.base}/funnel`);
    await signInAs(page, 'creditor1');
    await page.getByRole('heading', { name: '漏斗看板' }).waitFor();
    const statistic = (title: string) =>
      page.locator('.ant-statistic', { hasText: title }).locator('.ant-statistic-content');
    await expect.poll(() => statistic('案件数').textContent()).toBe(all.claims.toLocaleString('zh-CN'));
    expect(await statistic('和解率').textContent()).toBe(`${(all.settlementRateBp / 100).toFixed(2)}%`);
    await page
      .getByRole('img', {
        name: new RegExp(
          `^各阶段案件数与金额：受理审查：到达 ${all.claims.toLocaleString('zh-CN')} 件，.*人民调解：到达 [\\d,]+ 件，现有 ${people.claims.toLocaleString('zh-CN')} 件 ¥`,
        ),
      })
      .waitFor();
    await page.getByRole('img', { name: /^每日趋势：1 天，/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // One batch: its five claims, and its forecast beside them.
    await page.getByLabel('批次').click();
    await page.locator('.ant-select-item-option', { hasText: '2026-12-看板' }).click();
    await expect.poll(() => statistic('案件数').textContent()).toBe('5');
    const forecast = page.locator('.ant-card', { hasText: '批次预测与实际' });
    await forecast.getByText('同类历史案件不足（少于 20 件），本预测采用默认参数，仅供参考。').waitFor();
    const recovered = forecast.locator('.ant-table-row', { hasText: '回收金额' });
    await expect.poll(() => recovered.textContent()).toMatch(/^回收金额¥[\d,.]+（¥[\d,.]+ 至 ¥[\d,.]+）¥[\d,.]+$/);
    const batchFunnel = await funnel(`?batch=${batch}`);
    expect(await forecast.locator('.ant-table-row', { hasText: '达成协议案件' }).textContent()).toMatch(
      new RegExp(`${batchFunnel.settled} 件$`),
    );

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出 CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('漏斗统计.csv');
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv.startsWith('\ufeff汇总\r\n案件数,')).toBe(true);
    expect(csv.split('\r\n')[2]).toMatch(/^5,/);
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();

    // The administrator counts every creditor's claims.
    const admin = await openPage(web.browser, { expectErrors: /status of 401/ });
    await admin.page.goto(`${web.base}/funnel`);
    await signInAs(admin.page, 'admin');
    const { n } = t.database.sqlite.prepare('select count(*) n from claims').get() as { n: number };
    await expect
      .poll(() =>
        admin.page.locator('.ant-statistic', { hasText: '案件数' }).locator('.ant-statistic-content').textContent(),
      )
      .toBe(n.toLocaleString('zh-CN'));
    await admin.page.getByLabel('债权人').waitFor();
    expect(admin.problems).toEqual([]);
    await admin.page.context().close();
  }, 120_000);
});
