/**
 * A creditor uploads a batch in a real browser: the 1,000-row GBK sample dropped on the page, its
 * progress followed to 100% over the batch socket, the report read, the error report downloaded and the
 * batch found in the batches list;
 * a file of the wrong type is refused on the page and nothing reaches the database; the mediation
 * organisation, reference and settlement authority go with the file, and a reused reference is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPage, seriousViolations, servedApp, signInAs } from '../testing/browser.js';

const SAMPLE = path.resolve('fixtures/batches/sample-1000-gbk.csv');

describe('creditor batch upload in a browser', () => {
  const web = servedApp();
  const batchCount = () =>
    (web.t.database.sqlite.prepare('select count(*) as n from batches').get() as { n: number }).n;

  it('uploads the GBK sample, follows it to 100% and downloads the error report', async () => {
    const { page, problems } = await openPage(web.browser, { expectErrors: /status of 401/ });
    await page.goto(`${web.base}/batches/new`);
    await signInAs(page, 'creditor1');
    await page.getByRole('heading', { name: '上传批次' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const before = batchCount();

    await page.locator('input[type=file]').setInputFiles(SAMPLE);
    await page.getByText('sample-1000-gbk.csv').waitFor();
    await page.getByRole('button', { name: '上传' }).click();
    await page.getByText(/批次 \d+：已导入/).waitFor({ timeout: 60_000 });
    await page.getByRole('progressbar').getByText('100%').waitFor();
    expect(batchCount()).toBe(before + 1);
    const { id, accepted, rejected } = web.t.database.sqlite
      .prepare('select id, accepted, rejected from batches order by id desc limit 1')
      .get() as { id: number; accepted: number; rejected: number };
    expect(rejected).toBeGreaterThan(0);
    const counts = page.locator('.ant-descriptions');
    expect(await counts.getByText(accepted.toLocaleString('zh-CN'), { exact: true }).count()).toBeGreaterThan(0);
    await page.getByText('身份证号校验位错误').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载错误报告' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`批次${id}错误报告.csv`);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    // A header and one line per rejected row.
    expect(csv.trim().split('\n')).toHaveLength(rejected + 1);

    // The batches list has it, and its report opens from there.
    await page.getByRole('navigation', { name: '主导航' }).getByText('批次列表').click();
    const row = page.locator('.ant-table-row', { has: page.getByRole('link', { name: String(id), exact: true }) });
    await row.waitFor(); // allTextContents does not wait for the list to arrive
    expect(await row.locator('.ant-table-cell').allTextContents()).toEqual(
      expect.arrayContaining(['sample-1000-gbk.csv', '已导入', accepted.toLocaleString('zh-CN')]),
    );
    await row.getByRole('link', { name: String(id), exact: true }).click();
    await page.waitForURL(`${web.base}/batches/${id}`);
    await page.getByText(`批次 ${id}：已导入`).waitFor();
    await page.getByText('身份证号校验位错误').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('refuses a file that is not CSV or XLSX on the page, keeping the options, and sends nothing', async () => {
    const { page, problems } = await openPage(web.browser, { expectErrors: /status of 401/ });
    await page.goto(`${web.base}/batches/new`);
    await signInAs(page, 'creditor1');
    const before = batchCount();
    await page.getByText('试运行（只校验，不导入）').click();
    await page.locator('input[type=file]').setInputFiles({
      name: 'claims.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4'),
    });
    await page
      .getByRole('alert')
      .getByText('不能导入“claims.pdf”：请选择 CSV（UTF-8 或 GBK 编码）或 XLSX 文件。')
      .waitFor();
    expect(await page.getByRole('button', { name: '上传' }).isDisabled()).toBe(true);
    expect(await page.getByRole('checkbox', { name: '试运行（只校验，不导入）' }).isChecked()).toBe(true);
    expect(batchCount()).toBe(before);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('sends the mediation organisation, reference and settlement authority with the file; a reused reference is refused', async () => {
    const { t } = web;
    const lines = fs.readFileSync(SAMPLE).toString('latin1').split('\n');
    const small = (n: number) => Buffer.from(`${lines.slice(0, n + 1).join('\n')}\n`, 'latin1');
    const { page, problems } = await openPage(web.browser, { expectErrors: /status of (401|409)/ });
    await page.goto(`${web.base}/batches/new`);
    await signInAs(page, 'creditor1');
    await page.locator('input[type=file]').setInputFiles({ name: 'five.csv', mimeType: 'text/csv', buffer: small(5) });
    await page.getByLabel(/^调解组织/).click();
    await page.locator('.ant-select-item-option').first().click();
    await page.getByLabel(/^批次参考号/).fill('WEB-REF-7');
    await page.getByText('本批次调解授权（不填则按本机构的默认授权）').click();
    await page.getByLabel('最多分期数').fill('6');
    await page.getByLabel('最大减免比例（%）').fill('15');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '上传' }).click();
    await page.getByText(/批次 \d+：已导入/).waitFor({ timeout: 60_000 });
    const row = t.database.sqlite
      .prepare('select reference, policy, mediation_org_id m from batches order by id desc limit 1')
      .get() as { reference: string; policy: string; m: number | null };
    expect(row.reference).toBe('WEB-REF-7');
    expect(JSON.parse(row.policy)).toMatchObject({ maxInstalments: 6, maxDiscountPct: 15 });
    expect(row.m).not.toBeNull();

    // Another file under the same reference: refused in Chinese, nothing imported, the options kept.
    const before = batchCount();
    await page.locator('input[type=file]').setInputFiles({ name: 'six.csv', mimeType: 'text/csv', buffer: small(6) });
    await page.getByRole('button', { name: '上传' }).click();
    await page.getByRole('alert').first().waitFor();
    expect(await page.getByRole('alert').first().textContent()).toMatch(/\p{Script=Han}/u);
    expect(batchCount()).toBe(before);
    expect(await page.getByLabel(/^批次参考号/).inputValue()).toBe('WEB-REF-7');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);
});
