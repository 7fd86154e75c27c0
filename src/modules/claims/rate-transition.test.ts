import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisations } from '../../db/schema/index.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createRng, sampleClaims } from '../admin/sample-claims.js';

// 法释〔2020〕17号 art. 31 (DOMAIN.md §2.1): a private loan formed before 2020-08-20 has its interest to
// 2020-08-19 judged by the old 24% line and from 2020-08-20 by 4 × the one-year LPR at filing; the
// claim's detail answer shows each part, as screening at import stored it.
describe('the art. 31 transition of a private loan, through the import and the claim answer', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    // A private lender (民间借贷出借人): the demo creditors are licensed or local financial organisations.
    t.db.update(organisations).set({ lenderType: 'private' }).where(eq(organisations.code, 'CRED-B')).run();
  });
  afterAll(() => t.close());

  const person = sampleClaims(createRng(2020), 1, { asOf: '2025-06-01', prefix: 'P' })[0]!;

  /** Import one claim on `today` (the day taken as the filing day) and answer its detail. */
  const importOn = async (today: string, contractNo: string, row: Record<string, string>) => {
    t.clock.set(`${today}T02:00:00.000Z`);
    const headers = await t.as('creditor2');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/batches',
      headers,
      payload: {
        reference: contractNo,
        claims: [
          {
            contract_no: contractNo,
            name: person.name,
            id_number: person.idNumber,
            phone: person.phone,
            address: person.address,
            due_date: '2023-02-20',
            principal: '10000.00',
            ...row,
          },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(202);
    for (;;) {
      const b = (await t.app.inject({ method: 'GET', url: `/api/batches/${res.json().id}`, headers })).json();
      if (b.status === 'failed') throw new Error(JSON.stringify(b));
      if (b.status === 'committed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const list = await t.app.inject({ method: 'GET', url: `/api/claims?q=${contractNo}`, headers });
    const id = list.json().items[0].id as number;
    const detail = await t.app.inject({ method: 'GET', url: `/api/claims/${id}`, headers });
    expect(detail.statusCode, detail.body).toBe(200);
    return detail.json();
  };

  it('shows the old-rule part to 2020-08-19 and the 4 × LPR part from 2020-08-20, claimed against allowed', async () => {
    // Formed 2020-02-20 at 30%; ¥19,280.00 of interest to the filing day 2025-06-01, when the LPR of
    // 2025-05-20 (3.00%) is in force: 182 days at 24%, 1,746 days at 12.00% (DOMAIN.md §2.1 table).
    const c = await importOn('2025-06-01', 'P-2020-A', {
      loan_date: '2020-02-20',
      interest: '19280.00',
      annual_rate: '30%',
    });
    expect(c.rateTransition).toEqual({
      annualRateBp: 3000,
      filedOn: '2025-06-01',
      lpr: { publishDate: '2025-05-20', lpr1yBp: 300 },
      parts: [
        {
          rule: 'old_two_lines',
          from: '2020-02-20',
          to: '2020-08-19',
          days: 182,
          capBp: 2400,
          chargesFen: 182_000,
          allowedFen: 145_600,
          aboveCapFen: 36_400,
        },
        {
          rule: 'lpr_at_filing',
          from: '2020-08-20',
          to: '2025-06-01',
          days: 1746,
          capBp: 1200,
          chargesFen: 1_746_000,
          allowedFen: 698_400,
          aboveCapFen: 1_047_600,
        },
      ],
      chargesFen: 1_928_000,
      allowedFen: 844_000,
      aboveCapFen: 1_084_000,
      aboveVoidLine: false,
    });
    expect(c.amounts.aboveCapFen).toBe(1_084_000);
  });

  it('takes the LPR in force on the filing day, not on the contract day', async () => {
    // Filed 2024-11-01: 3.10% from 2024-10-21 → 12.40% (DOMAIN.md §2.1: Oct 2024 – Apr 2025), though
    // the loan was made under 4.15%; a rate above 36% is void for the first part.
    const c = await importOn('2024-11-01', 'P-2019-B', {
      loan_date: '2019-12-01',
      interest: '5000.00',
      annual_rate: '38%',
    });
    expect(c.rateTransition.lpr).toEqual({ publishDate: '2024-10-21', lpr1yBp: 310 });
    expect(c.rateTransition.parts.map((p: { capBp: number }) => p.capBp)).toEqual([2400, 1240]);
    expect(c.rateTransition.aboveVoidLine).toBe(true);
    const [before, after] = c.rateTransition.parts;
    expect(before.chargesFen + after.chargesFen).toBe(500_000);
    expect(before.allowedFen + after.allowedFen).toBe(c.rateTransition.allowedFen);
    expect(c.rateTransition.aboveCapFen).toBe(c.amounts.aboveCapFen);
  });

  it('has no transition for a loan formed on or after 2020-08-20, or for a licensed lender', async () => {
    const late = await importOn('2025-06-01', 'P-2021-C', {
      loan_date: '2020-08-20',
      interest: '100.00',
      annual_rate: '30%',
    });
    expect(late.rateTransition).toBeNull();
    t.db.update(organisations).set({ lenderType: 'licensed' }).where(eq(organisations.code, 'CRED-B')).run();
    const licensed = await importOn('2025-06-01', 'P-2019-D', {
      loan_date: '2019-12-01',
      interest: '100.00',
      annual_rate: '30%',
    });
    expect(licensed.rateTransition).toBeNull();
  });
});
