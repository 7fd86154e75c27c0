import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../../testing/multipart.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { type SampleCell, type SampleFormat, writeSampleBatch } from '../batches/sample-files.js';

type Row = Record<string, number | string | null>;
const HEADER = ['合同编号', '还款日期', '还款金额', '还款流水号', '还款渠道'];

describe('repayment files', () => {
  let t: TestApp;
  let contracts: { id: number; contract_no: string }[];
  const one = (q: string, ...args: unknown[]) => t.database.sqlite.prepare(q).get(...args) as Row;
  const state = () =>
    one(
      `select (select count(*) from payments) payments, (select count(*) from claim_events) events,
              (select sum(version) from claims) versions, (select count(*) from payment_imports) imports,
              (select count(*) from payment_import_errors) errors`,
    );
  let n = 0;
  const fileOf = async (format: SampleFormat, rows: SampleCell[][], header = HEADER) => {
    const file = path.join(t.dataDir, `repay-${++n}.${format === 'xlsx' ? 'xlsx' : 'csv'}`);
    await writeSampleBatch(file, format, rows, { header });
    return { content: fs.readFileSync(file), filename: path.basename(file) };
  };
  const send = async (file: { content: Buffer; filename: string }, who = 'creditor1') => {
    const form = multipart({}, file);
    return t.app.inject({
      method: 'POST',
      url: '/api/payments/import',
      headers: { ...(await t.as(who)), ...form.headers },
      payload: form.payload,
    });
  };

  beforeAll(async () => {
    t = await createTestApp();
    contracts = t.database.sqlite
      .prepare(
        `select c.id, c.contract_no from claims c join organisations o on o.id = c.creditor_org_id
          where o.code = 'CRED-A' and c.stage = 'people_mediation' and c.hold is null order by c.id limit 5`,
      )
      .all() as typeof contracts;
  });
  afterAll(() => t.close());

  it('records the good rows and reports unknown contracts and bad rows by row, in GBK as in UTF-8', async () => {
    const otherTenant = one(
      "select contract_no from claims c join organisations o on o.id = c.creditor_org_id where o.code = 'CRED-B' limit 1",
    ).contract_no as string;
    const [a, b, c] = contracts;
    const file = await fileOf('csv-gbk', [
      [a!.contract_no, '2026-11-18', '120.50', 'BANK-0001', '银行转账'],
      [b!.contract_no, '2026/11/19', '80', 'BANK-0002', null],
      ['HT-NO-SUCH-1', '2026-11-18', '10', 'BANK-0003', null],
      [otherTenant, '2026-11-18', '10', 'BANK-0004', null],
      [c!.contract_no, '2026-11-30', '0', '', null],
      [c!.contract_no, 'yesterday', '-3', 'BANK-0006', null],
      [a!.contract_no, '2026-11-18', '120.50', 'BANK-0001', '银行转账'],
    ]);
    const res = await send(file);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ total: 7, recorded: 2, duplicates: 1, rejected: 4, overpaid: 0 });
    expect(report.errors.map((e: Row) => [e.rowNo, e.column, e.code])).toEqual([
      [4, 'contract_no', 'contract_unknown'],
      [5, 'contract_no', 'contract_unknown'],
      [6, 'paid_at', 'paid_at_future'],
      [6, 'amount', 'amount_zero'],
      [6, 'reference', 'reference_missing'],
      [7, 'paid_at', 'date_format'],
      [7, 'amount', 'amount_negative'],
    ]);
    expect(one('select amount_fen, channel, source from payments where reference = ?', 'BANK-0001')).toEqual({
      amount_fen: 12050,
      channel: '银行转账',
      source: 'import',
    });
    expect(one('select count(*) n from payments where claim_id = ?', c!.id).n).toBe(0);

    const csv = await t.app.inject({
      method: 'GET',
      url: report.errorsCsv,
      headers: await t.as('creditor1'),
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.body.startsWith('\ufeff行号 row')).toBe(true);
    expect(csv.body).toContain(
      '4,contract_no,contract_unknown,没有该合同编号的案件，或该案件不属于您的机构。,HT-NO-SUCH-1',
    );

    const before = state();
    const again = await send(file);
    expect(again.json()).toEqual(report);
    expect(state()).toEqual(before);
    const elsewhere = await t.app.inject({ method: 'GET', url: report.errorsCsv, headers: await t.as('creditor2') });
    expect(elsewhere.statusCode).toBe(404);
  });

  it('reads XLSX with the same columns, and reports a reference already used for another claim', async () => {
    const [, , , d, e] = contracts;
    const res = await send(
      await fileOf('xlsx', [
        [d!.contract_no, '2026-11-17', 300, 'BANK-0001', null],
        [e!.contract_no, '2026-11-17', 300, 'BANK-1001', null],
      ]),
    );
    // BANK-0001 was recorded for another claim: the reference is reported, never attached to a second payment.
    expect(res.json()).toMatchObject({ total: 2, recorded: 1, duplicates: 0, rejected: 1 });
    expect(res.json().errors).toMatchObject([{ rowNo: 2, column: 'reference', code: 'payment_reference_used' }]);
    expect(one('select count(*) n from payments where reference = ?', 'BANK-0001').n).toBe(1);
  });

  it('refuses a file without a required column or without rows as 422, and writes nothing', async () => {
    const before = state();
    const noAmount = await send(
      await fileOf(
        'csv-utf8',
        [[contracts[0]!.contract_no, '2026-11-18', 'BANK-9']],
        ['合同编号', '还款日期', '还款流水号'],
      ),
    );
    expect(noAmount.statusCode).toBe(422);
    expect(noAmount.json()).toMatchObject({ reason: 'missing_columns' });
    expect(noAmount.json().detail).toContain('还款金额 (amount)');
    const empty = await send(await fileOf('csv-utf8', []));
    expect(empty.statusCode).toBe(422);
    expect(empty.json()).toMatchObject({ reason: 'no_rows' });
    const garbage = await send({ content: Buffer.from([0, 1, 2, 3, 255, 254, 0, 0]), filename: 'x.xlsx' });
    expect(garbage.statusCode).toBe(422);
    expect(state()).toEqual(before);
    // Every upload was removed once its import ended, refused or not.
    expect(fs.readdirSync(path.join(t.dataDir, 'uploads'))).toEqual([]);
  });
});
