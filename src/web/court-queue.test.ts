/**
 * A court clerk grants judicial confirmation from the queue in a real browser: two agreed claims are
 * selected and confirmed in one go; the one someone changed meanwhile is reported with the reason and
 * left as it was, the other is confirmed.
 */
import { describe, expect, it } from 'vitest';
import { openPage, seriousViolations, servedApp, signInAs } from '../testing/browser.js';
import { makeClaim } from '../testing/factories.js';

describe('court queue in a browser', () => {
  const web = servedApp();

  it('confirms a selection of agreements, with a result per claim', async () => {
    const { t } = web;
    const mediator = await t.as('mediator1');
    const agreed = async () => {
      const made = makeClaim(t, { at: 'in_session' });
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/claims/${made.claimId}/transitions`,
        headers: mediator,
        payload: { action: 'agree', version: made.claim.version },
      });
      expect(res.statusCode).toBe(200);
      return { claimId: made.claimId, contractNo: made.claim.contractNo, version: res.json().version as number };
    };
    const first = await agreed();
    const second = await agreed();
    const statusOf = (id: number) =>
      (t.database.sqlite.prepare('select status from claims where id = ?').get(id) as { status: string }).status;

    const { page, problems } = await openPage(web.browser, { expectErrors: /status of (401|409)/ });
    await page.goto(`${web.base}/court`);
    await signInAs(page, 'clerk1');
    await page.getByRole('heading', { name: '法院待办' }).waitFor();
    for (const c of [first, second]) await page.getByRole('link', { name: c.contractNo }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    for (const c of [first, second]) await page.getByRole('checkbox', { name: `选择 ${c.contractNo}` }).check();
    // The mediator moves the second claim on while the clerk's list shows it as agreed.
    const moved = await t.app.inject({
      method: 'POST',
      url: `/api/claims/${second.claimId}/transitions`,
      headers: mediator,
      payload: { action: 'perform', version: second.version },
    });
    expect(moved.statusCode).toBe(200);

    await page.getByLabel('批量操作').click();
    await page.locator('.ant-select-item-option', { hasText: '司法确认' }).click();
    await page.getByLabel('说明').fill('经审查，调解协议合法有效');
    await page.getByRole('button', { name: '执行（2 件）' }).click();
    await page.getByText('已处理 2 / 2 件，成功 1 件，失败 1 件。').waitFor();
    const results = page.locator('.ant-table-row', { hasText: second.contractNo }).first();
    expect(await results.textContent()).toContain('他人已先行修改，请刷新后重试');
    expect([statusOf(first.claimId), statusOf(second.claimId)]).toEqual(['confirmed', 'performing']);
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);
});
