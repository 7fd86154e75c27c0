/**
 * Printed notices read by tools that are not ours (issue 21): poppler's pdffonts and pdftotext, a
 * pdftoppm render decoded by jsQR. Rare characters of names print through the font chain; a
 * character no font has fails its document alone, naming it; every debtor notice carries the QR
 * code and the unbroken portal link; the seal's ring text is not text and its star spares the year.
 */
import jsQRModule from 'jsqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMON_FONT_FILES } from '../../adapters/pdf/font-files.js';
import { parseFontFile } from '../../adapters/pdf/fonts.js';
import { QrCapacityError, qrMatrix } from '../../adapters/pdf/qr.js';
import { ConfigError, loadConfig } from '../../config.js';
import { shanghaiDate } from '../../domain/dates.js';
import { makeClaim, type Person } from '../../testing/factories.js';
import { pdfFonts, pdfToText, pdfWords, renderPage, rgba, shareOf } from '../../testing/poppler.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createRng, sampleClaims } from '../admin/sample-claims.js';
import type { JobDetail } from './schemas.js';

// U+21484 is in no Source Han Sans SC (today an empty box); U+201D4 is; 堃 is outside GB2312.
const RARE_NAME = '陈𡒄';
const RARE_ADDRESS = '福建省泉州市丰泽区王𠇔巷堃喆里8号';

// jsqr is CommonJS: its module is the function its types call `default`.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

let seq = 0;
/** A new debtor with the given name and address. */
function person(t: TestApp, name: string, address: string): Person {
  const s = sampleClaims(createRng(104_729 + ++seq), 1, { asOf: shanghaiDate(t.clock.now()), prefix: `NP${seq}-` })[0]!;
  return { name, idNumber: s.idNumber, phone: s.phone, email: `np${seq}@example.cn`, address };
}

