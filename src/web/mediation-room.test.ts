/**
 * The mediator's room in a real browser, with the debtor and the creditor's representative on real
 * websockets: presence and typing, chat both ways, a proposal outside the creditor's limits marked as
 * needing approval, answers shown per party, an agreement; the browser going offline shows
 * "正在重新连接…" and, back online, shows what was said meanwhile, once; a second room in its own tab
 * counts the messages of the first as unread.
 */
import { describe, expect, it } from 'vitest';
import { outsideQuietHours } from '../modules/sessions/schedule-sessions.js';
import { openPage, seriousViolations, servedApp, signInAs } from '../testing/browser.js';
import { makeParties } from '../testing/factories.js';
import { creditorUser, debtorHeaders, SessionClient } from '../testing/session-client.js';

describe('mediation room in a browser', () => {
  const web = servedApp();

  async function schedule(claimIds: number[]) {
    const { t } = web;
    const at = outsideQuietHours(new Date(t.clock.now().getTime() + 3_600_000));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: await t.as('mediator1'),
      payload: { claimIds, mode: 'online', scheduledAt: at.toISOString() },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; debtor: { name: string } };
  }

  const storedChats = (sessionId: number, text: string) =>
    (
      web.t.database.sqlite
        .prepare("select count(*) n from session_messages where session_id = ? and type = 'chat' and body like ?")
        .get(sessionId, `%${text}%`) as { n: number }
    ).n;

  it('holds a session: presence, typing, chat, offers with each party’s answer, reconnect, tabs with unread counts', async () => {
    const { t } = web;
    const g1 = makeParties(t, 2);
    const g2 = makeParties(t, 1);
    const s1 = await schedule(g1.claimIds);
    const s2 = await schedule(g2.claimIds);
    const start2 = await t.app.inject({
      method: 'POST',
      url: `/api/sessions/${s2.id}/start`,
      headers: await t.as('mediator1'),
    });
    expect(start2.statusCode).toBe(200);

    const { page, problems } = await openPage(web.browser, { expectErrors: /status of 401/ });
    await page.goto(`${web.base}/sessions`);
    await signInAs(page, 'mediator1');
    await page.getByRole('heading', { name: '调解室' }).waitFor();
    await page.getByRole('button', { name: `开始 ${s1.debtor.name} 的调解` }).click();
    await page.getByText('调解开始').waitFor();
    await page.getByText(/调解员 .+ 在线/).waitFor();

    const ws = `${web.base.replace('http', 'ws')}/ws/sessions/${s1.id}`;
    const debtor = await SessionClient.open(ws, {
      headers: { authorization: debtorHeaders(t, g1.debtorId).authorization },
    });
    const creditor = await SessionClient.open(ws, { headers: await t.as(creditorUser(t, g1.creditorOrgId)) });
    await page.getByText(`债务人 ${s1.debtor.name} 在线`).waitFor();
    await page.getByText(/债权人代表 .+ 在线/).waitFor();

    debtor.send({ type: 'typing' });
    await page.getByText(`债务人 ${s1.debtor.name} 正在输入…`).waitFor();
    debtor.send({ type: 'chat', id: 'd1', body: { text: '我想分期还款' } });
    await page.getByText('我想分期还款').waitFor();
    await expect.poll(() => page.getByText('正在输入…').count()).toBe(0);

    await page.getByLabel('输入消息').fill('您好，我们先看看还款方案。');
    await page.getByLabel('输入消息').press('Enter');
    const said = await debtor.waitFor((f) => f.type === 'chat' && f.from.role === 'mediator');
    expect(said.body.text).toBe('您好，我们先看看还款方案。');
    expect(await seriousViolations(page)).toEqual([]);

    // Half the amount at once: a discount past the 30% the creditor allows.
    const session = (
      await t.app.inject({ url: `/api/sessions/${s1.id}`, headers: await t.as('mediator1') })
    ).json() as { terms: { baseFen: number } };
    const builder = page.getByRole('region', { name: '提出方案' });
    const half = Math.floor(session.terms.baseFen / 2);
    await builder.getByLabel('方案总额（元）').fill((half / 100).toFixed(2));
    await builder.getByText('超出债权人授权范围，需债权人代表批准').waitFor();
    await builder.getByText(/减免 \d+(\.\d+)?%，超过授权上限 30%/).waitFor();
    await builder.getByRole('button', { name: '发送方案' }).click();
    const p1 = await debtor.waitFor((f) => f.type === 'proposal');
    expect(p1.body).toMatchObject({ totalFen: half, kind: 'lump_sum', needsApproval: true, claimIds: g1.claimIds });
    const card1 = page.getByLabel(`方案 #${p1.seq}`);
    await card1.getByText('超出授权，需债权人批准').waitFor();
    await card1.getByText('债务人：待答复').waitFor();
    debtor.send({ type: 'reject', id: 'r1', body: { proposalSeq: p1.seq, reason: '一次拿不出' } });
    await card1.getByText('债务人：已拒绝').waitFor();

    // The whole amount in three monthly payments: inside the limits.
    await builder.getByText('分期还款').click();
    await builder.getByLabel('方案总额（元）').fill((session.terms.baseFen / 100).toFixed(2));
    await builder.getByLabel('期数').fill('3');
    await builder.getByText('第 3 期').waitFor();
    expect(await builder.getByText('超出债权人授权范围').count()).toBe(0);
    await builder.getByRole('button', { name: '发送方案' }).click();
    const p2 = await debtor.waitFor((f) => f.type === 'proposal' && f.seq !== p1.seq);
    expect(p2.body).toMatchObject({ kind: 'instalments', totalFen: session.terms.baseFen, needsApproval: false });
    expect((p2.body.instalments as unknown[]).length).toBe(3);
    await page.getByLabel(`方案 #${p1.seq}`).getByText('已被新方案取代').waitFor();
    const card2 = page.getByLabel(`方案 #${p2.seq}`);
    debtor.send({ type: 'accept', id: 'a1', body: { proposalSeq: p2.seq } });
    await card2.getByText('债务人：已接受').waitFor();
    await card2.getByText('债权人代表：待答复').waitFor();
    creditor.send({ type: 'accept', id: 'a2', body: { proposalSeq: p2.seq } });
    await card2.getByText('已达成一致').waitFor();
    await page.getByText(`双方就方案 #${p2.seq} 达成一致，已生成调解协议`).waitFor();

    // The browser's network drops: the page says so, and what is said meanwhile arrives once it is back.
    await page.context().setOffline(true);
    await page.getByText('正在重新连接…').waitFor();
    debtor.send({ type: 'chat', id: 'd2', body: { text: '断线期间的消息' } });
    await debtor.answer('d2');
    await page.context().setOffline(false);
    await page.getByText('断线期间的消息').waitFor();
    await expect.poll(() => page.getByText('正在重新连接…').count()).toBe(0);
    expect(await page.getByText('断线期间的消息').count()).toBe(1);
    expect(await page.getByText('我想分期还款').count()).toBe(1);
    expect(await page.getByText('您好，我们先看看还款方案。').count()).toBe(1);
    expect(storedChats(s1.id, '您好，我们先看看还款方案')).toBe(1);

    // A second room in its own tab: the first one counts what it did not show.
    await page.getByRole('tab', { name: '调解会话' }).click();
    await page.getByRole('button', { name: `进入 ${s2.debtor.name} 的调解室` }).click();
    await page.getByRole('tab', { name: s2.debtor.name }).waitFor();
    debtor.send({ type: 'chat', id: 'd3', body: { text: '还在吗？' } });
    await page.locator('[title="1 条未读消息"]').waitFor();
    await page.getByRole('tab', { name: s1.debtor.name }).click();
    await page.getByText('还在吗？').waitFor();
    await expect.poll(() => page.locator('[title="1 条未读消息"]').count()).toBe(0);
    expect(page.url()).toContain(`open=${s1.id}%2C${s2.id}`);

    expect(problems).toEqual([]);
    debtor.close();
    creditor.close();
    await page.context().close();
  }, 180_000);
});
