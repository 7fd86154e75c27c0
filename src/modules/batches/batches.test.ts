import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { multipart } from '../../testing/multipart.js';
import { readProgress } from '../../testing/progress-socket.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { assembleZip, deflatedZeros, stored } from '../../testing/zip.js';
import { createRng } from '../admin/sample-claims.js';
import { claimRow, SAMPLE_HEADER, sampleClaimStream, writeSampleBatch } from './sample-files.js';
import type { BatchView, DryRunReport } from './schemas.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../../fixtures/batches');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
const EXPECTED_ERRORS = {
  id_checksum: 1,
  id_excel_scientific: 1,
  phone_format: 1,
  due_before_loan: 1,
  amount_format: 1,
  contract_no_duplicate: 1,
  name_format: 1,
};

describe('batch import', () => {
  let t: TestApp;
  const sql = () => t.database.sqlite;
  const snapshot = () =>
    sql()
      .prepare(
        'select (select count(*) from claims) claims, (select count(*) from debtors) debtors, (select count(*) from batches) batches, (select count(*) from claim_events) events, (select count(*) from batch_row_errors) errors',
      )
      .get();

  const upload = async (who: string, content: Buffer, filename: string, fields: Record<string, string> = {}) => {
    const body = multipart(fields, { filename, content });
    return t.app.inject({
      method: 'POST',
      url: '/api/batches',
      headers: { ...(await t.as(who)), ...body.headers },
      payload: body.payload,
    });
  };
  const finished = async (who: string, id: number): Promise<BatchView> => {
    for (let i = 0; i < 600; i++) {
      const res = await t.app.inject({ method: 'GET', url: `/api/batches/${id}`, headers: await t.as(who) });
      const b = res.json() as BatchView;
      if (res.statusCode === 200 && !b.progress) return b;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`batch ${id} did not finish`);
  };
  const importAndWait = async (who: string, content: Buffer, filename: string, fields: Record<string, string> = {}) => {
    const res = await upload(who, content, filename, fields);
    expect(res.statusCode, res.body).toBe(202);
    return finished(who, res.json().id);
  };
  const refused = async (content: Buffer, filename: string, fields: Record<string, string> = {}) => {
    const before = snapshot();
    const res = await upload('creditor2', content, filename, fields);
    expect(snapshot()).toEqual(before);
    return res;
  };

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('a UTF-8 CSV batch', () => {
    let batch: BatchView;
    beforeAll(async () => {
      batch = await importAndWait('creditor1', fixture('sample-1000-utf8.csv'), 'sample-1000-utf8.csv', {
        reference: 'MNXJ-2026-11-A',
      });
    });

    it('commits the valid rows and counts the rejected ones by code', () => {
      expect(batch).toMatchObject({
        status: 'committed',
        total: 1000,
        accepted: 993,
        rejected: 7,
        skipped: 0,
        fileName: 'sample-1000-utf8.csv',
        reference: 'MNXJ-2026-11-A',
      });
      expect(batch.errorsByCode).toEqual(EXPECTED_ERRORS);
      expect(Object.values(batch.screening).reduce((a, b) => a + b, 0)).toBe(993);
      expect(batch.screening.flagged).toBeGreaterThan(0);
    });

    it('creates the claims, screened through the lifecycle with a verifiable first event', async () => {
      const ids = sql()
        .prepare('select id, stage, status, screening, assignee_id from claims where batch_id = ?')
        .all(batch.id) as {
        id: number;
        stage: string;
        status: string;
        screening: string;
        assignee_id: number | null;
      }[];
      expect(ids).toHaveLength(993);
      for (const c of ids.filter((c) => c.screening === 'eligible' || c.screening === 'flagged')) {
        expect([c.stage, c.status]).toEqual(['people_mediation', 'awaiting_contact']);
        expect(c.assignee_id).not.toBeNull();
      }
      const events = (
        await t.app.inject({ method: 'GET', url: `/api/claims/${ids[0]!.id}/events`, headers: await t.as('creditor1') })
      ).json();
      expect(events.chain).toEqual({ valid: true });
      expect(events.events[0]).toMatchObject({
        seq: 1,
        actor: { kind: 'system' },
        from: { stage: 'intake', status: 'screening' },
        data: { batchId: batch.id },
      });
    });

    it('balances the eligible claims between the mediators and keeps each debtor with one mediator', () => {
      const loads = sql()
        .prepare(
          'select assignee_id a, count(distinct debtor_id) n from claims where batch_id = ? and assignee_id is not null group by assignee_id',
        )
        .all(batch.id) as { a: number; n: number }[];
      expect(loads).toHaveLength(2);
      expect(Math.abs(loads[0]!.n - loads[1]!.n)).toBeLessThanOrEqual(12);
      const split = sql()
        .prepare(
          'select debtor_id from claims where batch_id = ? and assignee_id is not null group by debtor_id having count(distinct assignee_id) > 1',
        )
        .all(batch.id);
      expect(split).toEqual([]);
      const multi = sql()
        .prepare(
          'select count(*) n from (select debtor_id from claims where batch_id = ? group by debtor_id having count(*) > 1)',
        )
        .get(batch.id) as { n: number };
      expect(multi.n).toBeGreaterThan(0);
    });

    it('keeps a formula-looking address as text', () => {
      const addresses = (
        sql()
          .prepare('select d.address_enc a from claims c join debtors d on d.id = c.debtor_id where c.batch_id = ?')
          .all(batch.id) as { a: string }[]
      ).map((r) => t.crypto.decrypt(r.a));
      expect(addresses).toContain('=HYPERLINK("http://evil.example","点我")');
    });

    it('writes an error report Excel on Chinese Windows opens: BOM, masked values, formulas neutralised', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/batches/${batch.id}/errors.csv`,
        headers: await t.as('creditor1'),
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const lines = res.body
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n');
      expect(lines).toHaveLength(8);
      expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual([5, 17, 29, 41, 53, 65, 89]);
      const idLine = lines.find((l) => l.startsWith('5,'))!;
      expect(idLine).toMatch(/身份证号,id_checksum,.*,\d{6}\*{10}[\dX]{2}$/);
      // The 说明 column is the catalogue's Chinese message for the code.
      expect(idLine).toContain(',id_checksum,身份证号校验位不正确，请核对号码。,');
      const formula = lines.find((l) => l.startsWith('89,'))!;
      expect(formula).toContain("'+cmd|' /C calc'!A0");
    });

    it('answers the same file again with the existing batch and imports nothing', async () => {
      const before = snapshot();
      const res = await upload('creditor1', fixture('sample-1000-utf8.csv'), 'again.csv');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: batch.id, status: 'committed' });
      expect(snapshot()).toEqual(before);
    });

    it('refuses the same reference with other content, naming the batch it is (409 reference_conflict)', async () => {
      const before = snapshot();
      const res = await upload('creditor1', fixture('sample-1000-gbk.csv'), 'other.csv', {
        reference: 'MNXJ-2026-11-A',
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'duplicate', reason: 'reference_conflict' });
      expect(res.json().detail).toContain(`batch ${batch.id}`);
      expect(snapshot()).toEqual(before);
    });

    it('imports only what is not there yet when the file comes back corrected', async () => {
      const text = fixture('sample-1000-utf8.csv').toString('utf8').split('\r\n');
      // Fix row 29's phone; everything else is as before.
      const fixedLines = text.map((line, i) => (i === 28 ? line.replace(',1380013800,', ',13800138000,') : line));
      const again = await importAndWait('creditor1', Buffer.from(fixedLines.join('\r\n')), 'corrected.csv');
      expect(again).toMatchObject({ status: 'committed', accepted: 1, skipped: 993, rejected: 6 });
    });

    it('refuses another creditor reading the batch or its report', async () => {
      for (const url of [`/api/batches/${batch.id}`, `/api/batches/${batch.id}/errors.csv`]) {
        const res = await t.app.inject({ method: 'GET', url, headers: await t.as('creditor2') });
        expect(res.statusCode).toBe(404);
      }
    });
  });

  it('reads the GBK and the XLSX versions of the batch the same way', async () => {
    const gbk = await importAndWait('creditor2', fixture('sample-1000-gbk.csv'), 'sample-gbk.csv');
    expect(gbk).toMatchObject({ status: 'committed', total: 1000, accepted: 993 });
    expect(gbk.errorsByCode).toEqual(EXPECTED_ERRORS);
    const names = sql()
      .prepare('select d.name from claims c join debtors d on d.id = c.debtor_id where c.batch_id = ?')
      .all(gbk.id) as { name: string }[];
    expect(names.every((n) => /^[\u4e00-\u9fa5·]{2,}$/.test(n.name))).toBe(true);

    const dry = await upload('creditor2', fixture('sample-1000.xlsx'), 'sample.xlsx', { dryRun: 'true' });
    expect(dry.statusCode).toBe(200);
    // The same rows, already imported by the GBK batch: all skipped, the same errors, except that
    // row 65's contract number now belongs to an earlier batch's claim against someone else.
    const { contract_no_duplicate: _inFile, ...rest } = EXPECTED_ERRORS;
    expect(dry.json()).toMatchObject({
      dryRun: true,
      total: 1000,
      accepted: 0,
      skipped: 993,
      errorsByCode: { ...rest, contract_no_exists: 1 },
    });
  });

  it('imports an XLSX workbook with dates and numbers', async () => {
    const dir = fs.mkdtempSync(path.join(t.dataDir, 'x-'));
    const file = path.join(dir, 'batch.xlsx');
    await writeSampleBatch(
      file,
      'xlsx',
      (function* () {
        for (const c of sampleClaimStream(createRng(7), 300, { asOf: '2026-11-01', prefix: 'XL' })) yield claimRow(c);
      })(),
    );
    const b = await importAndWait('creditor1', fs.readFileSync(file), 'batch.xlsx');
    expect(b).toMatchObject({ status: 'committed', total: 300, accepted: 300, rejected: 0, format: 'xlsx' });
  });

  it('a dry run reports everything and writes nothing', async () => {
    const before = snapshot();
    const res = await upload(
      'creditor1',
      Buffer.from(
        fixture('sample-1000-utf8.csv')
          .toString('utf8')
          .replace(/HT2024/g, 'DRY2024'),
      ),
      'dry.csv',
      { dryRun: 'true' },
    );
    expect(res.statusCode).toBe(200);
    const report = res.json() as DryRunReport;
    expect(report).toMatchObject({ dryRun: true, status: 'committed', total: 1000, accepted: 993, rejected: 7 });
    expect(report.errors.map((e) => e.rowNo)).toEqual([5, 17, 29, 41, 53, 65, 89]);
    expect(snapshot()).toEqual(before);
  });

  it('strict mode rejects the whole batch on one bad row, and keeps the report', async () => {
    const before = snapshot() as Record<string, number>;
    const content = Buffer.from(
      fixture('sample-1000-utf8.csv')
        .toString('utf8')
        .replace(/HT2024/g, 'STR2024'),
    );
    const b = await importAndWait('creditor1', content, 'strict.csv', { strict: 'true' });
    expect(b).toMatchObject({ status: 'failed', accepted: 0, rejected: 7 });
    expect(b.failureDetail).toMatch(/Strict mode/);
    const after = snapshot() as Record<string, number>;
    expect([after.claims, after.debtors, after.events]).toEqual([before.claims, before.debtors, before.events]);
    expect(after.batches).toBe(before.batches! + 1);
    const csv = await t.app.inject({
      method: 'GET',
      url: `/api/batches/${b.id}/errors.csv`,
      headers: await t.as('creditor1'),
    });
    expect(csv.body.trim().split('\r\n')).toHaveLength(8);
  });

  it('screens a claim that needed fixing again when the creditor sends it back corrected', async () => {
    const c = [...sampleClaimStream(createRng(21), 1, { asOf: '2026-11-01', prefix: 'FIX' })][0]!;
    const line = (rate: string) =>
      [
        c.contractNo,
        c.name,
        c.idNumber,
        c.phone,
        c.address,
        '',
        c.loanDate,
        c.dueDate,
        '5000.00',
        '100',
        '0',
        '0',
        rate,
        '',
        '无',
      ].join(',');
    const first = await importAndWait(
      'creditor1',
      Buffer.from(`${SAMPLE_HEADER.join(',')}\r\n${line('')}\r\n`),
      'fix1.csv',
    );
    expect(first.screening).toEqual({ needs_fix: 1 });
    const claim = sql().prepare('select id, stage, status from claims where contract_no = ?').get(c.contractNo) as {
      id: number;
      stage: string;
      status: string;
    };
    expect([claim.stage, claim.status]).toEqual(['intake', 'needs_fix']);

    const second = await importAndWait(
      'creditor1',
      Buffer.from(`${SAMPLE_HEADER.join(',')}\r\n${line('12%')}\r\n`),
      'fix2.csv',
    );
    expect(second).toMatchObject({ accepted: 1, skipped: 0, screening: { eligible: 1 } });
    expect(second.warnings.join(' ')).toMatch(/corrected/);
    const after = sql().prepare('select stage, status, annual_rate_bp from claims where id = ?').get(claim.id);
    expect(after).toEqual({ stage: 'people_mediation', status: 'awaiting_contact', annual_rate_bp: 1200 });
    const events = (
      await t.app.inject({ method: 'GET', url: `/api/claims/${claim.id}/events`, headers: await t.as('creditor1') })
    ).json();
    expect(events.events.map((e: { action: string }) => e.action)).toEqual([
      'screen_needs_fix',
      'resubmit',
      'screen_eligible',
      'limitation.recounted',
    ]);
    expect(events.chain).toEqual({ valid: true });
  });

  it("takes the JSON form from lenders' systems, and its reference makes a resend harmless", async () => {
    const claims = [...sampleClaimStream(createRng(11), 3, { asOf: '2026-11-01', prefix: 'JS' })].map((c) => ({
      contract_no: c.contractNo,
      name: c.name,
      id_number: c.idNumber,
      phone: c.phone,
      address: c.address,
      loan_date: c.loanDate,
      due_date: c.dueDate,
      principal: c.principalFen / 100,
      interest: '1,234.50',
      annual_rate: '18%',
    }));
    const send = async () =>
      t.app.inject({
        method: 'POST',
        url: '/api/batches',
        headers: await t.as('creditor2'),
        payload: { reference: 'API-0001', claims },
      });
    const res = await send();
    expect(res.statusCode).toBe(202);
    const b = await finished('creditor2', res.json().id);
    expect(b).toMatchObject({ status: 'committed', accepted: 3, format: 'ndjson' });
    const again = await send();
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(b.id);
  });

  it('pushes progress on /ws/batches/:id until the batch is committed', async () => {
    const dir = fs.mkdtempSync(path.join(t.dataDir, 'ws-'));
    const file = path.join(dir, 'big.csv');
    await writeSampleBatch(
      file,
      'csv-utf8',
      (function* () {
        for (const c of sampleClaimStream(createRng(3), 6000, { asOf: '2026-11-01', prefix: 'WS' })) yield claimRow(c);
      })(),
    );
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as { port: number };
    const res = await upload('creditor1', fs.readFileSync(file), 'big.csv');
    expect(res.statusCode).toBe(202);
    const frames: { type: string; batch?: BatchView; progress?: { rowsRead: number }; result?: { status: string } }[] =
      [];
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/batches/${res.json().id}`, {
      headers: await t.as('creditor1'),
    });
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (m) => frames.push(JSON.parse(String(m))));
      ws.on('close', () => resolve());
      ws.on('error', reject);
      setTimeout(() => reject(new Error('no finish frame')), 60_000);
    });
    expect(frames[0]!.type).toBe('snapshot');
    const last = frames.at(-1)!;
    if (frames[0]!.batch!.progress) {
      expect(last).toMatchObject({ type: 'finished', result: { status: 'committed' } });
      expect(frames.some((f) => f.type === 'progress' && f.progress!.rowsRead > 0)).toBe(true);
    } else {
      expect(frames[0]!.batch!.status).toBe('committed');
    }
    const other = new WebSocket(`ws://127.0.0.1:${port}/ws/batches/${res.json().id}`, {
      headers: await t.as('mediator1'),
    });
    const status = await new Promise<number>((resolve) =>
      other.on('unexpected-response', (_req, r) => resolve(r.statusCode ?? 0)),
    );
    expect(status).toBe(403);
    // Another creditor's socket says why it closes: the batch is not found for them.
    expect(await readProgress(`ws://127.0.0.1:${port}/ws/batches/${res.json().id}`, await t.as('creditor2'))).toEqual({
      frames: [],
      code: 4404,
      reason: 'not_found',
    });
  });

  describe('bad files: a clear error, and nothing changed', () => {
    const header = SAMPLE_HEADER.join(',');
    const goodRow = () => {
      const c = [...sampleClaimStream(createRng(99), 1, { asOf: '2026-11-01', prefix: 'BAD' })][0]!;
      return [
        c.contractNo,
        c.name,
        c.idNumber,
        c.phone,
        c.address,
        '',
        c.loanDate,
        c.dueDate,
        '1000.00',
        '10',
        '0',
        '0',
        '18%',
        '',
        '无',
      ].join(',');
    };

    it('an empty file', async () => {
      const res = await refused(Buffer.alloc(0), 'empty.csv');
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'unprocessable', reason: 'empty_file' });
    });

    it('a header without rows', async () => {
      const res = await refused(Buffer.from(`${header}\r\n`), 'header.csv');
      expect(res.statusCode).toBe(422);
      expect(res.json().reason).toBe('no_rows');
    });

    it('binary garbage', async () => {
      const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
      const res = await refused(garbage, 'garbage.csv');
      expect(res.statusCode).toBe(422);
      expect(res.json().reason).toBe('binary_file');
    });

    it('an .xlsx that is not a workbook, and a zip bomb', async () => {
      const notBook = await refused(assembleZip([stored('hello.txt', 'not a workbook')]), 'book.xlsx');
      expect(notBook.statusCode).toBe(422);
      expect(notBook.json().reason).toBe('not_a_workbook');
      const bomb = await refused(
        assembleZip([
          stored('xl/workbook.xml', '<workbook/>'),
          await deflatedZeros('xl/worksheets/sheet1.xml', 300 * 1024 * 1024),
        ]),
        'bomb.xlsx',
      );
      expect(bomb.statusCode).toBe(422);
      expect(bomb.json().reason).toBe('zip_bomb');
    });

    it('a workbook whose sheet declares 1,000 bytes and inflates to 64 MB: 422 zip_bomb, no file left behind', async () => {
      const zeros = await deflatedZeros('xl/worksheets/sheet1.xml', 64 * 1024 * 1024);
      const liar = assembleZip([stored('xl/workbook.xml', '<workbook/>'), { ...zeros, size: 1000 }]);
      const files = () =>
        ['uploads', 'tmp'].flatMap((d) => {
          const dir = path.join(t.dataDir, d);
          return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
        });
      const before = files();
      const res = await refused(liar, 'liar.xlsx');
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'unprocessable', reason: 'zip_bomb' });
      expect(res.json().detail).toMatch(/declares 1000 bytes but inflates to more/);
      expect(files()).toEqual(before);
    });

    it('a GBK file declared as UTF-8: the headers cannot be read, and the error says to check the character set', async () => {
      const res = await refused(iconv.encode(`${header}\r\n${goodRow()}\r\n`, 'gbk'), 'gbk.csv', { charset: 'utf-8' });
      expect(res.statusCode).toBe(422);
      expect(res.json().reason).toBe('missing_columns');
      expect(res.json().detail).toMatch(/character set|GBK/i);
    });

    it('a missing required column, named before any row is read', async () => {
      const res = await refused(
        Buffer.from(
          '合同编号,借款人姓名,手机号,借款日期,到期日期,欠款本金\r\nX1,张三,13800138000,2024-01-01,2025-01-01,100\r\n',
        ),
        'cols.csv',
      );
      expect(res.statusCode).toBe(422);
      expect(res.json().detail).toContain('身份证号');
      expect(res.json().fields).toEqual([{ field: '/file/header/id_number', message: 'required column is missing' }]);
    });

    it('an old .xls file and unknown form fields', async () => {
      expect((await refused(Buffer.from('plain text'), 'old.xls')).json().reason).toBe('xls_unsupported');
      const res = await refused(Buffer.from(`${header}\r\n${goodRow()}\r\n`), 'a.csv', {
        colour: 'red',
        strict: 'maybe',
      });
      expect(res.statusCode).toBe(400);
      expect(
        res
          .json()
          .fields.map((f: { field: string }) => f.field)
          .sort(),
      ).toEqual(['/body/colour', '/body/strict']);
    });

    it('rows with too many or too few cells are reported by row, the rest imported', async () => {
      const row = goodRow();
      const content = `${header}\r\n${row.replace('BAD', 'OK1')}\r\n${row.replace('BAD', 'SHORT').split(',').slice(0, 10).join(',')}\r\n${row.replace('BAD', 'LONG')},extra,cells\r\n`;
      const b = await importAndWait('creditor2', Buffer.from(content), 'shape.csv');
      expect(b).toMatchObject({ accepted: 1, rejected: 2 });
      expect(b.errorsByCode).toMatchObject({ row_too_short: 1, row_too_long: 1 });
    });

    it('a 50 MB single field fails the batch fast with the row named, importing nothing', async () => {
      const before = snapshot() as Record<string, number>;
      const content = Buffer.concat([
        Buffer.from(`${header}\r\n${goodRow().replace('BAD', 'BIG1')}\r\n${goodRow().replace('BAD', 'BIG2')}\r\n"`),
        Buffer.alloc(50 * 1024 * 1024, 'x'),
        Buffer.from('",a\r\n'),
      ]);
      const res = await upload('creditor2', content, 'huge-field.csv');
      const b = res.statusCode === 202 ? await finished('creditor2', res.json().id) : null;
      if (b) {
        expect(b).toMatchObject({ status: 'failed', accepted: 0 });
        expect(b.failureDetail).toMatch(/row 4/i);
      } else {
        expect(res.statusCode).toBe(422);
        expect(res.json().reason).toBe('field_too_large');
      }
      const after = snapshot() as Record<string, number>;
      expect([after.claims, after.debtors, after.events]).toEqual([before.claims, before.debtors, before.events]);
    });
  });

  it('电子送达确认 / e_service_consent: a phone-only claim with consent is eligible, without it needs fixing; another value is a row error naming it', async () => {
    const people = [...sampleClaimStream(createRng(33), 6, { asOf: '2026-11-01', prefix: 'ESC' })];
    // Phone only: no postal address, no e-mail.
    const line = (i: number, consent: string) => {
      const c = people[i]!;
      return [
        c.contractNo,
        c.name,
        c.idNumber,
        c.phone,
        '',
        '',
        c.loanDate,
        c.dueDate,
        '5000.00',
        '100',
        '0',
        '0',
        '12%',
        '',
        '无',
        consent,
      ].join(',');
    };
    const csv = (header: string, lines: string[]) => Buffer.from(`${header}\r\n${lines.join('\r\n')}\r\n`);
    const zh = `${SAMPLE_HEADER.join(',')},电子送达确认`;
    const b = await importAndWait(
      'creditor1',
      csv(zh, [line(0, '是'), line(1, '否'), line(2, ''), line(3, '可以')]),
      'consent.csv',
    );
    expect(b).toMatchObject({
      status: 'committed',
      accepted: 3,
      rejected: 1,
      screening: { eligible: 1, needs_fix: 2 },
    });
    const row = (i: number) =>
      sql()
        .prepare('select stage, status, e_service_consent as consent from claims where contract_no = ?')
        .get(people[i]!.contractNo);
    expect(row(0)).toEqual({ stage: 'people_mediation', status: 'awaiting_contact', consent: 1 });
    expect(row(1)).toEqual({ stage: 'intake', status: 'needs_fix', consent: 0 });
    expect(row(2)).toEqual({ stage: 'intake', status: 'needs_fix', consent: 0 });
    // The bad value wrote nothing: no claim, no debtor.
    expect(row(3)).toBeUndefined();
    expect(sql().prepare('select count(*) n from debtors where name = ?').get(people[3]!.name)).toEqual({ n: 0 });
    const id = (
      sql().prepare('select id from claims where contract_no = ?').get(people[0]!.contractNo) as { id: number }
    ).id;
    const detail = (
      await t.app.inject({ method: 'GET', url: `/api/claims/${id}`, headers: await t.as('creditor1') })
    ).json();
    expect(detail).toMatchObject({ eServiceConsent: true, screeningReasons: [] });
    const fixId = (
      sql().prepare('select id from claims where contract_no = ?').get(people[1]!.contractNo) as { id: number }
    ).id;
    const fix = (
      await t.app.inject({ method: 'GET', url: `/api/claims/${fixId}`, headers: await t.as('creditor1') })
    ).json();
    expect(fix.eServiceConsent).toBe(false);
    expect(fix.screeningReasons.join(' ')).toMatch(/^no_service_address: .*未同意电子送达/);

    const report = await t.app.inject({
      method: 'GET',
      url: `/api/batches/${b.id}/errors.csv`,
      headers: await t.as('creditor1'),
    });
    const lines = report.body.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      '5,电子送达确认,e_service_consent_unknown,电子送达确认只能填写是、否、yes或no（留空视为否），所填的值见“原值”列。,可以',
    );
    const errors = sql().prepare('select message from batch_row_errors where batch_id = ?').all(b.id);
    expect(errors).toEqual([{ message: expect.stringContaining('"可以"') }]);

    // The English key and yes/no (any case) read the same; strict mode writes nothing on a bad value.
    const en = `${SAMPLE_HEADER.join(',')},E_Service_Consent`;
    const second = await importAndWait('creditor1', csv(en, [line(4, 'YES')]), 'consent-en.csv');
    expect(second).toMatchObject({ accepted: 1, screening: { eligible: 1 } });
    expect(row(4)).toEqual({ stage: 'people_mediation', status: 'awaiting_contact', consent: 1 });
    const before = snapshot() as Record<string, number>;
    const strict = await importAndWait('creditor1', csv(en, [line(5, 'no'), line(3, 'y')]), 'consent-strict.csv', {
      strict: 'true',
    });
    expect(strict).toMatchObject({ status: 'failed', accepted: 0, rejected: 1 });
    const after = snapshot() as Record<string, number>;
    expect([after.claims, after.debtors, after.events]).toEqual([before.claims, before.debtors, before.events]);
  });

  it('entering mediation at import is an application for mediation: the limitation period restarts from the import day, with the event (issue 15 item 6)', async () => {
    const [c, d] = [...sampleClaimStream(createRng(45), 2, { asOf: '2026-11-01', prefix: 'LIM' })];
    const line = (x: typeof c, rate: string) =>
      [
        x!.contractNo,
        x!.name,
        x!.idNumber,
        x!.phone,
        x!.address,
        '',
        x!.loanDate,
        x!.dueDate,
        '5000.00',
        '100',
        '0',
        '0',
        rate,
        '',
        '无',
      ].join(',');
    const b = await importAndWait(
      'creditor1',
      Buffer.from(`${SAMPLE_HEADER.join(',')}\r\n${line(c, '12%')}\r\n${line(d, '')}\r\n`),
      'limitation.csv',
    );
    expect(b.screening).toEqual({ eligible: 1, needs_fix: 1 });
    const stored = (no: string) =>
      sql().prepare('select id, due_date, limitation_expires_on from claims where contract_no = ?').get(no) as {
        id: number;
        due_date: string;
        limitation_expires_on: string;
      };
    const eligible = stored(c!.contractNo);
    // Imported on 2026-11-20 (the test clock): three years on is Tuesday 2029-11-20.
    expect(eligible.limitation_expires_on).toBe('2029-11-20');
    const { events, chain } = (
      await t.app.inject({ method: 'GET', url: `/api/claims/${eligible.id}/events`, headers: await t.as('creditor1') })
    ).json();
    expect(chain).toEqual({ valid: true });
    expect(events.map((e: { action: string }) => e.action)).toEqual(['screen_eligible', 'limitation.recounted']);
    expect(events[1]).toMatchObject({
      actor: { kind: 'system' },
      from: { stage: 'people_mediation', status: 'awaiting_contact' },
      to: { stage: 'people_mediation', status: 'awaiting_contact' },
      data: {
        interruption: { kind: 'mediation_application', on: '2026-11-20', eventSeq: events[0].seq },
        expiresOn: '2029-11-20',
        previousExpiresOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        defenceWaived: false,
      },
    });
    expect(events[1].data.previousExpiresOn).not.toBe('2029-11-20');
    const detail = (
      await t.app.inject({ method: 'GET', url: `/api/claims/${eligible.id}`, headers: await t.as('creditor1') })
    ).json();
    expect(detail).toMatchObject({
      limitationExpiresOn: '2029-11-20',
      limitationCountedFrom: { kind: 'mediation_application', on: '2026-11-20', eventSeq: events[0].seq },
    });
    // A claim that needs fixing has not entered mediation: its period still runs from the due date.
    const fix = stored(d!.contractNo);
    expect(fix.limitation_expires_on).not.toBe('2029-11-20');
    expect(
      sql()
        .prepare("select count(*) n from claim_events where claim_id = ? and action = 'limitation.recounted'")
        .get(fix.id),
    ).toEqual({ n: 0 });
  });
});