describe('printed notices', () => {
  let t: TestApp;
  let bare: TestApp;
  const count = (app: TestApp, table: string) =>
    (app.database.sqlite.prepare(`select count(*) n from ${table}`).get() as { n: number }).n;
  const generate = async (app: TestApp, user: string, claimId: number, kind: string) =>
    app.app.inject({
      method: 'POST',
      url: `/api/claims/${claimId}/documents`,
      headers: await app.as(user),
      payload: { kind },
    });
  const pdfOf = async (app: TestApp, user: string, id: number) =>
    (await app.app.inject({ method: 'GET', url: `/api/documents/${id}/pdf`, headers: await app.as(user) })).rawPayload;

  // Two apps: this one, and a deployment without an Extension B font. Starting both takes a while
  // on a loaded machine, so the hook has longer than the default.
  beforeAll(async () => {
    t = await createTestApp();
    bare = await createTestApp({ env: { DOCUMENT_EXTENDED_FONT: 'none' } });
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await bare.close();
  });

  it('prints every character of rare names and addresses, each font embedded as a subset', async () => {
    const { claimId } = makeClaim(t, { person: person(t, RARE_NAME, RARE_ADDRESS) });
    const letter = await generate(t, 'creditor1', claimId, 'demand_letter');
    expect(letter.statusCode).toBe(201);
    const pdf = await pdfOf(t, 'creditor1', letter.json().id);
    const fontNames = (p: Buffer) => pdfFonts(p).map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
    // The common characters from the subset, 𡒄 from the Ext-B font: the full font is not needed.
    expect(fontNames(pdf).sort()).toEqual(['HanaMinB', 'LMPSansSCCommon-Bold', 'LMPSansSCCommon-Regular']);
    for (const f of pdfFonts(pdf)) expect(f).toMatchObject({ embedded: true, subset: true, unicode: true });
    expect(pdfToText(pdf).replace(/\s+/g, '')).toContain(`${RARE_NAME}（身份证号：`);
    renderPage(pdf, 'demand-letter-ext-b-name');

    // 𠇔 is outside the common set but in the full Source Han Sans.
    const other = makeClaim(t, { person: person(t, '王𠇔', RARE_ADDRESS) });
    const second = await generate(t, 'mediator1', other.claimId, 'mediation_notice');
    expect(second.statusCode).toBe(201);
    const notice = await pdfOf(t, 'mediator1', second.json().id);
    expect(fontNames(notice).sort()).toEqual([
      'LMPSansSCCommon-Bold',
      'LMPSansSCCommon-Regular',
      'SourceHanSansSC-Regular',
    ]);
    expect(pdfToText(notice).replace(/\s+/g, '')).toContain('王𠇔（身份证号：');
  });

  it('prints on every debtor notice a QR code of the portal link with its access code, and the link on one line', async () => {
    for (const [kind, user] of [
      ['demand_letter', 'creditor1'],
      ['mediation_notice', 'mediator1'],
      ['litigation_risk_notice', 'mediator1'],
    ] as const) {
      const { claimId } = makeClaim(t);
      const res = await generate(t, user, claimId, kind);
      expect(res.statusCode).toBe(201);
      const pdf = await pdfOf(t, user, res.json().id);
      // The box ends the notice: on its last page.
      const last = pdfToText(pdf)
        .split('\f')
        .filter((p) => p.trim()).length;
      const page = renderPage(pdf, `${kind}-portal`, last);
      const qr = jsQR(rgba(page), page.width, page.height);
      expect(qr?.data).toMatch(
        new RegExp(`^${t.config.publicUrl}/portal/\\?code=[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$`),
      );
      // The printed link is the QR's, whole on one line.
      const lines = pdfToText(pdf).split('\n');
      const withLink = lines.filter((l) => l.includes(`${t.config.publicUrl}/portal/`));
      expect(withLink.length).toBeGreaterThanOrEqual(1);
      for (const l of withLink) expect(l).toContain(qr!.data);
      // And its access code is the claim's current one: the portal takes it.
      const code = new URL(qr!.data).searchParams.get('code')!;
      const idNumber = t.crypto.decrypt(
        (
          t.database.sqlite
            .prepare('select d.id_number_enc e from claims c join debtors d on d.id = c.debtor_id where c.id = ?')
            .get(claimId) as { e: string }
        ).e,
      );
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/debtor/login',
        payload: { accessCode: code, idSuffix: idNumber.slice(-6) },
      });
      expect(login.statusCode).toBe(200);
    }
  });

  it('draws the seal so that its ring text is no text and its star covers no digit of the year', async () => {
    const { claimId } = makeClaim(t);
    const res = await generate(t, 'mediator1', claimId, 'mediation_notice');
    const pdf = await pdfOf(t, 'mediator1', res.json().id);
    const issuer = res.json().issuer.name as string;
    // The ring's characters one by one would show as lines of one character each.
    const text = pdfToText(pdf);
    expect(text.split('\n').filter((l) => [...l.trim()].length === 1 && issuer.includes(l.trim()))).toEqual([]);
    expect(text.replace(/\s+/g, '')).toContain(`${issuer}2026年11月20日`);
    // The year of the signature's date: the first four figures of its word.
    const date = pdfWords(pdf).find((w) => /^\d{4}年\d{1,2}月\d{1,2}日$/.test(w.text))!;
    const font = parseFontFile(COMMON_FONT_FILES.regular);
    const advance = (s: string) =>
      [...s].reduce((a, c) => a + font.glyphForCodePoint(c.codePointAt(0)!).advanceWidth, 0);
    const year = {
      ...date,
      xMax: date.xMin + ((date.xMax - date.xMin) * advance(date.text.slice(0, 4))) / advance(date.text),
    };
    const page = renderPage(pdf, 'mediation-notice-seal');
    const red = (r: number, g: number, b: number) => r > 150 && g < 120 && b < 120;
    expect(shareOf(page, year, red)).toBeLessThan(0.05);
  });

  it('names the fallback font in /health', async () => {
    const health = (app: TestApp) => app.app.inject({ method: 'GET', url: '/health' }).then((r) => r.json());
    expect((await health(t)).fonts).toEqual({
      chain: ['common-regular.otf', 'SourceHanSansSC-Regular.otf', 'HanaMinB.ttf'],
      extended: { file: 'HanaMinB.ttf', source: 'system' },
    });
    expect((await health(bare)).fonts).toEqual({
      chain: ['common-regular.otf', 'SourceHanSansSC-Regular.otf'],
      extended: null,
    });
  });

  it('refuses a document with a character no font has, naming it and the claim, and changes nothing', async () => {
    const { claimId } = makeClaim(bare, { person: person(bare, RARE_NAME, RARE_ADDRESS) });
    const before = ['documents', 'access_codes', 'claim_events'].map((n) => count(bare, n));
    const res = await generate(bare, 'mediator1', claimId, 'mediation_notice');
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ reason: 'missing_character' });
    expect(res.json().detail).toContain(`Claim ${claimId}`);
    expect(res.json().detail).toContain('"𡒄" (U+21484)');
    expect(res.json().detail).not.toContain('𠇔');
    expect(['documents', 'access_codes', 'claim_events'].map((n) => count(bare, n))).toEqual(before);
  });

  it('fails only that claim of a batch, with its reason', async () => {
    // Two debtors found by one name search: 𠇔 is in the full font, 𡒄 in no font of this deployment.
    const good = makeClaim(bare, { person: person(bare, '欧阳𠇔', RARE_ADDRESS) });
    const rare = makeClaim(bare, { person: person(bare, '欧阳𡒄', RARE_ADDRESS) });
    const headers = await bare.as('creditor1');
    const start = await bare.app.inject({
      method: 'POST',
      url: '/api/documents/batch',
      headers,
      payload: { kind: 'demand_letter', filter: { q: '欧阳' } },
    });
    expect(start.statusCode).toBe(202);
    const jobId = start.json().jobId as number;
    let job: JobDetail;
    do {
      await new Promise((r) => setTimeout(r, 100));
      job = (await bare.app.inject({ method: 'GET', url: `/api/documents/jobs/${jobId}`, headers })).json();
    } while (job.status === 'running');
    const item = job.items.find((i) => i.claimId === rare.claimId)!;
    expect(item.status).toBe('failed');
    expect(item.error).toContain(`Claim ${rare.claimId}`);
    expect(item.error).toContain('"𡒄" (U+21484)');
    expect(job.items.find((i) => i.claimId === good.claimId)!.status).toBe('done');
  });

  it('refuses a link too long for a printable QR code: the start names PUBLIC_URL', () => {
    expect(() => qrMatrix(`https://example.cn/${'x'.repeat(300)}`)).toThrow(QrCapacityError);
    const start = () => loadConfig({ PUBLIC_URL: `https://example.cn/${'portal'.repeat(60)}` });
    expect(start).toThrow(ConfigError);
    expect(start).toThrow(/PUBLIC_URL is too long for the QR code printed on notices/);
    expect(() => loadConfig({ PUBLIC_URL: 'https://mediation.example.cn' })).not.toThrow();
  });

  it('refuses a template with a character no font has, naming it, and keeps the template in force', async () => {
    const headers = await bare.as('creditor1');
    const current = await bare.app.inject({ method: 'GET', url: '/api/templates/demand_letter', headers });
    const body = `${current.json().effective.body}\n@note 𡒄`;
    const before = count(bare, 'templates');
    const res = await bare.app.inject({
      method: 'PUT',
      url: '/api/templates/demand_letter',
      headers,
      payload: { body },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ reason: 'missing_character' });
    expect(res.json().detail).toContain('"𡒄" (U+21484)');
    expect(count(bare, 'templates')).toBe(before);
  });
});
