/**
 * The portal in a real browser (headless Chromium over playwright-core), against the app listening on
 * 127.0.0.1: from the link on a notice, through the identity check and the SMS code, to a filed
 * objection with an uploaded photo; and, for an agreed plan, the creditor's account with each instalment's
 * transfer memo, and 我已还款 with the receipt.
 */
import { describe, expect, it } from 'vitest';
import { servedApp } from '../testing/browser.js';
import { makeClaim } from '../testing/factories.js';
import { idSuffixOf, issueAccessCode, otpOf, PNG_BYTES, textedBy } from '../testing/portal.js';

describe('debtor portal in a browser', () => {
  const web = servedApp();

  it('goes from the notice link to a filed objection with an uploaded photo, and the claim is on hold', async () => {
    const claimId = (
      web.t.database.sqlite
        .prepare(
          "select id from claims where stage = 'people_mediation' and status = 'notified' and hold is null order by id limit 1",
        )
        .get() as { id: number }
    ).id;
    const accessCode = await issueAccessCode(web.t, claimId);
    const page = await web.browser.newPage();
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      // The first page load asks for the claims before sign-in (401); browsers ask for a favicon on their own.
      if (m.type() === 'error' && !/status of 401/.test(m.text()) && !m.location().url.endsWith('/favicon.ico'))
        problems.push(`${m.text()} ${m.location().url}`);
    });

    await page.goto(`${web.base}/portal/?code=${encodeURIComponent(accessCode)}`);
    await page.waitForSelector('#view-login:not([hidden])');
    expect(await page.inputValue('#login-code')).toBe(accessCode);
    expect(page.url()).not.toContain(accessCode.slice(0, 4));

    await page.fill('#login-suffix', idSuffixOf(web.t, claimId));
    const { texts } = await textedBy(web.t, async () => {
      await page.click('#login-submit');
      await page.waitForSelector('#view-verify:not([hidden])');
    });
    expect(await page.textContent('#verify-sent')).toContain('****');
    await page.fill('#verify-code', otpOf(texts));
    await page.click('#verify-submit');
    await page.waitForSelector('#view-claims:not([hidden])');
    // The session cookie is httpOnly: the page's script cannot read it.
    expect(await page.evaluate('document.cookie')).not.toContain('lmp_session');

    await page.click(`#claims-list a[href="#/claim/${claimId}"]`);
    await page.waitForSelector('#view-claim:not([hidden])');
    expect(await page.isHidden('#claim-hold')).toBe(true);
    await page.click('#claim-object');
    await page.waitForSelector('#view-objection:not([hidden])');
    await page.selectOption('#objection-category', 'already_repaid');
    await page.fill('#objection-statement', '我已于 2026 年 10 月通过银行转账全额还款，附转账凭证。');
    await page.setInputFiles('#objection-files', { name: '转账凭证.png', mimeType: 'image/png', buffer: PNG_BYTES });
    await page.click('#objection-submit');

    await page.waitForSelector('#view-claim:not([hidden]) #claim-hold:not([hidden])');
    expect(await page.textContent('#claim-hold')).toContain('异议审查中');
    expect(await page.textContent('#notice')).toContain('异议已提交');
    expect(await page.textContent('#claim-objections')).toContain('已经还款');
    expect(await page.isHidden('#claim-object')).toBe(true);

    const sql = web.t.database.sqlite;
    expect((sql.prepare('select hold from claims where id = ?').get(claimId) as { hold: string }).hold).toBe(
      'objection',
    );
    const objection = sql.prepare('select id, category, status from objections where claim_id = ?').get(claimId) as {
      id: number;
      category: string;
      status: string;
    };
    expect(objection).toMatchObject({ category: 'already_repaid', status: 'open' });
    const files = sql
      .prepare("select file_name, mime, size from attachments where owner_kind = 'objection' and owner_id = ?")
      .all(objection.id);
    expect(files).toEqual([{ file_name: '转账凭证.png', mime: 'image/png', size: PNG_BYTES.length }]);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("shows an agreed plan's payment instructions and takes 我已还款 with its receipt", async () => {
    const { t } = web;
    const sql = t.database.sqlite;
    const creditorId = (sql.prepare("select id from organisations where code = 'CRED-A'").get() as { id: number }).id;
    const payee = {
      payeeName: '闽南消费金融股份有限公司',
      payeeBank: '中国工商银行泉州分行',
      payeeAccount: '1408010109000012345',
    };
    const setPayee = async (who: string, body: object, org = creditorId) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/organisations/${org}/payee-account`,
        headers: await t.as(who),
        payload: body,
      });
    // Bad input and the wrong people change nothing.
    expect((await setPayee('creditor1', { ...payee, payeeAccount: '1408-0101' })).statusCode).toBe(400);
    expect((await setPayee('creditor2', payee)).statusCode).toBe(404);
    expect((await setPayee('mediator1', payee)).statusCode).toBe(403);
    expect(
      (
        await t.app.inject({ url: `/api/organisations/${creditorId}/payee-account`, headers: await t.as('creditor1') })
      ).json(),
    ).toBeNull();
    expect((await setPayee('creditor1', payee)).statusCode).toBe(200);

    const { claim } = makeClaim(t, { at: 'agreed' });
    const now = t.clock.now().getTime();
    const settlement = sql
      .prepare(
        "insert into settlements (debtor_id, kind, total_fen, hardship, status, agreed_at, created_at) values (?, 'instalments', 300000, 0, 'agreed', ?, ?)",
      )
      .run(claim.debtorId, now, now).lastInsertRowid as number;
    sql.prepare('insert into settlement_claims (settlement_id, claim_id) values (?, ?)').run(settlement, claim.id);
    const instalment = sql.prepare(
      "insert into instalments (settlement_id, seq, due_date, amount_fen, status) values (?, ?, ?, 150000, 'pending')",
    );
    instalment.run(settlement, 1, '2026-12-20');
    instalment.run(settlement, 2, '2027-01-20');

    const accessCode = await issueAccessCode(t, claim.id);
    const page = await web.browser.newPage();
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${web.base}/portal/?code=${encodeURIComponent(accessCode)}`);
    await page.waitForSelector('#view-login:not([hidden])');
    await page.fill('#login-suffix', idSuffixOf(t, claim.id));
    const { texts } = await textedBy(t, async () => {
      await page.click('#login-submit');
      await page.waitForSelector('#view-verify:not([hidden])');
    });
    await page.fill('#verify-code', otpOf(texts));
    await page.click('#verify-submit');
    await page.waitForSelector('#view-claims:not([hidden])');
    await page.goto(`${web.base}/portal/#/claim/${claim.id}`);
    await page.waitForSelector('#view-claim:not([hidden]) #claim-pay:not([hidden])');
    const instructions = await page.textContent('#claim-pay');
    for (const v of Object.values(payee)) expect(instructions).toContain(v);
    expect(await page.textContent('#claim-schedule')).toContain(`附言：合同${claim.contractNo}第1期`);

    await page.click('#claim-paid');
    await page.waitForSelector('#view-paid:not([hidden])');
    await page.fill('#paid-amount', '一千五');
    await page.click('#paid-submit');
    expect(await page.textContent('#error')).toContain('请填写还款金额');
    await page.fill('#paid-amount', '1,500.00');
    await page.fill('#paid-date', '2026-11-19');
    await page.setInputFiles('#paid-files', { name: '回单.png', mimeType: 'image/png', buffer: PNG_BYTES });
    await page.click('#paid-submit');
    await page.waitForSelector('#view-claim:not([hidden])');
    expect(await page.textContent('#notice')).toContain('已提交还款凭证（¥1,500.00）');
    expect(await page.textContent('#claim-payments')).toContain('待债权人确认');
    const reported = sql
      .prepare("select amount_fen a, paid_on d, status s from payments where claim_id = ? and status = 'reported'")
      .get(claim.id);
    expect(reported).toEqual({ a: 150000, d: '2026-11-19', s: 'reported' });
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
