/**
 * A mediator's workspace in a real browser: the claims to work by deadline, a debtor's together; a
 * debtor's objection and hardship request are listed; the
 * objection is answered as partially upheld, which the page refuses without a new amount (nothing sent),
 * then sends with one; the claim's amount changes and the objection leaves the queue.
 */
import { describe, expect, it } from 'vitest';
import { openPage, seriousViolations, servedApp, signInAs } from '../testing/browser.js';
import { makeBatch, makeClaim } from '../testing/factories.js';
import { evidenceForm, signInDebtor } from '../testing/portal.js';

describe('mediator queue in a browser', () => {
  const web = servedApp();

  it('lists the objection and hardship request, and answers the objection with a new principal', async () => {
    const { t } = web;
    const [claimId, otherId] = (
      t.database.sqlite
        .prepare(
          "select min(id) id from claims where stage = 'people_mediation' and status in ('awaiting_contact', 'notified') and hold is null group by debtor_id order by id limit 2",
        )
        .all() as { id: number }[]
    ).map((r) => r.id) as [number, number];
    const post = async (claim: number, url: string, fields: [string, string][]) => {
      const form = evidenceForm(fields);
      const headers = { ...(await signInDebtor(t, claim)), ...form.headers };
      const res = await t.app.inject({ method: 'POST', url, headers, payload: form.payload });
      expect(res.statusCode).toBe(201);
    };
    await post(claimId, `/api/debtor/claims/${claimId}/objections`, [
      ['category', 'amount_disputed'],
      ['statement', '本金应为一万元，合同金额有误。'],
    ]);
    await post(otherId, '/api/debtor/hardship', [
      ['claimIds', String(otherId)],
      ['reason', 'illness'],
      ['statement', '本人住院治疗，暂时无法工作。'],
    ]);
    const row = () =>
      t.database.sqlite
        .prepare(
          'select c.principal_fen p, o.status s from claims c join objections o on o.claim_id = c.id where c.id = ?',
        )
        .get(claimId) as { p: number; s: string };
    const { contract_no: contractNo } = t.database.sqlite
      .prepare('select contract_no from claims where id = ?')
      .get(claimId) as { contract_no: string };

    const { page, problems } = await openPage(web.browser, { expectErrors: /status of 401/ });
    await page.goto(`${web.base}/queue`);
    await signInAs(page, 'mediator1');
    await page.getByRole('heading', { name: '待办' }).waitFor();
    await page.getByRole('tab', { name: '待答复的异议' }).click();
    await page.getByText('本金应为一万元，合同金额有误。').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('tab', { name: '待审核的救助申请' }).click();
    await page.getByText('本人住院治疗，暂时无法工作。').waitFor();
    await page.getByRole('tab', { name: '待答复的异议' }).click();
    await page.getByText('本金应为一万元，合同金额有误。').waitFor();

    await page.getByRole('button', { name: `答复 ${contractNo} 的异议` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('异议部分成立').click();
    await dialog.getByLabel('答复理由（债务人可见）').fill('经核对合同，本金按一万元计算。');
    await dialog.getByRole('button', { name: '提交' }).click();
    await dialog.getByText('异议部分成立时，请至少填写一项调整后的金额。').waitFor();
    expect(row()).toMatchObject({ s: 'open' });

    await dialog.getByLabel('欠款本金（元）').fill('10000');
    await dialog.getByRole('button', { name: '提交' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(row()).toEqual({ p: 1_000_000, s: 'decided' });
    await page.getByText('没有待答复的异议').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);

  it("opens on the claims to work soonest deadline first, one debtor's claims together, narrowed by batch", async () => {
    const { t } = web;
    const batchId = makeBatch(t);
    const first = makeClaim(t, { at: 'notified', batchId });
    const other = makeClaim(t, { at: 'notified', batchId });
    const again = makeClaim(t, { at: 'notified', batchId, person: first.person });
    // Due: first, then other, then the first debtor's second claim: the list keeps that debtor's two together.
    const due = t.database.sqlite.prepare('update claims set stage_deadline = ? where id = ?');
    due.run('2026-11-21', first.claimId);
    due.run('2026-11-22', other.claimId);
    due.run('2026-11-25', again.claimId);
    const { page, problems } = await openPage(web.browser, { expectErrors: /status of 401/ });
    await page.goto(`${web.base}/queue`);
    await signInAs(page, 'mediator1');
    const panel = page.getByRole('tabpanel');
    await panel.getByLabel('批次号').fill(String(batchId));
    await panel.getByRole('button', { name: '筛选' }).click();
    await panel.getByRole('link', { name: other.claim.contractNo }).waitFor();
    await panel.getByRole('link', { name: again.claim.contractNo }).waitFor();
    expect(await panel.getByRole('link').allTextContents()).toEqual(
      [first, again, other].map((c) => c.claim.contractNo),
    );
    await panel.getByText('〃 同一借款人').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);
});
