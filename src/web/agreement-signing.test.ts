/**
 * An agreement signed online, in the browser (issue 19 item 8): once the parties agreed in the room,
 * the debtor on a phone (390×844) confirms the 调解协议书 with the code texted to them (a wrong code
 * first, said in Chinese beside the field), the creditor representative at a desk with the code shown
 * to them and their password; the platform then signs the PDF, which poppler finds valid and whole.
 */
import { describe, expect, it } from 'vitest';
import { outsideQuietHours } from '../modules/sessions/schedule-sessions.js';
import { openPage, seriousViolations, servedApp, signInAs } from '../testing/browser.js';
import { makeParties } from '../testing/factories.js';
import { pdfSignatures } from '../testing/poppler.js';
import { signInDebtor } from '../testing/portal.js';
import { creditorUser, SessionClient } from '../testing/session-client.js';

describe('an agreement confirmed by both parties in their rooms', () => {
  const web = servedApp();

  it('the debtor confirms by SMS code at 390 px, the representative with code and password; the signed agreement verifies', async () => {
    const { t } = web;
    const g = makeParties(t, 1);
    const claimId = g.claimIds[0]!;
    const mediator = await t.as('mediator1');
    const representative = creditorUser(t, g.creditorOrgId);
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
    const session = created.json() as { id: number };
    await t.app.inject({ method: 'POST', url: `/api/sessions/${session.id}/start`, headers: mediator });
    const { authorization } = await signInDebtor(t, claimId);

    // The parties agree in the room (over its socket, as the room pages do).
    const url = `${web.base.replace('http', 'ws')}/ws/sessions/${session.id}`;
    const desk = await SessionClient.open(url, { headers: mediator });
    const debtorSocket = await SessionClient.open(url, { headers: { authorization } });
    const creditorSocket = await SessionClient.open(url, { headers: await t.as(representative) });
    const totalFen = (
      t.database.sqlite
        .prepare(
          'select principal_fen + interest_fen + penalty_fen + fees_fen - above_cap_fen as n from claims where id = ?',
        )
        .get(claimId) as { n: number }
    ).n;
    const dueDate = new Date(t.clock.now().getTime() + 20 * 86_400_000).toISOString().slice(0, 10);
    const offer = await desk.request({
      type: 'proposal',
      id: 'offer',
      body: { claimIds: g.claimIds, kind: 'lump_sum', totalFen, instalments: [{ dueDate, amountFen: totalFen }] },
    });
    await debtorSocket.request({ type: 'accept', id: 'd', body: { proposalSeq: offer.seq } });
    await creditorSocket.request({ type: 'accept', id: 'c', body: { proposalSeq: offer.seq } });
    const generated = await desk.waitFor((f) => f.type === 'system' && f.body.event === 'agreement_documents');
    for (const c of [desk, debtorSocket, creditorSocket]) c.close();
    const documentId = (generated.body.documents as { documentId: number }[])[0]!.documentId;

    // The debtor on the phone: a wrong code first, then the one texted.
    const phone = await openPage(web.browser, {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      expectErrors: /status of 422/,
    });
    await phone.page
      .context()
      .addCookies([{ name: 'lmp_session', value: authorization.slice('Bearer '.length), url: web.base }]);
    await phone.page.goto(`${web.base}/portal/room?session=${session.id}`);
    const card = phone.page.getByRole('region', { name: '调解协议书确认' });
    await card.getByRole('button', { name: '获取短信确认码' }).click();
    await card.getByText(/确认码已发送至 1\d{2}\*{4}\d{4}/).waitFor();
    // The only agreement code texted in this test (the outbox orders messages of one instant at random).
    const texted = t.smsSent().filter((m) => m.text.includes('调解协议书'));
    expect(texted).toHaveLength(1);
    const code = /确认码 (\d{6})/.exec(texted[0]!.text)![1]!;
    await card.getByLabel('确认码').fill(code === '000000' ? '111111' : '000000');
    await card.getByRole('button', { name: '确认协议内容' }).click();
    await card.getByText('确认码不正确，还可以再试 4 次。').waitFor();
    await card.getByLabel('确认码').fill(code);
    await card.getByRole('button', { name: '确认协议内容' }).click();
    await card.getByText(/债务人：已确认/).waitFor();
    expect(await phone.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await seriousViolations(phone.page)).toEqual([]);

    // The representative at the desk: the code shown to their session, and their password.
    const office = await openPage(web.browser, { expectErrors: /status of 401/ });
    await office.page.goto(`${web.base}/sessions?open=${session.id}`);
    await signInAs(office.page, representative);
    const theirs = office.page.getByRole('region', { name: '调解协议书确认' });
    await theirs.getByText(/债务人：已确认/).waitFor();
    await theirs.getByRole('button', { name: '获取确认码' }).click();
    const shown = await theirs.getByText(/您的确认码：/).textContent();
    await theirs.getByLabel('确认码').fill(/(\d{6})/.exec(shown ?? '')![1]!);
    await theirs.getByLabel('登录密码').fill('demo1234');
    await theirs.getByRole('button', { name: '确认协议内容' }).click();
    await theirs.getByText(/双方已确认，协议已由平台加盖电子签名/).waitFor();
    // The phone sees it signed too, on its next look.
    await card.getByText(/双方已确认，协议已由平台加盖电子签名/).waitFor({ timeout: 15_000 });

    const pdf = await t.app.inject({ method: 'GET', url: `/api/documents/${documentId}/pdf`, headers: mediator });
    expect(pdfSignatures(pdf.rawPayload)[0]).toMatchObject({
      'Total document signed': 'yes',
      'Signature Validation': 'Signature is Valid.',
    });
    const verifyCode = (
      t.database.sqlite.prepare('select verify_code from documents where id = ?').get(documentId) as {
        verify_code: string;
      }
    ).verify_code;
    const verified = (await t.app.inject({ method: 'GET', url: `/verify/${verifyCode}` })).json();
    expect(verified.signature.signers.map((s: { role: string }) => s.role)).toEqual(['debtor', 'creditor']);

    expect(phone.problems).toEqual([]);
    expect(office.problems).toEqual([]);
    await phone.page.context().close();
    await office.page.context().close();
  }, 180_000);
});
