/**
 * A creditor manages its API keys in a real browser: a key without scopes is refused on the page
 * (nothing made), a key made with two scopes is shown once and works, and once revoked it no longer does;
 * and sets the payee account its debtors pay into, a malformed account number refused beside its field.
 */
import { describe, expect, it } from 'vitest';
import { openPage, seriousViolations, servedApp, signInAs } from '../testing/browser.js';

describe('API keys in a browser', () => {
  const web = servedApp();

  it('creates a key shown once that works, then revokes it', async () => {
    const { t } = web;
    const keyCount = () => (t.database.sqlite.prepare('select count(*) n from api_keys').get() as { n: number }).n;
    const before = keyCount();
    const { page, problems } = await openPage(web.browser, { expectErrors: /status of 401/ });
    await page.goto(`${web.base}/api-keys`);
    await signInAs(page, 'creditor1');
    await page.getByRole('heading', { name: 'API 密钥' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('名称（说明用途，例如“核心系统导入”）').fill('核心系统导入');
    await page.getByRole('button', { name: '创建密钥' }).click();
    await page.getByText('请至少选择一项权限。').waitFor();
    expect(keyCount()).toBe(before);

    await page.getByRole('checkbox', { name: '查看批次' }).check();
    await page.getByRole('checkbox', { name: '上传批次' }).check();
    await page.getByRole('button', { name: '创建密钥' }).click();
    await page.getByText('密钥已创建。它只显示这一次').waitFor();
    const key = (await page.locator('.ant-alert code').textContent())!;
    expect(keyCount()).toBe(before + 1);
    const asKey = { authorization: `ApiKey ${key}` };
    expect((await t.app.inject({ url: '/api/batches', headers: asKey })).statusCode).toBe(200);
    const row = page.locator('.ant-table-row', { hasText: '核心系统导入' });
    expect(await row.textContent()).toContain('查看批次、上传批次');
    expect(await seriousViolations(page)).toEqual([]);

    await row.getByRole('button', { name: '吊销密钥 核心系统导入' }).click();
    await page.getByRole('tooltip').getByRole('button', { name: '吊销' }).click();
    await row.getByText('已吊销').waitFor();
    expect((await t.app.inject({ url: '/api/batches', headers: asKey })).statusCode).toBe(401);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('sets the payee account, refusing a malformed account number beside its field', async () => {
    const { t } = web;
    const account = () =>
      t.database.sqlite.prepare("select payee_account a from organisations where code = 'CRED-A'").get() as {
        a: string | null;
      };
    const { page, problems } = await openPage(web.browser, { expectErrors: /status of 401/ });
    await page.goto(`${web.base}/payee-account`);
    await signInAs(page, 'creditor1');
    await page.getByRole('heading', { name: '收款账户' }).waitFor();
    await page.getByLabel('户名').fill('闽南消费金融股份有限公司');
    await page.getByLabel('开户行').fill('中国工商银行泉州分行');
    await page.getByLabel(/^账号/).fill('1408 0101');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('请填写 8–32 位数字的账号，不含空格。').waitFor();
    expect(account().a).toBeNull();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel(/^账号/).fill('1408010109000012345');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText(/收款账户已保存/).waitFor();
    expect(account().a).toBe('1408010109000012345');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);
});
