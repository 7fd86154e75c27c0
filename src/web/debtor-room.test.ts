/**
 * The debtor at the table on a phone (390×844): from the portal's claim page into the live session's
 * room, chat with the mediator in a second browser context, the mediator's offer accepted and
 * countered from the phone, and the phone's network dropping and coming back without a message lost
 * or shown twice; and a plan proposed from the claim page, inside the limits, accepted by the creditor
 * on its page 还款方案.
 */
import { describe, expect, it } from 'vitest';
import { outsideQuietHours } from '../modules/sessions/schedule-sessions.js';
import { openPage, seriousViolations, servedApp, signInAs } from '../testing/browser.js';
import { makeParties } from '../testing/factories.js';
import { signInDebtor } from '../testing/portal.js';
import { creditorUser } from '../testing/session-client.js';

describe('the debtor in a mediation room on a phone', () => {
  const web = servedApp();

  it('joins from the claim page and negotiates with the mediator at 390 px', async () => {
    const { t } = web;
    const g = makeParties(t, 1);
    const claimId = g.claimIds[0]!;
    const mediator = await t.as('mediator1');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: mediator,
      payload: {
        claimIds: g.claimIds,
        mode: 'online',
        scheduledAt: outsideQuietHours(new Date(t.clock.now().getTime() + 3_600_000)).toISOString(),
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const session = created.json() as { id: number; debtor: { name: string } };
    const { authorization } = await signInDebtor(t, claimId);

    const phone = await openPage(web.browser, {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await phone.page
      .context()
      .addCookies([{ name: 'lmp_session', value: authorization.slice('Bearer '.length), url: web.base }]);
    await phone.page.goto(`${web.base}/portal/#/claim/${claimId}`);
    await phone.page.getByText('调解员开始调解后，可在此进入在线调解室').waitFor();
    expect(await phone.page.locator(`#session-join-${session.id}`).count()).toBe(0);

    const started = await t.app.inject({ method: 'POST', url: `/api/sessions/${session.id}/start`, headers: mediator });
    expect(started.statusCode).toBe(200);
    await phone.page.reload();
    await phone.page.click(`#session-join-${session.id}`);
    await phone.page.getByRole('heading', { name: '在线调解室' }).waitFor();
    await phone.page.getByText(`债务人 ${session.debtor.name} 在线`).waitFor();

    const desk = await openPage(web.browser, { expectErrors: /status of 401/ });
    await desk.page.goto(`${web.base}/sessions?open=${session.id}`);
    await signInAs(desk.page, 'mediator1');
    await desk.page.getByText(`债务人 ${session.debtor.name} 在线`).waitFor();
    await phone.page.getByText(/调解员 .+ 在线/).waitFor();

    await phone.page.getByLabel('输入消息').fill('您好，我想分期还款。');
    await desk.page.getByText(`债务人 ${session.debtor.name} 正在输入…`).waitFor();
    await phone.page.getByRole('button', { name: '发送' }).click();
    await desk.page.getByText('您好，我想分期还款。').waitFor();
    await desk.page.getByLabel('输入消息').fill('好的，我给您一个方案。');
    await desk.page.getByLabel('输入消息').press('Enter');
    await phone.page.getByText('好的，我给您一个方案。').waitFor();

    const builder = desk.page.getByRole('region', { name: '提出方案' });
    await builder.getByText('分期还款').click();
    await builder.getByLabel('期数').fill('4');
    await builder.getByRole('button', { name: '发送方案' }).click();
    await phone.page
      .getByLabel(/^方案 #\d+$/)
      .getByText('分 4 期还款')
      .waitFor();
    await phone.page.getByRole('button', { name: '接受' }).click();
    await desk.page.getByText('债务人：已接受').waitFor();

    // The phone counters with a plan of its own: the builder opens without the creditor's limits.
    await phone.page.getByRole('button', { name: '还价' }).click();
    const counter = phone.page.getByRole('region', { name: /还价方案 #\d+/ });
    await counter.getByText('分期还款').click();
    await counter.getByLabel('期数').fill('6');
    expect(await phone.page.getByLabel('债权人授权范围').count()).toBe(0);
    await counter.getByRole('button', { name: '发送还价' }).click();
    await desk.page
      .getByText(/还价 #\d+/)
      .first()
      .waitFor();
    await desk.page.getByText('分 6 期还款').waitFor();

    // Nothing of the page is wider than the phone.
    expect(await phone.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await seriousViolations(phone.page)).toEqual([]);

    await phone.page.context().setOffline(true);
    await phone.page.getByText('正在重新连接…').waitFor();
    await desk.page.getByLabel('输入消息').fill('网络恢复后请确认方案。');
    await desk.page.getByLabel('输入消息').press('Enter');
    await desk.page.getByText('网络恢复后请确认方案。').waitFor();
    await phone.page.context().setOffline(false);
    await phone.page.getByText('网络恢复后请确认方案。').waitFor();
    await expect.poll(() => phone.page.getByText('正在重新连接…').count()).toBe(0);
    for (const text of ['您好，我想分期还款。', '好的，我给您一个方案。', '网络恢复后请确认方案。'])
      expect(await phone.page.getByText(text).count(), text).toBe(1);

    expect(phone.problems).toEqual([]);
    expect(desk.problems).toEqual([]);
    await phone.page.context().close();
    await desk.page.context().close();
  }, 180_000);

  it('proposes a plan from the claim page at 390 px: inside the limits it goes to the creditor, who accepts it', async () => {
    const { t } = web;
    const g = makeParties(t, 1);
    const claimId = g.claimIds[0]!;
    const { authorization } = await signInDebtor(t, claimId);
    const phone = await openPage(web.browser, {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      // The second plan is refused with 409 on purpose.
      expectErrors: /status of 409/,
    });
    await phone.page
      .context()
      .addCookies([{ name: 'lmp_session', value: authorization.slice('Bearer '.length), url: web.base }]);
    await phone.page.goto(`${web.base}/portal/#/claim/${claimId}`);
    await phone.page.click('#claim-plan');
    await phone.page.getByRole('heading', { name: '提出还款方案' }).waitFor();
    await phone.page.getByText('后，可获得按您还款能力计算的建议方案').waitFor();
    expect(await phone.page.getByLabel('债权人授权范围').count()).toBe(0);

    const builder = phone.page.getByRole('region', { name: '提出方案' });
    await builder.getByText('分期还款').click();
    await builder.getByLabel('期数').fill('3');
    await builder.getByRole('button', { name: '发送方案' }).click();
    await phone.page.getByText('方案已提交给债权人。债权人接受后即达成还款协议，无需另行调解。').waitFor();
    await phone.page.getByText('已提交债权人，等待答复').waitFor();
    expect(await phone.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await seriousViolations(phone.page)).toEqual([]);

    // A second plan while the first waits is refused, in words.
    await builder.getByRole('button', { name: '发送方案' }).click();
    await phone.page.getByText('您对该案件提出的上一个方案尚待答复').waitFor();

    const plan = t.database.sqlite
      .prepare('select id, status from debtor_plans where debtor_id = ?')
      .get(g.debtorId) as {
      id: number;
      status: string;
    };
    expect(plan.status).toBe('offered');
    // The creditor answers it on its page 还款方案, without a session.
    const desk = await openPage(web.browser, { expectErrors: /status of 401/ });
    await desk.page.goto(`${web.base}/plans`);
    await signInAs(desk.page, creditorUser(t, g.creditorOrgId));
    await desk.page.getByRole('heading', { name: '还款方案' }).waitFor();
    const row = desk.page.locator('.ant-table-row', { hasText: '分 3 期' });
    await row.waitFor();
    expect(await seriousViolations(desk.page)).toEqual([]);
    await row.getByRole('button', { name: '接受' }).click();
    await desk.page.locator('.ant-popconfirm').getByRole('button', { name: '接受' }).click();
    await desk.page.getByText(/已接受该方案/).waitFor();
    expect(
      (
        t.database.sqlite.prepare('select status, settlement_id s from debtor_plans where id = ?').get(plan.id) as {
          status: string;
          s: number | null;
        }
      ).status,
    ).toBe('accepted');
    expect(desk.problems).toEqual([]);
    await desk.page.context().close();
    await phone.page.reload();
    await phone.page.getByText('债权人已接受').waitFor();
    await phone.page.getByText('本案当前不在调解阶段，不能提出还款方案。').waitFor();
    expect(phone.problems).toEqual([]);
    await phone.page.context().close();
  }, 120_000);
});
