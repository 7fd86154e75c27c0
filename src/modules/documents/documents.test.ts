/**
 * Documents against the real app: generation of every kind with its text checked in the PDF, the
 * registry, verification, templates, tenancy, the debtor's download and batch generation.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { COURT_WORDING, DOCUMENT_KINDS, type DocumentKind, KIND_RULES } from '../../domain/document-kinds.js';
import { maskIdNumber } from '../../domain/id-number.js';
import { formatYuan, rmbCapitals } from '../../domain/money.js';
import { multipart } from '../../testing/multipart.js';
import { pdfColours, pdfText } from '../../testing/pdf-text.js';
import { readProgress } from '../../testing/progress-socket.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { newToken, sha256 } from '../auth/tokens.js';
import { accessCodeHash } from '../claims/access-codes.js';
import { appendClaimEvent } from '../claims/events.js';
import type { DocumentView, JobDetail } from './schemas.js';

const SEAL_RED = '#c8102e';
/** Where the issuance table lets each kind be made (domain/document-issuance.ts). */
const ISSUED_AT: Record<DocumentKind, [string, string]> = {
  demand_letter: ['people_mediation', 'notified'],
  mediation_notice: ['people_mediation', 'notified'],
  litigation_risk_notice: ['people_mediation', 'notified'],
  mediation_agreement: ['people_mediation', 'agreed'],
  judicial_confirmation_application: ['people_mediation', 'agreed'],
  complaint: ['litigation', 'filed'],
  enforcement_application: ['litigation', 'judged'],
  credit_repair_certificate: ['credit_repair', 'certified'],
};
/** Claims where mediation is open: a demand letter or a notice may be made for them. */
const OPEN = "c.stage = 'people_mediation' and c.status in ('awaiting_contact', 'notified', 'in_session')";
const sha256Bytes = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface ClaimRow {
  id: number;
  debtor_id: number;
  principal_fen: number;
  interest_fen: number;
  penalty_fen: number;
  fees_fen: number;
  above_cap_fen: number;
  contract_no: string;
  court_org_id: number;
}

