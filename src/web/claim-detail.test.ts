/**
 * A mediator works one claim in a real browser: its masked details, the timeline with the chain's
 * verdict, a document opened as PDF in a tab of its own, and a lifecycle action run from its button,
 * first against a version someone else changed meanwhile (409: said in Chinese, the reason typed kept),
 * then again with success.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { claims } from '../db/schema/index.js';
import { assessTransitionalPrivateLoan } from '../domain/rate-cap.js';
import { openPage, seriousViolations, servedApp, signInAs } from '../testing/browser.js';
import { makeClaim } from '../testing/factories.js';

describe('claim detail in a browser', () => {
  const web = servedApp();

  it('shows the claim, opens its PDF, and runs an action through a version conflict', async () => {
    const { t } = web;
    const headers = await t.as('mediator1');
    const list = await t.app.inject({ url: '/api/claims?stage=people_mediation&limit=200', headers });
    const claim = (
      list.json().items as {
        id: number;
        contractNo: string;
        debtor: { idNumberMasked: string };
        availableActions: string[];
      }[]
    ).find((c) => c.availableActions.includes('place_hold'))!;
    const doc = await t.app.inject({
      method: 'POST',
      url: `/api/claims/${claim.id}/documents`,
      headers,
      payload: { kind: 'mediation_notice' },
    });
    expect(doc.statusCode).toBe(201);
    const version = () =>
      t.database.sqlite.prepare('select version, hold from claims where id = ?').get(claim.id) as {
        version: number;
        hold: string | null;
      };

    const { page, problems } = await openPage(web.browser, { expectErrors: /status of (401|409)/ });
    await page.goto(`${web.base}/claims/${claim.id}`);
    await signInAs(page, 'mediator1');
    await page.getByRole('heading', { name: `案件 ${claim.contractNo}` }).waitFor();
    await page.getByText(claim.debtor.idNumberMasked, { exact: true }).waitFor();
    await page.getByText(/证据链完整：\d+ 条记录的哈希链校验通过。/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('tab', { name: '文书' }).click();
    const [tab] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: /打开 调解通知书 .* 的 PDF/ }).click(),
    ]);
    await tab.waitForURL(/^blob:/);
    await tab.close();

    await page.getByRole('button', { name: '暂停处理' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('暂停原因').click();
    await page.locator('.ant-select-item-option', { hasText: '救助申请审核中' }).click();
    await dialog.getByLabel('说明（记入案件证据记录）').fill('债务人来电称失业，等待救助材料');
    // Someone else changes the claim while the dialog is open.
    const before = version().version;
    for (const body of [
      { action: 'place_hold', holdKind: 'objection', version: before },
      { action: 'release_hold', version: before + 1 },
    ]) {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/claims/${claim.id}/transitions`,
        headers,
        payload: body,
      });
      expect(r.statusCode).toBe(200);
    }
    await dialog.getByRole('button', { name: '确认执行' }).click();
    await dialog.getByRole('alert').getByText('他人已先行修改，请刷新后重试').waitFor();
    expect(version()).toEqual({ version: before + 2, hold: null });
    expect(await dialog.getByLabel('说明（记入案件证据记录）').inputValue()).toBe('债务人来电称失业，等待救助材料');

    // The page has read the claim again: sending once more works.
    await dialog.getByRole('button', { name: '确认执行' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(version()).toEqual({ version: before + 3, hold: 'hardship' });
    await page.getByRole('tab', { name: '案件记录' }).click();
    await page.getByText('说明：债务人来电称失业，等待救助材料').waitFor();
    await page.getByText('救助申请审核中').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);

  it("lets a clerk issue the court mediation statement from the claim's button, then lists both case numbers", async () => {
    const { t } = web;
    const { claim } = makeClaim(t, { at: 'escalated' });
    const clerk = await t.as('clerk1');
    for (const action of ['notify', 'open_session', 'agree']) {
      const version = (
        t.database.sqlite.prepare('select version from claims where id = ?').get(claim.id) as {
          version: number;
        }
      ).version;
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/claims/${claim.id}/transitions`,
        headers: clerk,
        payload: { action, version },
      });
      expect(res.statusCode, action).toBe(200);
    }
    // The 401 is the page asking who is signed in before the sign-in.
    const { page, problems } = await openPage(web.browser, { expectErrors: /status of 401/ });
    await page.goto(`${web.base}/claims/${claim.id}`);
    await signInAs(page, 'clerk1');
    await page.getByRole('button', { name: '确认调解协议有效' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: '确认执行' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('法院诉前调解·协议已确认（可申请执行）').first().waitFor();
    await page.getByRole('tab', { name: '法院案件' }).click();
    const panel = page.getByRole('tabpanel', { name: '法院案件' });
    await panel.getByText(/民初\d+号/).waitFor();
    const texts = await panel.locator('.ant-table-row').allTextContents();
    expect(texts[0]).toMatch(/（2026）闽0502民诉前调\d+号诉前调解已结案·调解成功/);
    expect(texts[1]).toMatch(/（2026）闽0502民初\d+号一审（含调解书）已作出（生效）·出具调解书/);
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('lets a clerk register a filed suit and record its judgment from the court cases tab', async () => {
    const { t } = web;
    const { claim } = makeClaim(t, { at: 'filed' });
    const { page, problems } = await openPage(web.browser, { expectErrors: /status of 401/ });
    await page.goto(`${web.base}/claims/${claim.id}`);
    await signInAs(page, 'clerk1');
    await page.getByRole('tab', { name: '法院案件' }).click();
    const panel = page.getByRole('tabpanel', { name: '法院案件' });
    await panel.getByRole('button', { name: '立案登记' }).click();
    let dialog = page.getByRole('dialog', { name: '立案登记' });
    await dialog.getByRole('button', { name: '提交' }).click();
    await panel.getByText(/（2026）闽0502民初\d+号/).waitFor();

    await panel.getByRole('button', { name: '登记判决' }).click();
    dialog = page.getByRole('dialog', { name: '登记判决' });
    // Sent without the required fields, the form says what is missing and sends nothing.
    await dialog.getByRole('button', { name: '提交' }).click();
    await dialog.getByText('请选择判决结果。').waitFor();
    await dialog.getByLabel('支持原告诉讼请求').check();
    await dialog.getByLabel('生效日期').fill('2026-11-02');
    await dialog.getByLabel('生效日期').press('Enter');
    await dialog.getByLabel('判决本金（元）').fill('8000');
    await dialog.getByLabel('诉讼费用（元）').fill('50');
    await dialog.getByRole('button', { name: '提交' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await panel.getByText('已作出（生效）').waitFor();
    const row = t.database.sqlite
      .prepare(
        "select awarded_principal_fen p, costs_fen c, performance_due_on d from court_cases where claim_id = ? and kind = 'first_instance'",
      )
      .get(claim.id);
    expect(row).toEqual({ p: 800000, c: 5000, d: '2026-11-12' });
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('lets a clerk record the day a listing was removed, the overdue removal marked', async () => {
    const { t } = web;
    const { claim } = makeClaim(t, { at: 'repair_requested' });
    const approved = await t.app.inject({
      method: 'POST',
      url: `/api/claims/${claim.id}/transitions`,
      headers: await t.as('clerk1'),
      payload: { action: 'approve_repair', version: claim.version },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const records = () =>
      t.database.sqlite
        .prepare('select id, listed_on, removed_on from credit_records where claim_id = ? order by id')
        .all(claim.id) as { id: number; listed_on: string; removed_on: string | null }[];
    expect(records().length).toBeGreaterThan(0);
    // The deadline passed a while ago: the page marks it.
    t.database.sqlite
      .prepare('update credit_records set removal_due_on = ? where claim_id = ?')
      .run('2026-11-02', claim.id);
    const { page, problems } = await openPage(web.browser, { expectErrors: /status of 401/ });
    await page.goto(`${web.base}/claims/${claim.id}`);
    await signInAs(page, 'clerk1');
    await page.getByRole('tab', { name: '执行与信用' }).click();
    const panel = page.getByRole('tabpanel', { name: '执行与信用' });
    await panel.getByText('已逾期').first().waitFor();
    await panel.getByRole('button', { name: '登记删除' }).first().click();
    const dialog = page.getByRole('dialog', { name: '登记删除' });
    const removedOn = records()[0]!.listed_on;
    await dialog.getByLabel('删除日期').fill(removedOn);
    await dialog.getByLabel('删除日期').press('Enter');
    await dialog.getByRole('button', { name: '提交' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await panel.getByRole('cell', { name: removedOn }).nth(1).waitFor();
    expect(records()[0]!.removed_on).toBe(removedOn);
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('shows the two parts of a pre-2020-08-20 private loan’s rate cap in Chinese (法释〔2020〕17号 art. 31)', async () => {
    const { t } = web;
    const { claim } = makeClaim(t);
    // The parts as screening stores them for a private loan of 2020-02-20 at 30%, filed 2025-06-01.
    const transition = assessTransitionalPrivateLoan({
      loanDate: '2020-02-20',
      accruedTo: '2025-06-01',
      filedOn: '2025-06-01',
      annualRateBp: 3000,
      chargesFen: 1_928_000,
      lprRows: t.reference.lprRows(),
    });
    t.db.update(claims).set({ rateTransition: transition }).where(eq(claims.id, claim.id)).run();
    const { page, problems } = await openPage(web.browser, { expectErrors: /status of 401/ });
    await page.goto(`${web.base}/claims/${claim.id}`);
    await signInAs(page, 'mediator1');
    const card = page.locator('.ant-card', { hasText: '利率上限分段计算' });
    await card.getByText(/起诉时（2025-06-01）一年期LPR 3\.00%（2025-05-20\s*发布）的4倍即 12\.00%/).waitFor();
    const rows = (await card.locator('.ant-table-row').allTextContents()).map((r) => r.replace(/\s+/g, ''));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('2020-02-20至2020-08-19原规定：年利率24%以内受保护18224.00%');
    expect(rows[0]).toMatch(/1,820\.00.*1,456\.00.*364\.00/);
    expect(rows[1]).toContain('2020-08-20至2025-06-01起诉时一年期LPR的4倍174612.00%');
    expect(rows[1]).toMatch(/17,460\.00.*6,984\.00.*10,476\.00/);
    expect(rows[2]).toMatch(/^合计1928.*19,280\.00.*8,440\.00.*10,840\.00/);
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);
});
