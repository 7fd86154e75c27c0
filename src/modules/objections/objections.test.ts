import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectionReplyDeadline } from '../../domain/deadlines.js';
import { makeClaim } from '../../testing/factories.js';
import { evidenceForm, type FormFile, JPEG_BYTES, PDF_BYTES, PNG_BYTES, signInDebtor } from '../../testing/portal.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { ANSWER_MESSAGES } from '../deliveries/answer-notice.js';

const MAX_BYTES = 4096;

describe('objections', () => {
  let t: TestApp;
  /** A claim of a debtor of its own, open in people's mediation. */
  const take = () => makeClaim(t).claimId;
  const sql = () => t.database.sqlite;
  const one = <T>(query: string, ...args: unknown[]) =>
    sql()
      .prepare(query)
      .get(...args) as T;
  const all = <T>(query: string, ...args: unknown[]) =>
    sql()
      .prepare(query)
      .all(...args) as T[];
  const claimOf = (id: number) =>
    one<{
      stage: string;
      status: string;
      hold: string | null;
      version: number;
      principal_fen: number;
      interest_fen: number;
      penalty_fen: number;
      fees_fen: number;
      above_cap_fen: number;
      debtor_id: number;
    }>('select * from claims where id = ?', id);
  const lastActions = (claimId: number, n: number) =>
    all<{ action: string; actor_kind: string; to_hold: string | null }>(
      'select action, actor_kind, to_hold from claim_events where claim_id = ? order by seq desc limit ?',
      claimId,
      n,
    ).reverse();
  const storedFiles = () => {
    const dir = path.join(t.dataDir, 'files');
    return fs.existsSync(dir)
      ? fs.readdirSync(dir, { recursive: true }).filter((f) => fs.statSync(path.join(dir, String(f))).isFile()).length
      : 0;
  };
  /** Everything an objection could change; a refused one must leave it as it was. */
  const state = () => ({
    ...one<object>(
      'select (select count(*) from objections) objections, (select count(*) from attachments) attachments, (select count(*) from claim_events) events, (select count(*) from deliveries) deliveries, (select sum(version) from claims) versions',
    ),
    files: storedFiles(),
  });
  const file = async (
    headers: Record<string, string>,
    claimId: number,
    fields: [string, string][],
    files: FormFile[] = [],
  ) => {
    const form = evidenceForm(fields, files);
    return t.app.inject({
      method: 'POST',
      url: `/api/debtor/claims/${claimId}/objections`,
      headers: { ...headers, ...form.headers },
      payload: form.payload,
    });
  };
  const fields = (
    category = 'amount_disputed',
    statement = '利息计算有误，实际借款金额与合同不符。',
  ): [string, string][] => [
    ['category', category],
    ['statement', statement],
  ];
  const decide = async (id: number, body: Record<string, unknown>, who = 'mediator1') =>
    t.app.inject({ method: 'POST', url: `/api/objections/${id}/decision`, headers: await t.as(who), payload: body });

  beforeAll(async () => {
    t = await createTestApp({ env: { ATTACHMENT_MAX_BYTES: String(MAX_BYTES) } });
  });
  afterAll(() => t.close());

  describe('filing', () => {
    it('holds the claim, starts the reply deadline, and keeps the evidence encrypted under random names', async () => {
      const claimId = take();
      const headers = await signInDebtor(t, claimId);
      const res = await file(headers, claimId, fields(), [
        { filename: '还款凭证.png', content: PNG_BYTES, type: 'image/png' },
        { filename: 'contract.pdf', content: PDF_BYTES, type: 'application/pdf' },
        { filename: 'photo.JPG', content: JPEG_BYTES, type: 'image/jpeg', field: 'files[]' },
      ]);
      expect(res.statusCode).toBe(201);
      const o = res.json();
      expect(o).toMatchObject({
        status: 'open',
        category: 'amount_disputed',
        outcome: null,
        replyOverdue: false,
        claim: { id: claimId },
      });
      expect(o.replyDue).toBe(objectionReplyDeadline(t.reference.calendar(), '2026-11-20', 15));
      expect(o.attachments.map((a: { fileName: string; mime: string }) => [a.fileName, a.mime])).toEqual([
        ['还款凭证.png', 'image/png'],
        ['contract.pdf', 'application/pdf'],
        ['photo.JPG', 'image/jpeg'],
      ]);

      expect(claimOf(claimId).hold).toBe('objection');
      expect(lastActions(claimId, 2)).toEqual([
        { action: 'objection_filed', actor_kind: 'debtor', to_hold: null },
        { action: 'place_hold', actor_kind: 'debtor', to_hold: 'objection' },
      ]);

      const rows = all<{ id: number; storage_key: string; sha256: string; size: number }>(
        "select * from attachments where owner_kind = 'objection' and owner_id = ? order by id",
        o.id,
      );
      expect(rows).toHaveLength(3);
      for (const r of rows) {
        expect(r.storage_key).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{32}$/);
        const onDisk = fs.readFileSync(path.join(t.dataDir, 'files', r.storage_key));
        expect(onDisk.includes(PNG_BYTES.subarray(0, 16))).toBe(false);
        expect(onDisk.includes(PDF_BYTES.subarray(0, 16))).toBe(false);
      }

      const download = await t.app.inject({
        method: 'GET',
        url: `/api/attachments/${rows[0]!.id}`,
        headers: await t.as('mediator1'),
      });
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(PNG_BYTES)).toBe(true);
      expect(download.headers['content-type']).toBe('image/png');
      expect(download.headers['x-content-type-options']).toBe('nosniff');
      expect(download.headers['content-disposition']).toMatch(/^attachment;/);
      expect(
        (
          await t.app.inject({
            method: 'GET',
            url: `/api/attachments/${rows[0]!.id}`,
            headers: await t.as('creditor2'),
          })
        ).statusCode,
      ).toBe(
        one<{ code: string }>(
          'select o.code from claims c join organisations o on o.id = c.creditor_org_id where c.id = ?',
          claimId,
        ).code === 'CRED-B'
          ? 200
          : 404,
      );

      const mine = await t.app.inject({ method: 'GET', url: `/api/debtor/claims/${claimId}/objections`, headers });
      expect(mine.json().map((x: { id: number }) => x.id)).toEqual([o.id]);
    });

    it('refuses a second objection while one is open (409), changing nothing', async () => {
      const claimId = take();
      const headers = await signInDebtor(t, claimId);
      expect((await file(headers, claimId, fields())).statusCode).toBe(201);
      const before = state();
      const res = await file(headers, claimId, fields('already_repaid'), [{ filename: 'a.png', content: PNG_BYTES }]);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'duplicate', reason: 'objection_open' });
      expect(state()).toEqual(before);
    });

    it("does not find another debtor's claim (404), changing nothing", async () => {
      const mine = take();
      const theirs = take();
      const headers = await signInDebtor(t, mine);
      const before = state();
      const res = await file(headers, theirs, fields(), [{ filename: 'a.png', content: PNG_BYTES }]);
      expect(res.statusCode).toBe(404);
      expect(
        (await t.app.inject({ method: 'GET', url: `/api/debtor/claims/${theirs}/objections`, headers })).statusCode,
      ).toBe(404);
      expect(state()).toEqual(before);
      expect(claimOf(theirs).hold).toBeNull();
    });

    it('refuses an objection on a closed claim (409), changing nothing', async () => {
      const claimId = take();
      const headers = await signInDebtor(t, claimId);
      sql().prepare("update claims set stage = 'closed', status = 'withdrawn' where id = ?").run(claimId);
      const before = state();
      const res = await file(headers, claimId, fields());
      expect(res.statusCode).toBe(409);
      expect(res.json().reason).toBe('claim_closed');
      expect(state()).toEqual(before);
    });

    describe('refuses bad input with a clear error, changing nothing', () => {
      let claimId: number;
      let headers: Record<string, string>;
      beforeAll(async () => {
        claimId = take();
        headers = await signInDebtor(t, claimId);
      });

      const png = (filename: string, content = PNG_BYTES): FormFile => ({ filename, content, type: 'image/png' });
      const cases: {
        name: string;
        fields?: [string, string][];
        files: FormFile[];
        status: number;
        reason?: string;
        field?: string;
      }[] = [
        { name: 'PDF bytes named .png', files: [png('receipt.png', PDF_BYTES)], status: 415, reason: 'type_mismatch' },
        { name: 'PNG bytes named .pdf', files: [png('scan.pdf')], status: 415, reason: 'type_mismatch' },
        {
          name: 'a program named .jpg',
          files: [png('photo.jpg', Buffer.from('MZ\u0090\u0000 this program cannot be run in DOS mode'))],
          status: 415,
          reason: 'type_mismatch',
        },
        { name: 'an empty file', files: [png('empty.png', Buffer.alloc(0))], status: 415, reason: 'type_mismatch' },
        {
          name: 'a type not accepted',
          files: [png('notes.txt', Buffer.from('hello'))],
          status: 415,
          reason: 'type_not_accepted',
        },
        {
          name: 'a file too large',
          files: [png('big.png', Buffer.concat([PNG_BYTES, Buffer.alloc(MAX_BYTES)]))],
          status: 413,
          reason: 'file_too_large',
        },
        {
          name: 'too many files',
          files: Array.from({ length: 6 }, (_, i) => png(`p${i}.png`)),
          status: 413,
          reason: 'too_many_files',
        },
        { name: 'a name with ../', files: [png('../../etc/evil.png')], status: 400, reason: 'bad_file_name' },
        { name: 'a name with ..\\', files: [png('..\\..\\evil.png')], status: 400, reason: 'bad_file_name' },
        { name: 'a name with NUL', files: [png('evil.png\u0000.pdf')], status: 400, reason: 'bad_file_name' },
        {
          name: 'an unknown category',
          fields: fields('i_dont_like_it'),
          files: [],
          status: 400,
          field: '/body/category',
        },
        { name: 'a blank statement', fields: fields('other', '   '), files: [], status: 400, field: '/body/statement' },
        { name: 'a missing statement', fields: [['category', 'other']], files: [], status: 400 },
        {
          name: 'an unknown field',
          fields: [...fields(), ['amount', '100']],
          files: [],
          status: 400,
          field: '/body/amount',
        },
        {
          name: 'a file in another field',
          files: [{ ...png('a.png'), field: 'evidence' }],
          status: 400,
          field: '/body/evidence',
        },
      ];
      for (const c of cases) {
        it(c.name, async () => {
          const before = state();
          const res = await file(headers, claimId, c.fields ?? fields(), c.files);
          expect(res.statusCode, res.body).toBe(c.status);
          const problem = res.json();
          expect(res.headers['content-type']).toContain('application/problem+json');
          expect(problem.detail.length).toBeGreaterThan(10);
          if (c.reason) expect(problem.reason).toBe(c.reason);
          if (c.field) expect(problem.fields.map((f: { field: string }) => f.field)).toContain(c.field);
          expect(state()).toEqual(before);
          expect(claimOf(claimId).hold).toBeNull();
        });
      }

      it('a JSON body instead of a form', async () => {
        const before = state();
        const res = await t.app.inject({
          method: 'POST',
          url: `/api/debtor/claims/${claimId}/objections`,
          headers,
          payload: { category: 'other', statement: 'x' },
        });
        expect(res.statusCode).toBe(415);
        expect(state()).toEqual(before);
      });
    });
  });

  describe('answers', () => {
    async function filed(category = 'amount_disputed') {
      const claimId = take();
      const headers = await signInDebtor(t, claimId);
      const res = await file(headers, claimId, fields(category));
      expect(res.statusCode).toBe(201);
      return { claimId, headers, id: res.json().id as number };
    }

    it('staff see the objections on their claims, open ones by deadline, overdue ones marked', async () => {
      const { id, claimId } = await filed();
      const open = await t.app.inject({
        method: 'GET',
        url: '/api/objections?status=open',
        headers: await t.as('mediator1'),
      });
      expect(open.statusCode).toBe(200);
      const listed = open.json() as { id: number; replyDue: string; replyOverdue: boolean }[];
      expect(listed.map((o) => o.id)).toContain(id);
      expect(listed.map((o) => o.replyDue)).toEqual([...listed.map((o) => o.replyDue)].sort());
      const creditorCode = one<{ code: string }>(
        'select o.code from claims c join organisations o on o.id = c.creditor_org_id where c.id = ?',
        claimId,
      ).code;
      const other = creditorCode === 'CRED-A' ? 'creditor2' : 'creditor1';
      const own = creditorCode === 'CRED-A' ? 'creditor1' : 'creditor2';
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/objections', headers: await t.as(other) }))
          .json()
          .map((o: { id: number }) => o.id),
      ).not.toContain(id);
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/objections', headers: await t.as(own) }))
          .json()
          .map((o: { id: number }) => o.id),
      ).toContain(id);
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/objections?status=pending', headers: await t.as('mediator1') }))
          .statusCode,
      ).toBe(400);

      t.clock.advance(30 * 86_400_000);
      try {
        // A fresh sign-in: the cached one has expired by then.
        const later = await t.app.inject({
          method: 'GET',
          url: `/api/objections?claimId=${claimId}`,
          headers: { authorization: `Bearer ${await t.login('mediator1')}` },
        });
        expect(later.json()[0]).toMatchObject({ id, replyOverdue: true });
      } finally {
        t.clock.set('2026-11-20T02:00:00.000Z');
      }
    });

    it('rejected: the hold is released, the debtor is told by SMS and sees the reasons', async () => {
      const { id, claimId, headers } = await filed();
      const before = state();
      expect(
        (await decide(id, { outcome: 'rejected', reasons: '证据不足', newAmounts: { interestFen: 0 } })).statusCode,
      ).toBe(400);
      expect((await decide(id, { outcome: 'rejected', reasons: '   ' })).statusCode).toBe(400);
      expect((await decide(id, { outcome: 'rejected' })).statusCode).toBe(400);
      expect(state()).toEqual(before);

      const res = await decide(id, { outcome: 'rejected', reasons: '经核查，借款金额与合同约定一致，异议不成立。' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'decided',
        outcome: 'rejected',
        reasons: '经核查，借款金额与合同约定一致，异议不成立。',
      });
      expect(claimOf(claimId).hold).toBeNull();
      expect(lastActions(claimId, 2)).toEqual([
        { action: 'objection_decided', actor_kind: 'mediator', to_hold: 'objection' },
        { action: 'release_hold', actor_kind: 'mediator', to_hold: null },
      ]);
      const sms = one<{
        channel: string;
        message: string;
        address_masked: string;
        address_enc: string;
        status: string;
      }>('select * from deliveries where idempotency_key = ?', `objection:${id}:answered:sms`);
      const debtor = one<{ name: string; phone_enc: string }>(
        'select * from debtors where id = ?',
        claimOf(claimId).debtor_id,
      );
      const phone = t.crypto.decrypt(debtor.phone_enc);
      expect(sms).toMatchObject({
        channel: 'sms',
        status: 'queued',
        message: ANSWER_MESSAGES.objection,
        address_masked: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
      });
      expect(sms.message).not.toContain(debtor.name);
      expect(sms.address_enc).not.toContain(phone);

      const seen = await t.app.inject({ method: 'GET', url: `/api/debtor/claims/${claimId}/objections`, headers });
      expect(seen.json()[0]).toMatchObject({ id, outcome: 'rejected', status: 'decided' });

      const after = state();
      const again = await decide(id, { outcome: 'upheld', reasons: '改判' });
      expect(again.statusCode).toBe(409);
      expect(again.json().reason).toBe('objection_decided');
      expect(state()).toEqual(after);
    });

    it('upheld: the claim is closed as objection_upheld', async () => {
      const { id, claimId } = await filed('not_my_loan');
      const res = await decide(id, { outcome: 'upheld', reasons: '经核实，该笔借款系他人冒用身份办理。' });
      expect(res.statusCode).toBe(200);
      expect(claimOf(claimId)).toMatchObject({ stage: 'closed', status: 'objection_upheld', hold: null });
      expect(lastActions(claimId, 2).map((e) => e.action)).toEqual(['objection_decided', 'uphold_objection']);
    });

    it('upheld with new amounts: the amounts are reduced (an event holds before and after) and the hold released', async () => {
      const { id, claimId } = await filed('rate_above_cap');
      const before = claimOf(claimId);
      const res = await decide(id, {
        outcome: 'upheld',
        reasons: '超过法定利率上限部分不予支持。',
        newAmounts: { interestFen: 0, penaltyFen: 0 },
      });
      expect(res.statusCode).toBe(200);
      const after = claimOf(claimId);
      expect(after).toMatchObject({
        stage: before.stage,
        status: before.status,
        hold: null,
        principal_fen: before.principal_fen,
        interest_fen: 0,
        penalty_fen: 0,
        fees_fen: before.fees_fen,
      });
      expect(after.above_cap_fen).toBeLessThanOrEqual(before.fees_fen);
      const reduced = one<{ data: string }>(
        "select data from claim_events where claim_id = ? and action = 'amounts_reduced'",
        claimId,
      );
      expect(JSON.parse(reduced.data)).toMatchObject({
        objectionId: id,
        before: { interestFen: before.interest_fen, penaltyFen: before.penalty_fen },
        after: { interestFen: 0, penaltyFen: 0, principalFen: before.principal_fen },
      });
      expect(lastActions(claimId, 3).map((e) => e.action)).toEqual([
        'objection_decided',
        'amounts_reduced',
        'release_hold',
      ]);
      const chain = await t.app.inject({
        method: 'GET',
        url: `/api/claims/${claimId}/events`,
        headers: await t.as('mediator1'),
      });
      expect(chain.json().chain.valid).toBe(true);
    });

    it('partially upheld: needs new amounts that only go down', async () => {
      const { id, claimId } = await filed();
      const c = claimOf(claimId);
      const before = state();
      const missing = await decide(id, { outcome: 'partially_upheld', reasons: '部分成立' });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().fields[0].field).toBe('/body/newAmounts');
      const up = await decide(id, {
        outcome: 'partially_upheld',
        reasons: '部分成立',
        newAmounts: { principalFen: c.principal_fen + 1 },
      });
      expect(up.statusCode).toBe(400);
      expect(up.json().fields[0].field).toBe('/body/newAmounts/principalFen');
      const same = await decide(id, {
        outcome: 'partially_upheld',
        reasons: '部分成立',
        newAmounts: { principalFen: c.principal_fen },
      });
      expect(same.statusCode).toBe(400);
      expect(
        (await decide(id, { outcome: 'partially_upheld', reasons: '部分成立', newAmounts: { principalFen: -1 } }))
          .statusCode,
      ).toBe(400);
      expect((await decide(id, { outcome: 'partially_upheld', reasons: '部分成立', newAmounts: {} })).statusCode).toBe(
        400,
      );
      expect(state()).toEqual(before);
      expect(claimOf(claimId).hold).toBe('objection');

      const ok = await decide(id, {
        outcome: 'partially_upheld',
        reasons: '罚息部分予以减免。',
        newAmounts: { penaltyFen: Math.floor(c.penalty_fen / 2) },
      });
      expect(ok.statusCode).toBe(200);
      expect(claimOf(claimId)).toMatchObject({
        hold: null,
        penalty_fen: Math.floor(c.penalty_fen / 2),
        interest_fen: c.interest_fen,
      });
    });

    it('the creditor may concede and comment, never reject: that is for the mediator or the court', async () => {
      const { id, claimId } = await filed();
      const own =
        one<{ code: string }>(
          'select o.code from claims c join organisations o on o.id = c.creditor_org_id where c.id = ?',
          claimId,
        ).code === 'CRED-A'
          ? 'creditor1'
          : 'creditor2';
      const before = state();
      for (const body of [
        { outcome: 'rejected', reasons: '证据不足' },
        { outcome: 'partially_upheld', reasons: '部分成立', newAmounts: { interestFen: 0 } },
      ]) {
        const res = await decide(id, body, own);
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ code: 'forbidden', reason: 'decision_reserved' });
        expect(res.json().detail).toMatch(/mediator or the court/);
      }
      const comment = (who: string, payload: unknown) =>
        t.as(who).then((headers) =>
          t.app.inject({
            method: 'POST',
            url: `/api/objections/${id}/comments`,
            headers,
            payload: payload as object,
          }),
        );
      expect((await comment(own, { text: '   ' })).statusCode).toBe(400);
      expect((await comment(own === 'creditor1' ? 'creditor2' : 'creditor1', { text: '不认可' })).statusCode).toBe(404);
      expect(state()).toEqual(before);

      const remark = await comment(own, { text: '  合同原件可供核对。 ' });
      expect(remark.statusCode).toBe(201);
      expect(remark.json()).toMatchObject({ objectionId: id, claimId, text: '合同原件可供核对。' });
      expect(lastActions(claimId, 1)).toEqual([
        { action: 'objection_commented', actor_kind: 'creditor', to_hold: 'objection' },
      ]);
      expect(claimOf(claimId).hold).toBe('objection');

      const conceded = await decide(id, { outcome: 'upheld', reasons: '经核实，同意债务人的异议。' }, own);
      expect(conceded.statusCode).toBe(200);
      expect(claimOf(claimId)).toMatchObject({ stage: 'closed', status: 'objection_upheld' });
      expect((await comment(own, { text: '补充' })).statusCode).toBe(409);
      const chain = await t.app.inject({
        method: 'GET',
        url: `/api/claims/${claimId}/events`,
        headers: await t.as(own),
      });
      expect(chain.json().chain).toEqual({ valid: true });
    });

    it('another creditor cannot answer (404), nor can a debtor (403)', async () => {
      const { id, claimId, headers } = await filed();
      const code = one<{ code: string }>(
        'select o.code from claims c join organisations o on o.id = c.creditor_org_id where c.id = ?',
        claimId,
      ).code;
      const before = state();
      expect(
        (await decide(id, { outcome: 'rejected', reasons: 'x' }, code === 'CRED-A' ? 'creditor2' : 'creditor1'))
          .statusCode,
      ).toBe(404);
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: `/api/objections/${id}/decision`,
            headers,
            payload: { outcome: 'upheld', reasons: 'x' },
          })
        ).statusCode,
      ).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: '/api/objections', headers })).statusCode).toBe(403);
      expect(state()).toEqual(before);
    });
  });
});
