/**
 * An administrator works in a real browser: a template with an unknown placeholder is refused with
 * the line named in Chinese and nothing saved, the text kept; the corrected text previews as a
 * specimen PDF and is saved as the next version; a court is added with its code; a user is added and
 * a forgotten password reset, ending the user's sessions; the health page lists every job.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPage, seriousViolations, servedApp, signInAs } from '../testing/browser.js';

describe('admin pages in a browser', () => {
  const web = servedApp();
  const builtIn = fs.readFileSync(path.resolve('templates/demand_letter.hbs'), 'utf8');

  it('refuses a template naming its problem, previews and saves the corrected one', async () => {
    const { t } = web;
    const versions = () =>
      t.database.sqlite.prepare("select count(*) n from templates where kind = 'demand_letter'").get();
    const before = versions();
    const { page, problems } = await openPage(web.browser, { expectErrors: /status of (401|422)/ });
    await page.goto(`${web.base}/admin/templates`);
    await signInAs(page, 'admin');
    await page.getByRole('heading', { name: '文书模板' }).waitFor();
    const editor = page.getByLabel('模板内容');
    await editor.waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    const broken = builtIn.replace('{{claim.contractNo}}', '{{claim.contractNumber}}');
    await editor.fill(broken);
    await page.getByRole('button', { name: '保存为新版本' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText(/第 \d+ 行：未知的占位符 \{\{claim\.contractNumber\}\}/).waitFor();
    expect(versions()).toEqual(before);
    expect(await editor.inputValue()).toBe(broken);

    const fixed = builtIn.replace('@p 特此函告。', '@p 特此函告。请及时联系。');
    await editor.fill(fixed);
    const [tab] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: '预览样张' }).click(),
    ]);
    await tab.waitForURL(/^blob:/);
    await tab.close();
    expect(versions()).toEqual(before);
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByText(/已保存为第 \d+ 版/).waitFor();
    const latest = t.database.sqlite
      .prepare(
        "select body from templates where kind = 'demand_letter' and org_id is null order by version desc limit 1",
      )
      .get() as { body: string };
    expect(latest.body).toBe(fixed);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('adds a court and a user, resets the user’s password, and lists the jobs', async () => {
    const { t } = web;
    const { page, problems } = await openPage(web.browser, { expectErrors: /status of 401/ });
    await page.goto(`${web.base}/admin/organisations`);
    await signInAs(page, 'admin');
    await page.getByRole('heading', { name: '机构' }).waitFor();
    await page.getByLabel('机构类型').click();
    await page.locator('.ant-select-item-option', { hasText: '法院' }).first().click();
    await page.getByLabel(/^机构代码/).fill('COURT-XM');
    await page.getByLabel('机构名称').fill('厦门市思明区人民法院');
    await page.getByLabel(/^法院代字/).fill('闽0203');
    await page.getByRole('button', { name: '添加机构' }).click();
    await page.getByRole('cell', { name: '闽0203' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${web.base}/admin/users`);
    await page.getByRole('heading', { name: '用户' }).waitFor();
    await page.getByLabel('所属机构').click();
    await page.locator('.ant-select-item-option', { hasText: '厦门市思明区人民法院' }).click();
    await page.getByLabel(/^用户名/).fill('clerk.xm');
    await page.getByLabel('姓名').fill('陈书记员');
    await page.getByLabel('角色').click();
    await page.locator('.ant-select-item-option', { hasText: '法院书记员' }).click();
    await page.getByLabel('初始密码').fill('tea kettle river lantern');
    await page.getByRole('button', { name: '添加用户' }).click();
    const row = page.locator('.ant-table-row', { hasText: 'clerk.xm' });
    await row.waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    const token = await t.login('clerk.xm', 'tea kettle river lantern');
    await row.getByRole('button', { name: '重置密码' }).click();
    const dialog = page.getByRole('dialog', { name: '重置 clerk.xm 的密码' });
    await dialog.getByLabel('新密码').fill('123456789012');
    await dialog.getByRole('button', { name: '提交' }).click();
    // A common password is refused beside the field, and nothing changes.
    await dialog.locator('.ant-form-item-explain-error').first().waitFor();
    expect(
      (await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode,
    ).toBe(200);
    await dialog.getByLabel('新密码').fill('copper window harbour falcon');
    await dialog.getByRole('button', { name: '提交' }).click();
    await page.getByText(/已重置 clerk\.xm 的密码/).waitFor();
    expect(
      (await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode,
    ).toBe(401);
    expect(await t.login('clerk.xm', 'copper window harbour falcon')).toBeTruthy();

    await page.goto(`${web.base}/admin/health`);
    await page.getByRole('heading', { name: '系统状态' }).waitFor();
    await page.getByRole('cell', { name: 'claims.stage-time-limits' }).waitFor();
    await page.getByText(/已载入年份：/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
    await page.context().close();
  }, 120_000);
});
