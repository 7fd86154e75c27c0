/**
 * A creditor reads the statistics page in a real browser: the batch totals and screening outcomes of
 * its imported batch, and its objections by outcome, each chart described in words for screen readers.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openPage, seriousViolations, servedApp, signInAs } from '../testing/browser.js';
import { makeClaim } from '../testing/factories.js';
import { multipart } from '../testing/multipart.js';
import { evidenceForm, signInDebtor } from '../testing/portal.js';

describe('statistics in a browser', () => {
  const web = servedApp();

  it('shows the imported batch and the objections of the creditor', async () => {
    const { t } = web;
    const creditor = await t.as('creditor1');
    const body = multipart(
      {},
      { filename: 'sample.csv', content: fs.readFileSync('fixtures/batches/sample-1000-utf8.csv') },
    );
    const upload = await t.app.inject({
      method: 'POST',
      url: '/api/batches',
      headers: { ...creditor, ...body.headers },
      payload: body.payload,
    });
    expect(upload.statusCode).toBe(202);
    let batch = upload.json() as { id: number; status: string; accepted: number; rejected: number };
    while (batch.status !== 'committed') {
      await new Promise((r) => setTimeout(r, 200));
      batch = (await t.app.inject({ url: `/api/batches/${batch.id}`, headers: creditor })).json();
      expect(batch.status).not.toBe('failed');
    }
    const claim = makeClaim(t, { creditor: 'CRED-A' });
    const form = evidenceForm([
      ['category', 'already_repaid'],
      ['statement', '已于上月全部还清。'],
    ]);
    const filed = await t.app.inject({
      method: 'POST',
      url: `/api/debtor/claims/${claim.claimId}/objections`,
      headers: { ...(await signInDebtor(t, claim.claimId)), ...form.headers },
      payload: form.payload,
    });
    expect(filed.statusCode).toBe(201);
    const { n: open } = t.database.sqlite
      .prepare(
        "select count(*) n from objections o join claims c on c.id = o.claim_id join users u on u.org_id = c.creditor_org_id where u.username = 'creditor1' and o.status = 'open'",
      )
      .get() as { n: number };
    expect(open).toBeGreaterThan(0);

    const { page, problems } = await openPage(web.browser, { expectErrors: /status of 401/ });
    await page.goto(`${web.base}/stats`);
    await signInAs(page, 'creditor1');
    await page.getByRole('heading', { name: '统计' }).waitFor();
    const statistic = (title: string) =>
      page.locator('.ant-statistic', { hasText: title }).locator('.ant-statistic-content');
    await page.getByText('已导入案件').waitFor();
    await expect.poll(() => statistic('已导入案件').textContent()).toBe(batch.accepted.toLocaleString('zh-CN'));
    expect(await statistic('被拒绝的行').textContent()).toBe(batch.rejected.toLocaleString('zh-CN'));
    await page.getByRole('img', { name: /^受理审查结果：符合条件，进入人民调解 [\d,]+/ }).waitFor();
    await page.getByRole('img', { name: new RegExp(`^债务人异议：待答复 ${open}，`) }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);
});