describe('batch limits', () => {
  it('refuses a file over the size limit (413) and a batch over the row limit, importing nothing', async () => {
    const t = await createTestApp({ env: { IMPORT_MAX_BYTES: '4096', IMPORT_MAX_ROWS: '5' } });
    try {
      const before = t.database.sqlite.prepare('select count(*) n from claims').get();
      const big = multipart({}, { filename: 'big.csv', content: fixture('sample-1000-utf8.csv') });
      const tooBig = await t.app.inject({
        method: 'POST',
        url: '/api/batches',
        headers: { ...(await t.as('creditor1')), ...big.headers },
        payload: big.payload,
      });
      expect(tooBig.statusCode).toBe(413);
      expect(tooBig.json().code).toBe('payload_too_large');

      const lines = fixture('sample-1000-utf8.csv').toString('utf8').split('\r\n').slice(0, 8).join('\r\n');
      const many = multipart({}, { filename: 'many.csv', content: Buffer.from(lines) });
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/batches',
        headers: { ...(await t.as('creditor1')), ...many.headers },
        payload: many.payload,
      });
      expect(res.statusCode).toBe(202);
      let b: BatchView;
      do {
        await new Promise((r) => setTimeout(r, 50));
        b = (
          await t.app.inject({ method: 'GET', url: `/api/batches/${res.json().id}`, headers: await t.as('creditor1') })
        ).json();
      } while (b.progress);
      expect(b).toMatchObject({ status: 'failed', accepted: 0 });
      expect(b.failureDetail).toMatch(/more than 5/);
      expect(t.database.sqlite.prepare('select count(*) n from claims').get()).toEqual(before);
    } finally {
      await t.close();
    }
  });
});
