import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeParties } from '../../testing/factories.js';
import { pdfSignatures } from '../../testing/poppler.js';
import { creditorUser, debtorHeaders, openRoom } from '../../testing/session-client.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

type Row = Record<string, unknown>;
const ZH = { 'accept-language': 'zh-CN' };

describe('agreements signed online', () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLIC_URL: 'https://mediation.example.cn' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `ws://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  });
  afterAll(() => t.close());

  const count = (sql: string, ...args: unknown[]) => (t.database.sqlite.prepare(sql).get(...args) as { n: number }).n;

  /** A session whose parties agreed on a lump sum, with its agreement generated: the settlement and the room. */
  async function agreed(claims = 1) {
    const r = await openRoom(t, base, makeParties(t, claims));
    const ids = r.g.claimIds;
    const enforceable = count(
      `select sum(max(0, principal_fen + interest_fen + penalty_fen + fees_fen - above_cap_fen)) as n from claims where id in (${ids.join(',')})`,
    );
    const offer = await r.mediator.request({
      type: 'proposal',
      id: 'offer',
      body: {
        claimIds: ids,
        kind: 'lump_sum',
        totalFen: enforceable,
        instalments: [{ dueDate: '2026-12-15', amountFen: enforceable }],
      },
    });
    await r.debtorClient.request({ type: 'accept', id: 'd', body: { proposalSeq: offer.seq } });
    await r.creditor.request({ type: 'accept', id: 'c', body: { proposalSeq: offer.seq } });
    const docs = await r.mediator.waitFor((f) => f.type === 'system' && f.body.event === 'agreement_documents');
    for (const c of r.clients) c.close();
    return {
      r,
      settlementId: docs.body.settlementId as number,
      debtor: { authorization: r.debtor.authorization, ...ZH },
      creditor: { ...(await t.as(r.creditorName)), ...ZH },
    };
  }

  const post = (url: string, headers: Record<string, string>, payload?: Row) =>
    t.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });

  // The outbox names messages by the (fixed) clock and a random suffix, so they are told apart by content.
  const codesTexted = new Set<string>();
  /** The code of the agreement SMS sent since the last call. */
  const smsCode = () => {
    const texts = t.smsSent().map((m) => m.text);
    const fresh = texts.filter((x) => x.includes('调解协议书') && !codesTexted.has(x));
    expect(fresh).toHaveLength(1);
    codesTexted.add(fresh[0]!);
    return /确认码 (\d{6})/.exec(fresh[0]!)![1]!;
  };

  it('both parties confirm with their codes; the platform signs the agreement, pdfsig finds it valid and whole, and /verify names who confirmed', async () => {
    // Two contracts in one settlement: one agreement lists both, and is signed on both claims' chains.
    const { r, settlementId, debtor, creditor } = await agreed(2);
    const url = `/api/settlements/${settlementId}`;
    const before = (await t.app.inject({ method: 'GET', url: `${url}/agreement`, headers: debtor })).json();
    expect(before).toMatchObject({ myRole: 'debtor', awaiting: ['debtor', 'creditor'], signedAt: null });
    expect(before.documents).toHaveLength(1);
    const [doc] = before.documents as { id: number; verifyCode: string; sha256: string; docNo: string }[];

    // The debtor: a code by SMS naming the agreement and its amount.
    const sent = await post(`${url}/agreement/code`, debtor);
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toMatchObject({ sentTo: expect.stringMatching(/^1\d{2}\*{4}\d{4}$/), code: null });
    const code = smsCode();
    expect([...codesTexted].at(-1)).toContain(doc!.docNo);
    const byDebtor = await post(`${url}/agreement/confirmations`, debtor, {
      challengeId: sent.json().challengeId,
      code,
    });
    expect(byDebtor.statusCode, byDebtor.body).toBe(200);
    expect(byDebtor.json()).toMatchObject({ awaiting: ['creditor'], signedAt: null });

    // The representative: a code shown to their session, confirmed with their password.
    const mine = (await post(`${url}/agreement/code`, creditor)).json();
    expect(mine).toMatchObject({ sentTo: null, code: expect.stringMatching(/^\d{6}$/) });
    const wrongPassword = await post(`${url}/agreement/confirmations`, creditor, {
      challengeId: mine.challengeId,
      code: mine.code,
      password: 'not-my-password',
    });
    expect(wrongPassword.json()).toMatchObject({
      reason: 'password_wrong',
      title: '登录密码不正确，请重新输入',
      fields: [{ field: '/body/password', message: '登录密码不正确，请重新输入。' }],
    });
    const byCreditor = await post(`${url}/agreement/confirmations`, creditor, {
      challengeId: mine.challengeId,
      code: mine.code,
      password: 'demo1234',
    });
    expect(byCreditor.statusCode, byCreditor.body).toBe(200);
    const state = byCreditor.json();
    expect(state).toMatchObject({ awaiting: [], signedAt: '2026-11-20T02:00:00.000Z' });
    expect(state.confirmations).toEqual([
      expect.objectContaining({ role: 'debtor', roleText: '债务人', method: 'sms_code' }),
      expect.objectContaining({ role: 'creditor', roleText: '债权人代表', method: 'password_code' }),
    ]);
    // The debtor's name is masked wherever it is public.
    expect(state.confirmations[0].name).toMatch(/^.\*+$/);

    // The signed file is what the document serves now: a PAdES signature over the whole file.
    const pdf = await t.app.inject({ method: 'GET', url: `/api/documents/${doc!.id}/pdf`, headers: debtor });
    expect(pdf.statusCode).toBe(200);
    const [signature] = pdfSignatures(pdf.rawPayload);
    expect(signature).toMatchObject({
      'Signature Type': 'ETSI.CAdES.detached',
      'Total document signed': 'yes',
      'Signature Validation': 'Signature is Valid.',
    });
    // The signature carries the confirmations and the hash of the text they confirmed.
    const reason = /\/Reason \(([^)]*)\)/.exec(pdf.rawPayload.toString('latin1'))![1]!;
    expect(reason).toContain('the debtor by SMS one-time code at 2026-11-20T02:00:00.000Z');
    expect(reason).toContain("the creditor's representative by sign-in password and one-time code");
    expect(reason).toContain(`text SHA-256 ${state.textSha256}`);
    const row = t.database.sqlite.prepare('select * from documents where id = ?').get(doc!.id) as Row;
    expect(row).toMatchObject({ unsigned_sha256: doc!.sha256 });
    expect(row.sha256).not.toBe(doc!.sha256);

    // /verify: genuine, the signed bytes unaltered, and who confirmed it when.
    const verified = (await t.app.inject({ method: 'GET', url: `/verify/${doc!.verifyCode}` })).json();
    expect(verified.signature).toEqual({ signedAt: '2026-11-20T02:00:00.000Z', signers: state.confirmations });
    const checked = await t.app.inject({
      method: 'POST',
      url: `/verify/${doc!.verifyCode}`,
      headers: { 'content-type': 'application/pdf' },
      payload: pdf.rawPayload,
    });
    expect(checked.json()).toMatchObject({ unaltered: true, genuine: true });
    const page = await t.app.inject({
      method: 'GET',
      url: `/verify/${doc!.verifyCode}`,
      headers: { accept: 'text/html' },
    });
    expect(page.body).toContain('协议文本经各方当事人在线确认');
    expect(page.body).toContain('债权人代表');

    // Each claim's chain records both confirmations and the signing, and still verifies.
    for (const claimId of r.g.claimIds) {
      const events = (
        await t.app.inject({ method: 'GET', url: `/api/claims/${claimId}/events`, headers: creditor })
      ).json();
      expect(events.chain).toEqual({ valid: true });
      expect(events.events.map((e: Row) => e.action).slice(-3)).toEqual([
        'agreement.confirmed',
        'agreement.confirmed',
        'document.signed',
      ]);
    }
    // Confirming again is refused.
    expect((await post(`${url}/agreement/code`, debtor)).json()).toMatchObject({ reason: 'already_confirmed' });
  });

  it('a wrong or expired code is a clear Chinese error and stores no confirmation; a new code replaces the old one', async () => {
    const { settlementId, debtor } = await agreed();
    const url = `/api/settlements/${settlementId}/agreement`;
    const first = (await post(`${url}/code`, debtor)).json();
    const right = smsCode();
    const wrong = await post(`${url}/confirmations`, debtor, {
      challengeId: first.challengeId,
      code: right === '000000' ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json()).toMatchObject({
      reason: 'code_wrong',
      title: '确认码不正确，请核对后重新输入',
      fields: [{ field: '/body/code', message: '确认码不正确，还可以再试 4 次。' }],
    });
    t.clock.advance(6 * 60_000);
    const expired = await post(`${url}/confirmations`, debtor, { challengeId: first.challengeId, code: right });
    expect(expired.json()).toMatchObject({ reason: 'code_expired', title: '确认码已过期，请重新获取' });
    const none = (sql: string) => count(sql, settlementId);
    expect(none('select count(*) as n from agreement_confirmations where settlement_id = ?')).toBe(0);
    expect(
      count(
        "select count(*) as n from claim_events where action = 'agreement.confirmed' and json_extract(data, '$.settlementId') = ?",
        settlementId,
      ),
    ).toBe(0);

    // A second code replaces the first: the first no longer works, the second does.
    const second = (await post(`${url}/code`, debtor)).json();
    const replaced = await post(`${url}/confirmations`, debtor, { challengeId: first.challengeId, code: right });
    expect(replaced.json()).toMatchObject({ reason: 'code_used' });
    const ok = await post(`${url}/confirmations`, debtor, { challengeId: second.challengeId, code: smsCode() });
    expect(ok.json()).toMatchObject({ awaiting: ['creditor'] });
    t.clock.set('2026-11-20T02:00:00.000Z');
  });

  it('refuses a confirmation by someone not a party: the mediator, another debtor, another creditor', async () => {
    const { settlementId, r, creditor } = await agreed();
    const url = `/api/settlements/${settlementId}/agreement`;
    // The mediator sees the agreement but has no part to confirm.
    const seen = await t.app.inject({ method: 'GET', url, headers: await t.as('mediator1') });
    expect(seen.json()).toMatchObject({ myRole: null });
    expect((await post(`${url}/code`, await t.as('mediator1'))).statusCode).toBe(403);
    // Another debtor and the other creditor may not see it at all.
    const otherDebtorId = count('select id as n from debtors where id != ? limit 1', r.g.debtorId);
    expect((await post(`${url}/code`, debtorHeaders(t, otherDebtorId))).statusCode).toBe(404);
    const otherCreditor = creditorUser(t, r.g.creditorOrgId === 4 ? 5 : 4);
    expect((await post(`${url}/code`, await t.as(otherCreditor))).statusCode).toBe(404);
    // The debtor's code cannot be used by the representative.
    const debtorCode = (await post(`${url}/code`, { authorization: r.debtor.authorization })).json();
    const borrowed = await post(`${url}/confirmations`, creditor, {
      challengeId: debtorCode.challengeId,
      code: smsCode(),
      password: 'demo1234',
    });
    expect(borrowed.json()).toMatchObject({ reason: 'code_unknown' });
    expect(count('select count(*) as n from agreement_confirmations where settlement_id = ?', settlementId)).toBe(0);
  });

  it('signs at the next start an agreement both parties confirmed whose signing a stop cut short', async () => {
    const { settlementId, debtor } = await agreed();
    const url = `/api/settlements/${settlementId}/agreement`;
    const sent = (await post(`${url}/code`, debtor)).json();
    await post(`${url}/confirmations`, debtor, { challengeId: sent.challengeId, code: smsCode() });
    // The representative's confirmation committed, and the process stopped before it signed.
    const first = t.database.sqlite
      .prepare('select * from agreement_confirmations where settlement_id = ?')
      .get(settlementId) as Row;
    const repId = count("select id as n from users where role = 'creditor' limit 1");
    t.database.sqlite
      .prepare(
        "insert into agreement_confirmations (settlement_id, role, user_id, shown_name, method, text_sha256, challenge_id, confirmed_at) values (?, 'creditor', ?, '法务专员', 'password_code', ?, ?, ?)",
      )
      .run(settlementId, repId, first.text_sha256, first.challenge_id, first.confirmed_at);
    const unsigned = t.database.sqlite
      .prepare(
        "select d.id, d.signed_at from documents d join settlement_claims s on s.claim_id = d.claim_id where s.settlement_id = ? and d.kind = 'mediation_agreement'",
      )
      .get(settlementId) as Row;
    expect(unsigned.signed_at).toBeNull();

    t = await t.restart();
    const signed = t.database.sqlite.prepare('select * from documents where id = ?').get(unsigned.id) as Row;
    expect(signed.signed_at).not.toBeNull();
    const pdf = await t.app.inject({
      method: 'GET',
      url: `/api/documents/${unsigned.id}/pdf`,
      headers: await t.as('mediator1'),
    });
    expect(pdfSignatures(pdf.rawPayload)[0]).toMatchObject({ 'Signature Validation': 'Signature is Valid.' });
  });
});