describe('documents', () => {
  let t: TestApp;
  const sqlite = () => t.database.sqlite;
  const get = <T>(q: string, ...args: unknown[]) =>
    sqlite()
      .prepare(q)
      .get(...args) as T;
  const all = <T>(q: string, ...args: unknown[]) =>
    sqlite()
      .prepare(q)
      .all(...args) as T[];
  const counts = () => ({
    documents: get<{ n: number }>('select count(*) n from documents').n,
    events: get<{ n: number }>('select count(*) n from claim_events').n,
    accessCodes: get<{ n: number }>('select count(*) n from access_codes').n,
    templates: get<{ n: number }>('select count(*) n from templates').n,
    files: fs.existsSync(path.join(t.dataDir, 'files'))
      ? fs.readdirSync(path.join(t.dataDir, 'files'), { recursive: true }).filter((f) => String(f).includes('/')).length
      : 0,
  });

  /** Claims of a demo creditor, by position; `skip` picks a later one so that tests use claims of their own. */
  const claimOf = (creditor: 'CRED-A' | 'CRED-B', where: string, skip = 0) =>
    get<ClaimRow>(
      `select c.* from claims c join organisations o on o.id = c.creditor_org_id where o.code = ? and ${where} order by c.id limit 1 offset ?`,
      creditor,
      skip,
    );
  const debtorOf = (claim: ClaimRow) => {
    const row = get<{ name: string; id_number_enc: string; address_enc: string }>(
      'select name, id_number_enc, address_enc from debtors where id = ?',
      claim.debtor_id,
    );
    return {
      name: row.name,
      idNumber: t.crypto.decrypt(row.id_number_enc),
      address: t.crypto.decrypt(row.address_enc),
    };
  };
  const claimedFen = (c: ClaimRow) => c.principal_fen + c.interest_fen + c.penalty_fen + c.fees_fen - c.above_cap_fen;

  const generate = async (user: string, claimId: number, kind: DocumentKind, extra: Record<string, unknown> = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/api/claims/${claimId}/documents`,
      headers: await t.as(user),
      payload: { kind, ...extra },
    });
  const pdfOf = async (headers: Record<string, string>, id: number) =>
    t.app.inject({ method: 'GET', url: `/api/documents/${id}/pdf`, headers });
  /** Bearer headers of a fresh debtor session, as the portal's sign-in makes one. */
  const debtorSession = (debtorId: number) => {
    const token = newToken();
    sqlite()
      .prepare('insert into auth_sessions (token_hash, debtor_id, created_at, expires_at) values (?, ?, ?, ?)')
      .run(sha256(token), debtorId, Date.parse('2026-01-01'), Date.parse('2027-01-01'));
    return { authorization: `Bearer ${token}` };
  };

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('every kind', () => {
    let claim: ClaimRow;
    const made = new Map<DocumentKind, { doc: DocumentView; text: string; pages: number; colours: Set<string> }>();

    beforeAll(async () => {
      claim = claimOf('CRED-A', OPEN);
      const now = Date.parse('2026-11-18T03:00:00Z');
      // An agreement with three instalments, and a court case for the enforcement application.
      const settlement = sqlite()
        .prepare(
          "insert into settlements (debtor_id, kind, total_fen, hardship, status, agreed_at, created_at) values (?, 'instalments', 600000, 0, 'agreed', ?, ?)",
        )
        .run(claim.debtor_id, now, now).lastInsertRowid;
      sqlite()
        .prepare('insert into settlement_claims (settlement_id, claim_id) values (?, ?)')
        .run(settlement, claim.id);
      for (const [seq, due, fen] of [
        [1, '2026-12-20', 200000],
        [2, '2027-01-20', 200000],
        [3, '2027-02-20', 200000],
      ] as const) {
        sqlite()
          .prepare(
            "insert into instalments (settlement_id, seq, due_date, amount_fen, status) values (?, ?, ?, ?, 'pending')",
          )
          .run(settlement, seq, due, fen);
      }
      sqlite()
        .prepare(
          "insert into court_cases (claim_id, court_org_id, kind, case_no, status, filed_on, decided_on, outcome, created_at) values (?, ?, 'judgment', '（2026）闽0502民初1234号', 'granted', '2026-06-01', '2026-09-15', 'won', ?)",
        )
        .run(claim.id, claim.court_org_id, now);

      // The certificate needs the court's certify_repair on the claim's chain.
      appendClaimEvent(t.db, {
        claimId: claim.id,
        action: 'certify_repair',
        from: { stage: 'credit_repair', status: 'approved', hold: null },
        to: { stage: 'credit_repair', status: 'certified', hold: null },
        actor: { kind: 'court', id: null, name: 'court' },
        at: new Date(now),
      });

      for (const kind of DOCUMENT_KINDS) {
        // Each kind is made where the issuance table allows it.
        const [stage, status] = ISSUED_AT[kind];
        sqlite()
          .prepare('update claims set stage = ?, status = ?, enforceable_title = ? where id = ?')
          .run(stage, status, kind === 'enforcement_application' ? 1 : 0, claim.id);
        const user = KIND_RULES[kind].issuer === 'creditor' ? 'creditor1' : 'mediator1';
        const res = await generate(user, claim.id, kind);
        expect(res.statusCode, `${kind}: ${res.body}`).toBe(201);
        const doc = res.json() as DocumentView;
        const pdf = await pdfOf(await t.as(user), doc.id);
        expect(pdf.statusCode).toBe(200);
        expect(pdf.headers['content-type']).toBe('application/pdf');
        made.set(kind, { doc, ...(await pdfText(pdf.rawPayload)), colours: await pdfColours(pdf.rawPayload) });
      }
    });

    it('prints the debtor, the number, the verification code and link, and the title of each kind', () => {
      const { name } = debtorOf(claim);
      for (const kind of DOCUMENT_KINDS) {
        const { doc, text } = made.get(kind)!;
        expect(doc.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(doc.verifyCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
        for (const s of [
          name,
          doc.docNo,
          doc.verifyCode,
          `${t.config.publicUrl}/verify/${doc.verifyCode}`,
          KIND_RULES[kind].title,
        ])
          expect(text, `${kind} shows ${s}`).toContain(s);
      }
    });

    it('writes the amounts in figures and in capitals', () => {
      const claimed = claimedFen(claim);
      for (const kind of DOCUMENT_KINDS.filter((k) => k !== 'judicial_confirmation_application')) {
        const { text } = made.get(kind)!;
        expect(text, kind).toContain(formatYuan(claimed));
        expect(text, kind).toContain(rmbCapitals(claimed));
      }
      const confirmation = made.get('judicial_confirmation_application')!.text;
      expect(confirmation).toContain('人民币陆仟元整（¥6,000.00）');
      expect(made.get('demand_letter')!.text).toMatch(/^催告函/);
    });

    it("breaks the complaint's amounts down and marks the part above the legal cap as not claimed", () => {
      const text = made.get('complaint')!.text;
      for (const fen of [claim.principal_fen, claim.interest_fen, claim.penalty_fen, claim.fees_fen])
        expect(text).toContain(`${formatYuan(fen)}${rmbCapitals(fen)}`);
      if (claim.above_cap_fen > 0)
        expect(text).toContain(
          `减：超过法定利率上限部分（不予主张）${formatYuan(claim.above_cap_fen)}${rmbCapitals(claim.above_cap_fen)}`,
        );
      else expect(text).not.toContain('不予主张）');
      expect(text).toContain(`本案主张金额${formatYuan(claimedFen(claim))}`);
    });

    it('shows the full ID number and address on filings, only the masked number on notices', () => {
      const { idNumber, address } = debtorOf(claim);
      for (const kind of [
        'complaint',
        'mediation_agreement',
        'judicial_confirmation_application',
        'enforcement_application',
      ] as const)
        expect(made.get(kind)!.text, kind).toContain(idNumber);
      expect(made.get('complaint')!.text).toContain(address.replace(/\s+/g, ''));
      for (const kind of [
        'demand_letter',
        'mediation_notice',
        'litigation_risk_notice',
        'credit_repair_certificate',
      ] as const) {
        expect(made.get(kind)!.text, kind).not.toContain(idNumber);
        expect(made.get(kind)!.text, kind).toContain(maskIdNumber(idNumber));
      }
    });

    it('prints the instalment schedule on the agreement and the enforceable title on the enforcement application', () => {
      const agreement = made.get('mediation_agreement')!.text;
      // The schedule's table may go on over a page break (its header printed again).
      for (const row of ['第1期2026年12月20日', '第2期2027年1月20日', '第3期2027年2月20日'])
        expect(agreement).toContain(`${row}2,000.00人民币贰仟元整`);
      expect(made.get('enforcement_application')!.text).toContain(
        '（2026）闽0502民初1234号，于2026年9月15日发生法律效力',
      );
    });

    it('seals court and mediation documents; a demand letter has neither seal nor court wording', () => {
      const letter = made.get('demand_letter')!;
      expect(letter.colours.has(SEAL_RED)).toBe(false);
      for (const word of COURT_WORDING) expect(letter.text).not.toContain(word);
      for (const kind of ['mediation_notice', 'mediation_agreement', 'complaint'] as const)
        expect(made.get(kind)!.colours.has(SEAL_RED), kind).toBe(true);
    });

    it('prints a fresh portal access code on each debtor notice; the last one made is the one that works', () => {
      const portalKinds = DOCUMENT_KINDS.filter((k) => KIND_RULES[k].sections.includes('portal'));
      expect(portalKinds).toEqual([
        'demand_letter',
        'mediation_notice',
        'litigation_risk_notice',
        'credit_repair_certificate',
      ]);
      const codes = portalKinds.map((kind) => {
        const { text } = made.get(kind)!;
        const code = /访问码：?([2-9A-Z]{4}-[2-9A-Z]{4})/.exec(text)?.[1];
        expect(code).toBeTruthy();
        expect(text).toContain(`${t.config.publicUrl}/portal/?code=${code}`);
        return code!;
      });
      expect(new Set(codes).size).toBe(codes.length);
      const live = all<{ code_hash: string }>(
        'select code_hash from access_codes where claim_id = ? and revoked_at is null',
        claim.id,
      );
      expect(live).toEqual([{ code_hash: accessCodeHash(t.crypto, codes.at(-1)!) }]);
    });

    it('numbers documents per issuing organisation, kind and year', () => {
      expect(made.get('demand_letter')!.doc.docNo).toMatch(/^CRED-A-催告-2026-\d{6}$/);
      expect(made.get('mediation_notice')!.doc.docNo).toMatch(/^PMC-QZ-调通-2026-\d{6}$/);
      expect(made.get('mediation_notice')!.doc.issuer.name).toBe('泉州市鲤城区金融纠纷人民调解委员会');
    });

    it("records each document as an event on the claim's chain, with the template version it came from", async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/claims/${claim.id}/events`,
        headers: await t.as('creditor1'),
      });
      const { events, chain } = res.json() as {
        events: { action: string; data: Record<string, unknown> }[];
        chain: { valid: boolean };
      };
      expect(chain.valid).toBe(true);
      const generated = events.filter((e) => e.action === 'document.generated');
      expect(generated.map((e) => e.data.docNo).sort()).toEqual([...made.values()].map((m) => m.doc.docNo).sort());
      for (const { doc } of made.values()) expect(doc.templateVersion).toBe(1);
    });

    it("lists the claim's documents for its staff and its debtor, and lets the debtor download them", async () => {
      const list = await t.app.inject({
        method: 'GET',
        url: `/api/claims/${claim.id}/documents`,
        headers: await t.as('mediator2'),
      });
      expect((list.json() as DocumentView[]).map((d) => d.kind).sort()).toEqual([...DOCUMENT_KINDS].sort());
      const debtor = debtorSession(claim.debtor_id);
      const doc = made.get('mediation_notice')!.doc;
      const own = await pdfOf(debtor, doc.id);
      expect(own.statusCode).toBe(200);
      expect(sha256Bytes(own.rawPayload)).toBe(doc.sha256);
      expect(
        (await t.app.inject({ method: 'GET', url: `/api/claims/${claim.id}/documents`, headers: debtor })).statusCode,
      ).toBe(200);
      const stranger = get<{ id: number }>(
        'select debtor_id id from claims where debtor_id <> ? limit 1',
        claim.debtor_id,
      );
      expect((await pdfOf(debtorSession(stranger.id), doc.id)).statusCode).toBe(404);
    });
  });

  describe('registry', () => {
    it('returns the existing document for the same kind, and a new version only when asked', async () => {
      const claim = claimOf('CRED-A', OPEN, 1);
      const first = await generate('creditor1', claim.id, 'demand_letter');
      expect(first.statusCode).toBe(201);
      const again = await generate('creditor1', claim.id, 'demand_letter');
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(first.json());
      const second = await generate('creditor1', claim.id, 'demand_letter', { newVersion: true });
      expect(second.statusCode).toBe(201);
      expect(second.json()).toMatchObject({ version: 2 });
      expect(second.json().docNo).not.toBe(first.json().docNo);
      expect(second.json().verifyCode).not.toBe(first.json().verifyCode);
      const verified = await t.app.inject({ method: 'GET', url: `/verify/${first.json().verifyCode}` });
      expect(verified.json()).toMatchObject({ version: 1, superseded: true });
      expect(
        get<{ n: number }>("select count(*) n from documents where claim_id = ? and kind = 'demand_letter'", claim.id)
          .n,
      ).toBe(2);
    });

    it('makes one document when the same kind is asked for twice at once, and unique numbers for claims at once', async () => {
      const claims = [0, 1, 2, 3].map((i) => claimOf('CRED-A', OPEN, 10 + i));
      const [a, b] = await Promise.all([
        generate('creditor1', claims[0]!.id, 'demand_letter'),
        generate('creditor1', claims[0]!.id, 'demand_letter'),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
      expect(a.json().id).toBe(b.json().id);
      const many = await Promise.all(claims.slice(1).map((c) => generate('creditor1', c.id, 'demand_letter')));
      const serials = many.map((r) => Number(/(\d{6})$/.exec(r.json().docNo)![1])).sort((x, y) => x - y);
      expect(new Set(serials).size).toBe(3);
      expect(serials[2]! - serials[0]!).toBe(2);
    });

    it('refuses a document the issuance table does not allow now, naming the rule, and writes nothing', async () => {
      // The case that started issue 15: a sealed "paid in full" certificate for a claim still in mediation.
      const open = claimOf('CRED-A', OPEN, 2);
      const before = counts();
      const repair = await generate('creditor1', open.id, 'credit_repair_certificate');
      expect(repair.statusCode).toBe(409);
      expect(repair.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(repair.json()).toMatchObject({ code: 'document_not_allowed', reason: 'repair_after_certify_repair' });
      expect(repair.json().detail).toContain('rule repair_after_certify_repair');
      expect(repair.json().detail).toContain('credit_repair/certified');
      // Agreed, but no settlement is on record: an agreement states terms that do not exist.
      const agreed = claimOf('CRED-A', OPEN, 20);
      sqlite().prepare("update claims set status = 'agreed' where id = ?").run(agreed.id);
      const agreement = await generate('mediator1', agreed.id, 'mediation_agreement');
      expect(agreement.statusCode).toBe(409);
      expect(agreement.json()).toMatchObject({ code: 'document_not_allowed', reason: 'agreement_after_agree' });
      expect(agreement.json().detail).toContain('an agreed settlement of the claim');
      const complaint = await generate('creditor1', open.id, 'complaint', { newVersion: true });
      expect(complaint.json()).toMatchObject({ code: 'document_not_allowed', reason: 'complaint_at_file_suit' });
      expect(counts()).toEqual(before);
    });

    it('lets only the issuing organisation generate a kind', async () => {
      const claim = claimOf('CRED-A', OPEN, 3);
      const before = counts();
      const res = await generate('creditor1', claim.id, 'mediation_notice');
      expect(res.statusCode).toBe(403);
      expect(res.json().reason).toBe('not_issuer');
      expect((await generate('mediator1', claim.id, 'complaint')).statusCode).toBe(403);
      expect(counts()).toEqual(before);
    });

    it("keeps creditors apart: another creditor's claim and documents are not found", async () => {
      const claim = claimOf('CRED-A', OPEN, 4);
      const doc = (await generate('creditor1', claim.id, 'demand_letter')).json() as DocumentView;
      const before = counts();
      expect((await generate('creditor2', claim.id, 'demand_letter')).statusCode).toBe(404);
      expect((await pdfOf(await t.as('creditor2'), doc.id)).statusCode).toBe(404);
      expect(
        (
          await t.app.inject({
            method: 'GET',
            url: `/api/claims/${claim.id}/documents`,
            headers: await t.as('creditor2'),
          })
        ).statusCode,
      ).toBe(404);
      expect(counts()).toEqual(before);
      expect((await pdfOf(await t.as('creditor1'), doc.id)).statusCode).toBe(200);
    });
  });

  describe('verification', () => {
    let doc: DocumentView;
    let bytes: Buffer;

    beforeAll(async () => {
      const claim = claimOf('CRED-B', OPEN);
      doc = (await generate('creditor2', claim.id, 'demand_letter')).json() as DocumentView;
      bytes = (await pdfOf(await t.as('creditor2'), doc.id)).rawPayload;
    });

    it('says a code is genuine, with kind, number, issuer and date but no personal data', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/verify/${doc.verifyCode}` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        status: 'genuine',
        genuine: true,
        revokedOn: null,
        revokedOnText: null,
        kind: 'demand_letter',
        title: '催告函',
        docNo: doc.docNo,
        issuer: '刺桐小额贷款有限公司',
        issuedOn: '2026-11-20',
        issuedOnText: '2026年11月20日',
        version: 1,
        superseded: false,
        signature: null,
      });
      // Typed as people read it off paper: lower case, with a dash, O for 0.
      const typed = `${doc.verifyCode.slice(0, 5)}-${doc.verifyCode.slice(5)}`.toLowerCase().replace(/0/g, 'o');
      expect((await t.app.inject({ method: 'GET', url: `/verify/${encodeURIComponent(typed)}` })).json().docNo).toBe(
        doc.docNo,
      );
    });

    it('shows browsers a Chinese page, with no personal data', async () => {
      const claim = get<{ debtor_id: number }>('select debtor_id from claims where id = ?', doc.claimId);
      const res = await t.app.inject({
        method: 'GET',
        url: `/verify/${doc.verifyCode}`,
        headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
      });
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('该核验码对应一份由本平台登记的真实文书');
      expect(res.body).toContain(doc.docNo);
      const { name } = get<{ name: string }>('select name from debtors where id = ?', claim.debtor_id);
      expect(res.body).not.toContain(name);
      const unknown = await t.app.inject({
        method: 'GET',
        url: '/verify/ZZZZZZZZZZ',
        headers: { accept: 'text/html' },
      });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.body).toContain('未找到与该核验码对应的文书');
    });

    it('answers 404 for a code that does not exist, of any length', async () => {
      for (const code of ['ZZZZZZZZZZ', `${doc.verifyCode.slice(0, 9)}`, `${doc.verifyCode}X`, 'x']) {
        const res = await t.app.inject({ method: 'GET', url: `/verify/${code}` });
        expect(res.statusCode, code).toBe(404);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.json().code).toBe('not_found');
      }
    });

    it('confirms an uploaded PDF is unaltered, as multipart or as a PDF body', async () => {
      const form = multipart({}, { filename: 'letter.pdf', content: bytes, type: 'application/pdf' });
      const viaForm = await t.app.inject({ method: 'POST', url: `/verify/${doc.verifyCode}`, ...form });
      expect(viaForm.json()).toMatchObject({
        genuine: true,
        unaltered: true,
        docNo: doc.docNo,
        uploadedSha256: doc.sha256,
      });
      const viaBody = await t.app.inject({
        method: 'POST',
        url: `/verify/${doc.verifyCode}`,
        headers: { 'content-type': 'application/pdf' },
        payload: bytes,
      });
      expect(viaBody.json()).toMatchObject({ unaltered: true });
    });

    it('says an altered PDF is not the registered one', async () => {
      const altered = Buffer.from(bytes);
      altered[Math.floor(altered.length / 2)]! ^= 0x01;
      const res = await t.app.inject({
        method: 'POST',
        url: `/verify/${doc.verifyCode}`,
        headers: { 'content-type': 'application/pdf' },
        payload: altered,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ genuine: true, unaltered: false });
      const page = await t.app.inject({
        method: 'POST',
        url: `/verify/${doc.verifyCode}`,
        headers: { 'content-type': 'application/pdf', accept: 'text/html' },
        payload: altered,
      });
      expect(page.body).toContain('可能已被改动');
    });

    it('answers 404 for an upload against an unknown code, and refuses a body that is not a PDF', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/verify/ZZZZZZZZZZ',
        headers: { 'content-type': 'application/pdf' },
        payload: bytes,
      });
      expect(res.statusCode).toBe(404);
      const json = await t.app.inject({ method: 'POST', url: `/verify/${doc.verifyCode}`, payload: { file: 'x' } });
      expect(json.statusCode).toBe(415);
      const noFile = await t.app.inject({
        method: 'POST',
        url: `/verify/${doc.verifyCode}`,
        ...multipart({ note: 'x' }),
      });
      expect(noFile.statusCode).toBe(400);
    });
  });

  describe('templates', () => {
    const put = async (user: string, kind: string, body: string, asJson = false) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/templates/${kind}`,
        headers: { ...(await t.as(user)), 'content-type': asJson ? 'application/json' : 'text/plain; charset=utf-8' },
        payload: asJson ? JSON.stringify({ body }) : body,
      });
    const builtIn = fs.readFileSync(path.resolve('templates/demand_letter.hbs'), 'utf8');

    it('refuses a template with a syntax error, an unknown variable or a missing required field, naming it, and stores nothing', async () => {
      const before = counts();
      const syntax = await put('creditor1', 'demand_letter', builtIn.replace('{{/if}}', '{{/each}}'));
      expect(syntax.statusCode).toBe(422);
      expect(syntax.json()).toMatchObject({ code: 'unprocessable', reason: 'syntax' });
      expect(syntax.json().detail).toMatch(/line \d+: Handlebars syntax error/);

      const unknown = await put(
        'creditor1',
        'demand_letter',
        builtIn.replace('{{claim.contractNo}}', '{{claim.contractNumber}}'),
        true,
      );
      expect(unknown.json()).toMatchObject({ reason: 'unknown_placeholder' });
      expect(unknown.json().fields).toContainEqual({
        field: '/body/template/claim.contractNumber',
        message: expect.stringMatching(/^line \d+: unknown placeholder \{\{claim\.contractNumber\}\}/),
      });

      const missing = await put('creditor1', 'demand_letter', builtIn.replaceAll('{{doc.verifyUrl}}', '本平台'));
      expect(missing.json()).toMatchObject({ reason: 'missing_required_field' });
      expect(missing.json().detail).toContain('{{doc.verifyUrl}}');

      const court = await put(
        'creditor1',
        'demand_letter',
        builtIn.replace('@p 特此函告。', '@p 特此函告，本函视同法院通知。'),
      );
      expect(court.json()).toMatchObject({ reason: 'court_wording' });
      expect(counts()).toEqual(before);
    });

    it('renders a specimen PDF of a template text with sample data, checked like an upload, and stores nothing', async () => {
      const before = counts();
      const preview = async (body: string, user = 'admin') =>
        t.app.inject({
          method: 'POST',
          url: '/api/templates/demand_letter/preview',
          headers: { ...(await t.as(user)), 'content-type': 'text/plain; charset=utf-8' },
          payload: body,
        });
      const own = builtIn.replace('@p 特此函告。', '@p 特此函告。样张测试语句。');
      const ok = await preview(own);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.headers['content-type']).toBe('application/pdf');
      const { text } = await pdfText(ok.rawPayload);
      expect(text).toContain('样张测试语句');
      expect(text).toContain('核验码：样张');
      const bad = await preview(builtIn.replace('{{claim.contractNo}}', '{{claim.contractNumber}}'));
      expect(bad.statusCode).toBe(422);
      expect(bad.json()).toMatchObject({ reason: 'unknown_placeholder' });
      expect((await preview(own, 'clerk1')).statusCode).toBe(403);
      expect(counts()).toEqual(before);
    });

    it("takes an organisation's own version, uses it for its documents only, and records the version on each", async () => {
      const own = builtIn.replace('@p 特此函告。', '@p 特此函告。本函由法务部出具。');
      const res = await put('creditor1', 'demand_letter', own);
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ kind: 'demand_letter', version: 1, scope: 'organisation' });
      expect((await put('creditor1', 'demand_letter', own)).statusCode).toBe(200);

      const view = await t.app.inject({
        method: 'GET',
        url: '/api/templates/demand_letter',
        headers: await t.as('creditor1'),
      });
      expect(view.json().effective).toMatchObject({ id: res.json().id, scope: 'organisation', body: own });
      expect(
        view
          .json()
          .versions.map((v: { scope: string }) => v.scope)
          .sort(),
      ).toEqual(['organisation', 'platform']);
      expect(view.json().placeholders).toContainEqual({
        path: 'doc.verifyCode',
        label: '核验码',
        required: true,
        mayBeMissing: false,
      });

      const mine = claimOf('CRED-A', OPEN, 5);
      const doc = (await generate('creditor1', mine.id, 'demand_letter')).json() as DocumentView;
      expect(doc).toMatchObject({ templateId: res.json().id, templateVersion: 1 });
      expect((await pdfText((await pdfOf(await t.as('creditor1'), doc.id)).rawPayload)).text).toContain(
        '本函由法务部出具',
      );

      const theirs = claimOf('CRED-B', OPEN, 1);
      const other = (await generate('creditor2', theirs.id, 'demand_letter')).json() as DocumentView;
      expect(other.templateId).not.toBe(res.json().id);
      expect((await pdfText((await pdfOf(await t.as('creditor2'), other.id)).rawPayload)).text).not.toContain(
        '本函由法务部出具',
      );
    });

    it('lets the administrator add a platform version, and refuses a kind the organisation does not issue', async () => {
      const notice = fs.readFileSync(path.resolve('templates/mediation_notice.hbs'), 'utf8');
      const admin = await put('admin', 'mediation_notice', notice.replace('调解遵循自愿', '调解坚持自愿'));
      expect(admin.json()).toMatchObject({ scope: 'platform', version: 2 });
      const wrong = await put('mediator1', 'demand_letter', builtIn);
      expect(wrong.statusCode).toBe(422);
      expect(wrong.json().reason).toBe('not_issuer');
      expect((await put('clerk1', 'demand_letter', builtIn)).statusCode).toBe(403);
    });
  });

  describe('batch generation', () => {
    it('generates for every claim of the filter in worker threads, fails a claim missing a field alone, and makes one print file', async () => {
      const litigation = all<ClaimRow>(
        "select c.* from claims c join organisations o on o.id = c.creditor_org_id where o.code = 'CRED-A' and c.stage = 'litigation' order by c.id",
      );
      expect(litigation.length).toBeGreaterThanOrEqual(3);
      // One debtor has no address on file, which a complaint must give.
      const lacking = litigation[1]!;
      sqlite().prepare('update debtors set address_enc = null where id = ?').run(lacking.debtor_id);
      const failing = litigation.filter((c) => c.debtor_id === lacking.debtor_id).map((c) => c.id);

      const headers = await t.as('creditor1');
      const start = await t.app.inject({
        method: 'POST',
        url: '/api/documents/batch',
        headers,
        payload: { kind: 'complaint', filter: { stage: 'litigation' } },
      });
      expect(start.statusCode).toBe(202);
      const jobId = start.json().jobId as number;
      expect(start.json()).toMatchObject({ id: jobId, status: 'running', total: litigation.length });

      // A real socket on a listening server: progress is pushed while the job runs.
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = t.app.server.address() as AddressInfo;
      const frames: { type: string; job: { status: string; done: number; failed: number } }[] = [];
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/documents/jobs/${jobId}`, { headers });
      await new Promise<void>((resolve, reject) => {
        ws.on('message', (m) => frames.push(JSON.parse(String(m))));
        ws.on('close', () => resolve());
        ws.on('error', reject);
      });
      expect(frames[0]).toMatchObject({ type: 'snapshot', job: { status: 'running' } });
      expect(frames.some((f) => f.type === 'progress')).toBe(true);
      const last = frames[frames.length - 1]!;
      expect(last.type).toBe('finished');
      expect(last.job).toMatchObject({
        status: 'done',
        done: litigation.length - failing.length,
        failed: failing.length,
      });

      const job = (
        await t.app.inject({ method: 'GET', url: `/api/documents/jobs/${jobId}`, headers })
      ).json() as JobDetail;
      expect(job.items.filter((i) => i.status === 'failed').map((i) => i.claimId)).toEqual(failing);
      for (const item of job.items.filter((i) => i.status === 'failed'))
        expect(item.error).toContain('债务人住址 (debtor.address)');
      const done = job.items.filter((i) => i.status === 'done');
      expect(done).toHaveLength(litigation.length - failing.length);
      const onlyFailed = (
        await t.app.inject({ method: 'GET', url: `/api/documents/jobs/${jobId}?status=failed`, headers })
      ).json() as JobDetail;
      expect(onlyFailed.items.map((i) => i.claimId)).toEqual(failing);

      const print = await t.app.inject({ method: 'GET', url: job.printFile!, headers });
      expect(print.statusCode).toBe(200);
      const { text, pages } = await pdfText(print.rawPayload);
      expect(pages).toBeGreaterThanOrEqual(done.length);
      for (const item of done) expect(text).toContain(item.docNo!);
      // The font is embedded once for the whole print file: one regular and one bold subset.
      expect(print.rawPayload.toString('latin1').match(/\/FontFile3/g)).toHaveLength(2);
      const single = await pdfOf(headers, done[0]!.documentId!);
      expect(single.rawPayload.toString('latin1').match(/\/FontFile3/g)).toHaveLength(2);

      // Another creditor cannot see the job.
      expect(
        (await t.app.inject({ method: 'GET', url: `/api/documents/jobs/${jobId}`, headers: await t.as('creditor2') }))
          .statusCode,
      ).toBe(404);
      // Its progress socket says why it closes: the job is not found for them; a malformed id is refused before the upgrade.
      const socketUrl = `ws://127.0.0.1:${port}/ws/documents/jobs`;
      expect(await readProgress(`${socketUrl}/${jobId}`, await t.as('creditor2'))).toEqual({
        frames: [],
        code: 4404,
        reason: 'not_found',
      });
      expect(await readProgress(`${socketUrl}/abc`, headers)).toEqual({ status: 400 });

      // The same batch again finds the documents already made; there is nothing new to print.
      const again = await t.app.inject({
        method: 'POST',
        url: '/api/documents/batch',
        headers,
        payload: { kind: 'complaint', filter: { stage: 'litigation' } },
      });
      const againId = again.json().jobId as number;
      let summary = again.json();
      while (summary.status === 'running') {
        await new Promise((r) => setTimeout(r, 50));
        summary = (await t.app.inject({ method: 'GET', url: `/api/documents/jobs/${againId}`, headers })).json();
      }
      expect(summary).toMatchObject({
        status: 'done',
        done: 0,
        existing: done.length,
        failed: failing.length,
        printFile: null,
      });
      expect(
        (await t.app.inject({ method: 'GET', url: `/api/documents/jobs/${againId}/print.pdf`, headers })).statusCode,
      ).toBe(404);
    });

    it('fails each claim of a batch the issuance table does not allow, naming the rule, and makes nothing', async () => {
      const headers = await t.as('creditor1');
      const before = counts();
      const start = await t.app.inject({
        method: 'POST',
        url: '/api/documents/batch',
        headers,
        payload: { kind: 'credit_repair_certificate', filter: { stage: 'people_mediation', status: 'notified' } },
      });
      expect(start.statusCode).toBe(202);
      let job = start.json() as JobDetail;
      while (job.status === 'running') {
        await new Promise((r) => setTimeout(r, 50));
        job = (await t.app.inject({ method: 'GET', url: `/api/documents/jobs/${job.id}`, headers })).json();
      }
      expect(job).toMatchObject({ status: 'done', done: 0, existing: 0, printFile: null });
      expect(job.failed).toBeGreaterThan(0);
      for (const item of job.items) {
        expect(item.status).toBe('failed');
        expect(item.error).toContain('rule repair_after_certify_repair');
      }
      expect(counts()).toEqual(before);
    });

    it('refuses a kind the organisation does not issue and a filter that matches nothing', async () => {
      const headers = await t.as('mediator1');
      const wrong = await t.app.inject({
        method: 'POST',
        url: '/api/documents/batch',
        headers,
        payload: { kind: 'complaint', filter: {} },
      });
      expect(wrong.statusCode).toBe(403);
      const none = await t.app.inject({
        method: 'POST',
        url: '/api/documents/batch',
        headers,
        payload: { kind: 'mediation_notice', filter: { q: 'NO-SUCH-CONTRACT' } },
      });
      expect(none.statusCode).toBe(422);
      expect(none.json().reason).toBe('no_claims');
      const bad = await t.app.inject({
        method: 'POST',
        url: '/api/documents/batch',
        headers,
        payload: { kind: 'mediation_notice', filter: { limit: 5 } },
      });
      expect(bad.statusCode).toBe(400);
    });
  });
});
