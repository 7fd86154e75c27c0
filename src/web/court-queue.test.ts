/**
 * A court clerk grants judicial confirmation from the queue in a real browser: two applications are
 * selected and granted in one job (POST /api/claims/actions); the one another clerk refused meanwhile
 * is reported with the reason and left as it was, the other is confirmed with a 民特 ruling number.
 */
import { describe, expect, it } from 'vitest';
import { openPage, seriousViolations, servedApp, signInAs } from '../testing/browser.js';
import { makeClaim } from '../testing/factories.js';

describe('court queue in a browser', () => {
  const web = servedApp();

  it('confirms a selection of agreements, with a result per claim', async () => {
    const { t } = web;
    const mediator = await t.as('mediator1');
    const applied = async () => {
      const made = makeClaim(t, { at: 'agreed' });
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/claims/${made.claimId}/confirmation`,
        headers: mediator,
        payload: { version: made.claim.version },
      });
      expect(res.statusCode).toBe(201);
      return { claimId: made.claimId, contractNo: made.claim.contractNo, caseId: res.json().id as number };
    };
    const first = await applied();
    const second = await applied();
    const statusOf = (id: number) =>
      (t.database.sqlite.prepare('select status from claims where id = ?').get(id) as { status: string }).status;

    const { page, problems } = await openPage(web.browser, { expectErrors: /status of (401|409)/ });
    await page.goto(`${web.base}/court`);
    await signInAs(page, 'clerk1');
    await page.getByRole('heading', { name: '法院待办' }).waitFor();
    for (const c of [first, second]) await page.getByRole('link', { name: c.contractNo }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    for (const c of [first, second]) await page.getByRole('checkbox', { name: `选择 ${c.contractNo}` }).check();
    // Another clerk refuses the second application while this clerk's list still shows it.
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/court-cases/${second.caseId}/refuse`,
      headers: await t.as('clerk1'),
      payload: { reason: '协议内容违反法律规定' },
    });
    expect(refused.statusCode).toBe(200);

    await page.getByLabel('批量操作').click();
    await page.locator('.ant-select-item-option', { hasText: '确认调解协议有效' }).click();
    await page.getByLabel('说明').fill('经审查，调解协议合法有效');
    await page.getByRole('button', { name: '执行（2 件）' }).click();
    await page.getByText('已处理 2 / 2 件，成功 1 件，失败 1 件。').waitFor();
    // The job's result for the refused claim, with the rule in Chinese (the counts can come first, on the socket).
    await page.getByRole('row', { name: new RegExp(`${second.contractNo}.*已由他人处理`) }).waitFor();
    expect([statusOf(first.claimId), statusOf(second.claimId)]).toEqual(['confirmed', 'failed']);
    const ruling = t.database.sqlite.prepare('select case_no from court_cases where id = ?').get(first.caseId) as {
      case_no: string;
    };
    expect(ruling.case_no).toMatch(/^（2026）闽0502民特\d+号$/);
    // One job on the server did both, claim by claim.
    const jobs = t.database.sqlite
      .prepare(
        "select j.action, count(i.id) items from claim_action_jobs j join claim_action_items i on i.job_id = j.id where j.action = 'grant_confirmation' group by j.id",
      )
      .all();
    expect(jobs).toEqual([{ action: 'grant_confirmation', items: 2 }]);
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('lists each queue soonest deadline first, and narrows it by name or contract', async () => {
    const { t } = web;
    const made = [0, 1, 2].map(() => makeClaim(t, { at: 'escalated' }).claim);
    // The last made falls due first, the first last: the list must follow the deadlines, not the ids.
    const setDeadline = t.database.sqlite.prepare('update claims set stage_deadline = ? where id = ?');
    for (const [i, c] of made.entries()) setDeadline.run(`2026-11-${21 + 2 * (2 - i)}`, c.id);

    // The sign-in page asks who is signed in first: its 401 is expected.
    const { page, problems } = await openPage(web.browser, { expectErrors: /status of 401/ });
    await page.goto(`${web.base}/court`);
    await signInAs(page, 'clerk1');
    await page.getByRole('tab', { name: '诉前调解' }).click();
    for (const c of made) await page.getByRole('link', { name: c.contractNo }).waitFor();
    const order = await page.getByRole('tabpanel').getByRole('link').allTextContents();
    const mine = order.filter((no) => made.some((c) => c.contractNo === no));
    expect(mine).toEqual(made.map((c) => c.contractNo).reverse());
    for (const tab of ['待司法确认', '已立案待判决', '判决履行期', '强制执行', '信用修复'])
      await page.getByRole('tab', { name: tab }).waitFor();

    await page.getByRole('tabpanel').getByLabel('合同编号或姓名').fill(made[1]!.contractNo);
    await page.getByRole('tabpanel').getByRole('button', { name: '筛选' }).click();
    await page.getByRole('link', { name: made[0]!.contractNo }).waitFor({ state: 'detached' });
    expect(await page.getByRole('tabpanel').getByRole('link').allTextContents()).toEqual([made[1]!.contractNo]);
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);
});
