/**
 * The debtor reads a claim's later stages in the portal at phone width (issue 16 item 9): the court
 * cases with their numbers and the judgment's performance period, the measures in force, and what is
 * paid and owed.
 */
import { describe, expect, it } from 'vitest';
import { servedApp } from '../testing/browser.js';
import { makeClaim } from '../testing/factories.js';
import { signInDebtor } from '../testing/portal.js';

describe('portal: court cases and measures', () => {
  const web = servedApp();

  it('lists the case numbers, the performance period, the listing and the amount owed', async () => {
    const { claim } = makeClaim(web.t, { at: 'listed' });
    const debtor = await signInDebtor(web.t, claim.id);
    const answer = (await web.t.app.inject({ url: `/api/debtor/claims/${claim.id}`, headers: debtor })).json() as {
      courtCases: { caseNo: string }[];
      balance: { owedFen: number };
    };

    const context = await web.browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.setExtraHTTPHeaders(debtor);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${web.base}/portal/#/claim/${claim.id}`);
    await page.waitForSelector('#view-claim:not([hidden])');

    const cases = await page.textContent('#claim-court-cases');
    for (const k of answer.courtCases) expect(cases).toContain(k.caseNo);
    expect(cases).toContain('一审诉讼');
    expect(cases).toContain('判决履行期限至');
    expect(cases).toContain('强制执行');
    expect(await page.textContent('#claim-credit-records')).toContain('列入失信被执行人名单');
    const owed = (answer.balance.owedFen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2 });
    expect(await page.textContent('#claim-balance')).toContain(`尚欠 ¥${owed}`);
    // Nothing spills past the phone's width.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
