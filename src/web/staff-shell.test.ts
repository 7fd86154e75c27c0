/**
 * The staff application's shell in a real browser: sign-in at /, back to the page asked for, the
 * navigation of each role, sign-out, and a sign-in that expires while the user is working.
 */
import { describe, expect, it } from 'vitest';
import { openPage, seriousViolations, servedApp, signInAs } from '../testing/browser.js';

describe('staff application shell in a browser', () => {
  const web = servedApp();

  it('signs in at /, returns to the page asked for with its filters, and signs out', async () => {
    const { page, problems } = await openPage(web.browser, { expectErrors: /status of 401/ });
    await page.goto(`${web.base}/claims?stage=people_mediation`);
    await page.waitForURL(/\/\?next=/);
    await page.getByRole('heading', { name: '小额纠纷批量调解平台' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await signInAs(page, 'creditor1');
    await page.waitForURL(`${web.base}/claims?stage=people_mediation`);
    await page.getByText(/已加载 \d+ 件/).waitFor();
    const rows = page.locator('.ant-table-row');
    await rows.first().waitFor();
    // Every row shown is in the stage the address asked for.
    expect(new Set(await page.locator('.ant-table-row > .ant-table-cell:nth-child(3)').allTextContents())).toEqual(
      new Set(['人民调解']),
    );
    const nav = page.getByRole('navigation', { name: '主导航' });
    for (const item of ['上传批次', '批次列表', '案件', 'API 密钥']) await nav.getByText(item).waitFor();
    expect(await nav.getByText('用户').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByLabel('用户名').waitFor();
    expect((await page.request.get(`${web.base}/api/auth/me`)).status()).toBe(401);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('says in Chinese that a wrong password is wrong, and keeps the user name', async () => {
    const { page } = await openPage(web.browser, { expectErrors: /status of 401/ });
    await page.goto(web.base);
    await page.getByLabel('用户名').fill('mediator1');
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByLabel('密码').press('Enter');
    await page.getByRole('alert').getByText('用户名或密码不正确，请重新输入。').waitFor();
    expect(await page.getByLabel('用户名').inputValue()).toBe('mediator1');
    expect(page.url()).toBe(`${web.base}/`);
    await page.context().close();
  });

  it('asks to sign in again in place when the sign-in expires, keeping what the user typed', async () => {
    const { page, problems } = await openPage(web.browser, { expectErrors: /status of 401/ });
    await page.goto(web.base);
    await signInAs(page, 'mediator1');
    await page.waitForURL(`${web.base}/claims`);
    await page.locator('.ant-table-row').first().waitFor();
    const contractNo = (await page.locator('.ant-table-row > .ant-table-cell:first-child').first().textContent())!;
    await page.getByLabel('搜索').fill(contractNo);

    // The server's sessions last SESSION_TTL_HOURS: thirteen hours on, this one is over.
    web.t.clock.set(new Date(Date.now() + 13 * 3_600_000));
    await page.getByRole('button', { name: '查询' }).click();
    const dialog = page.getByRole('dialog', { name: '登录已过期' });
    await dialog.waitFor();
    expect(await page.getByLabel('搜索').inputValue()).toBe(contractNo);
    expect(await seriousViolations(page)).toEqual([]);

    await signInAs(page, 'mediator1', dialog);
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('已加载 1 件，已全部加载').waitFor();
    expect(await page.locator('.ant-table-row > .ant-table-cell:first-child').allTextContents()).toEqual([contractNo]);
    expect(await page.getByLabel('搜索').inputValue()).toBe(contractNo);
    expect(page.url()).toContain(`q=${encodeURIComponent(contractNo)}`);
    expect(problems).toEqual([]);
    web.t.clock.set(new Date());
    await page.context().close();
  }, 60_000);

  it('shows a mediator their navigation and every claim of their organisation', async () => {
    const { page } = await openPage(web.browser, { expectErrors: /status of 401/ });
    await page.goto(web.base);
    await signInAs(page, 'mediator1');
    const nav = page.getByRole('navigation', { name: '主导航' });
    await nav.getByText('案件').waitFor();
    expect(await nav.getByRole('menuitem').allTextContents()).toEqual(['案件', '待办', '调解室', '还款方案', '统计']);
    await nav.getByText('案件').click();
    const sql = web.t.database.sqlite;
    const { org_id } = sql.prepare("select org_id from users where username = 'mediator1'").get() as { org_id: number };
    const { n } = sql.prepare('select count(*) as n from claims where mediation_org_id = ?').get(org_id) as {
      n: number;
    };
    await page.getByText(`已加载 ${n} 件，已全部加载`).waitFor();
    await page.context().close();
  }, 60_000);

  it('scrolls 100,000 claims by keyset pages, drawing only the rows in view', async () => {
    const sql = web.t.database.sqlite;
    const { id: creditorOrg } = sql.prepare("select org_id as id from users where username = 'creditor2'").get() as {
      id: number;
    };
    const model = sql.prepare('select id from claims where creditor_org_id = ? limit 1').get(creditorOrg) as {
      id: number;
    };
    const columns = (sql.prepare('pragma table_info(claims)').all() as { name: string }[])
      .map((c) => c.name)
      .filter((c) => c !== 'id');
    const copy = columns.map((c) => (c === 'contract_no' ? "'BULK' || printf('%06d', n)" : c)).join(', ');
    sql
      .prepare(
        `with recursive seq(n) as (select 1 union all select n + 1 from seq where n < 100000)
         insert into claims (${columns.join(', ')}) select ${copy} from seq, claims where claims.id = ?`,
      )
      .run(model.id);
    const { n } = sql.prepare('select count(*) as n from claims where creditor_org_id = ?').get(creditorOrg) as {
      n: number;
    };
    expect(n).toBeGreaterThan(100_000);

    const { page, problems } = await openPage(web.browser, { expectErrors: /status of 401/ });
    await page.goto(`${web.base}/claims`);
    await signInAs(page, 'creditor2');
    await page.getByText('已加载 200 件，向下滚动加载更多').waitFor();
    const holder = page.locator('.ant-table-tbody-virtual-holder');
    for (let loaded = 400; loaded <= 1000; loaded += 200) {
      await holder.hover();
      await page.mouse.wheel(0, 100_000);
      await page.getByText(`已加载 ${loaded.toLocaleString('en-US')} 件`).waitFor();
    }
    // A thousand claims loaded, a few dozen rows drawn.
    expect(await page.locator('.ant-table-row').count()).toBeLessThan(80);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);
});
