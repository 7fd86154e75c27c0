/**
 * Filing lists (issue 16 item 4): the creditor puts its filed suits on a list for their court; the
 * list downloads as one ZIP with 立案清单.csv and, per suit, its 起诉状, its 证据目录 and the evidence
 * the index names; claims that cannot go on are left off with the reason, and nothing is written for
 * a request with none that can.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClaim } from '../../testing/factories.js';
import { pdfText } from '../../testing/pdf-text.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { zipEntries } from '../../testing/zip-entries.js';

type Row = Record<string, number | string | null>;

describe('filing lists for a court’s e-filing', () => {
  let t: TestApp;
  const one = (q: string, ...args: unknown[]) => t.database.sqlite.prepare(q).get(...args) as Row;
  const written = () =>
    one(
      `select (select count(*) from filing_lists) lists, (select count(*) from filing_list_claims) items,
              (select count(*) from claim_events) events, (select count(*) from documents) documents`,
    );
  const post = async (url: string, payload: object, who = 'creditor1') =>
    t.app.inject({ method: 'POST', url, headers: await t.as(who), payload });
  const get = async (url: string, who = 'creditor1') => t.app.inject({ url, headers: await t.as(who) });
  const version = (id: number) => Number(one('select version from claims where id = ?', id).version);
  const move = async (id: number, action: string, who: string) => {
    const res = await post(`/api/claims/${id}/transitions`, { action, version: version(id) }, who);
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  };

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('lists the filed suits of one court, leaves the others off with the reason, and archives them', async () => {
    // A suit with evidence: a demand letter issued in court mediation, then the mediation failed.
    const withEvidence = makeClaim(t, { at: 'escalated' }).claim;
    const letter = await post(`/api/claims/${withEvidence.id}/documents`, { kind: 'demand_letter' });
    expect(letter.statusCode, letter.body).toBe(201);
    // Service itself is the delivery module's (tested there); here the letter is on record as served.
    t.database.sqlite
      .prepare("update documents set service_method = 'electronic', served_at = ? where id = ?")
      .run(Date.parse('2026-11-10T03:00:00Z'), letter.json().id);
    await move(withEvidence.id, 'notify', 'clerk1');
    await move(withEvidence.id, 'fail', 'clerk1');
    await move(withEvidence.id, 'file_suit', 'creditor1');
    const plain = makeClaim(t, { at: 'filed' }).claim;
    const notFiled = makeClaim(t, { at: 'escalated' }).claim;
    const otherTenant = makeClaim(t, { at: 'filed', creditor: 'CRED-B' }).claim;

    const created = await post('/api/filing-lists', {
      claimIds: [withEvidence.id, notFiled.id, plain.id, otherTenant.id, 999_999],
    });
    expect(created.statusCode, created.body).toBe(201);
    const list = created.json();
    expect(list).toMatchObject({ court: { name: expect.stringContaining('法院') }, claimCount: 2 });
    expect(list.claims.map((c: { position: number; claimId: number }) => [c.position, c.claimId])).toEqual([
      [1, withEvidence.id],
      [2, plain.id],
    ]);
    expect(list.refused).toEqual([
      { claimId: notFiled.id, code: 'not_filed', detail: expect.stringContaining('court_mediation/') },
      { claimId: otherTenant.id, code: 'not_found', detail: expect.any(String) },
      { claimId: 999_999, code: 'not_found', detail: expect.any(String) },
    ]);
    expect(
      one("select count(*) n from claim_events where claim_id = ? and action = 'filing_list.added'", plain.id).n,
    ).toBe(1);

    // The creditor and the court see it; another creditor does not, a mediator may not ask.
    expect((await get(`/api/filing-lists/${list.id}`, 'clerk1')).json()).toMatchObject({ id: list.id, claimCount: 2 });
    expect((await get('/api/filing-lists', 'clerk1')).json().map((l: { id: number }) => l.id)).toContain(list.id);
    expect((await get(`/api/filing-lists/${list.id}`, 'creditor2')).statusCode).toBe(404);
    expect((await get(`/api/filing-lists/${list.id}/archive`, 'creditor2')).statusCode).toBe(404);
    expect((await get(`/api/filing-lists/${list.id}`, 'mediator1')).statusCode).toBe(403);

    const archive = await get(`/api/filing-lists/${list.id}/archive`, 'clerk1');
    expect(archive.statusCode, archive.body).toBe(200);
    expect(archive.headers['content-type']).toBe('application/zip');
    expect(String(archive.headers['content-disposition'])).toContain(encodeURIComponent('立案材料'));
    const entries = await zipEntries(archive.rawPayload);
    const first = `0001-${withEvidence.contractNo}`;
    const second = `0002-${plain.contractNo}`;
    const letterFile = [...entries.keys()].find((k) => k.startsWith(`${first}/证据2-催告函-`));
    expect([...entries.keys()].sort()).toEqual(
      [
        '立案清单.csv',
        `${first}/起诉状.pdf`,
        `${first}/证据目录.pdf`,
        letterFile,
        `${second}/起诉状.pdf`,
        `${second}/证据目录.pdf`,
      ].sort(),
    );

    const csv = entries.get('立案清单.csv')!.toString('utf8');
    expect(csv.startsWith('\ufeff序号,合同编号,被告,诉讼请求金额（元）,起诉状编号,核验码,案号,文件夹\r\n')).toBe(true);
    const complaints = t.database.sqlite
      .prepare("select claim_id, doc_no from documents where kind = 'complaint' order by claim_id")
      .all() as { claim_id: number; doc_no: string }[];
    expect(complaints.map((c) => c.claim_id)).toEqual([withEvidence.id, plain.id].sort((a, b) => a - b));
    const rows = csv.trim().split('\r\n').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(`2,${plain.contractNo},`);
    expect(rows[1]).toContain(complaints.find((c) => c.claim_id === plain.id)!.doc_no);

    const complaint = (await pdfText(entries.get(`${first}/起诉状.pdf`)!)).text;
    expect(complaint).toContain('起诉状');
    expect(complaint).toContain(withEvidence.contractNo);
    const index = (await pdfText(entries.get(`${first}/证据目录.pdf`)!)).text.replace(/\s+/g, '');
    for (const words of [
      '证据目录',
      withEvidence.contractNo,
      '案件流转记录',
      '哈希链校验完整',
      'file_suit',
      '已向被告送达',
    ])
      expect(index).toContain(words.replace(/\s+/g, ''));
    expect((await pdfText(entries.get(letterFile!)!)).text).toContain('催告');

    // Downloading again makes no second complaint.
    const again = await get(`/api/filing-lists/${list.id}/archive`);
    expect(again.statusCode).toBe(200);
    expect(one("select count(*) n from documents where kind = 'complaint'").n).toBe(2);
  });

  it('refuses a list with no suit that can go on it, and writes nothing', async () => {
    const listed = one('select claim_id from filing_list_claims order by list_id limit 1').claim_id as number;
    const escalated = makeClaim(t, { at: 'escalated' }).claim;
    const before = written();
    const refused = await post('/api/filing-lists', { claimIds: [listed, escalated.id] });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'unprocessable', reason: 'nothing_to_file' });
    expect(refused.json().detail).toContain('already on filing list');
    expect(written()).toEqual(before);

    for (const body of [{ claimIds: [] }, { claimIds: [listed, listed] }, { claimIds: ['1'] }, {}])
      expect((await post('/api/filing-lists', body)).statusCode).toBe(400);
    expect((await post('/api/filing-lists', { claimIds: [listed] }, 'clerk1')).statusCode).toBe(403);
    expect(written()).toEqual(before);
  });

  it('keeps each court’s suits on a list of their own', async () => {
    const a = makeClaim(t, { at: 'filed' }).claim;
    const b = makeClaim(t, { at: 'filed' }).claim;
    // The demo has one court: a second one takes b's suit.
    const court = one("select * from organisations where code = 'COURT-LC'");
    t.database.sqlite
      .prepare(
        "insert into organisations (kind, code, name, court_code, created_at) values ('court', 'COURT-X', '厦门市思明区人民法院', '闽0203', ?)",
      )
      .run(court.created_at);
    const second = one("select id from organisations where code = 'COURT-X'").id;
    t.database.sqlite
      .prepare("update court_cases set court_org_id = ? where claim_id = ? and kind = 'first_instance'")
      .run(second, b.id);
    const res = await post('/api/filing-lists', { claimIds: [a.id, b.id] });
    expect(res.statusCode).toBe(201);
    expect(res.json().claims.map((c: { claimId: number }) => c.claimId)).toEqual([a.id]);
    expect(res.json().refused).toEqual([
      { claimId: b.id, code: 'other_court', detail: expect.stringContaining('厦门市思明区人民法院') },
    ]);
  });
});
