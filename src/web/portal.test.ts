/**
 * The portal in a real browser (headless Chromium over playwright-core), against the app listening on
 * 127.0.0.1: from the link on a notice, through the identity check and the SMS code, to a filed
 * objection with an uploaded photo.
 */
import { describe, expect, it } from 'vitest';
import { servedApp } from '../testing/browser.js';
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
});
