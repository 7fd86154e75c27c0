import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createRng, sampleClaims } from '../admin/sample-claims.js';

// Civil Code art. 203: the period's last day on a holiday moves to the next working day, by the
// calendar an admin loaded, not only the seeded years.
describe('the limitation period a batch import writes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const importDue = async (contractNo: string, dueDate: string) => {
    const c = sampleClaims(createRng(2031), 1, { asOf: '2026-11-20', prefix: 'LEND' })[0]!;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/batches',
      headers: await t.as('creditor1'),
      payload: {
        reference: contractNo,
        claims: [
          {
            contract_no: contractNo,
            name: c.name,
            id_number: c.idNumber,
            phone: c.phone,
            address: c.address,
            loan_date: '2023-01-05',
            due_date: dueDate,
            principal: '5000.00',
            interest: '100.00',
            annual_rate: '12%',
          },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(202);
    for (;;) {
      const b = (
        await t.app.inject({ method: 'GET', url: `/api/batches/${res.json().id}`, headers: await t.as('creditor1') })
      ).json();
      if (b.status === 'committed' || b.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // The period screening counted from the due date: the stored one, or the one the recount on
    // entering mediation replaced (the application for mediation restarts it from the import day).
    const row = t.database.sqlite
      .prepare(
        `select c.limitation_expires_on as on_, (select json_extract(e.data, '$.previousExpiresOn') from claim_events e
          where e.claim_id = c.id and e.action = 'limitation.recounted' order by e.seq limit 1) as before_
         from claims c where c.contract_no = ?`,
      )
      .get(contractNo) as { on_: string; before_: string | null };
    return row.before_ ?? row.on_;
  };

  it('moves a last day inside a loaded year’s holiday to the first working day after it', async () => {
    // 2027-02-09 (Tuesday) is a working day until the 2027 arrangement makes 02-05..02-12 a holiday.
    expect(await importDue('LEND-BEFORE', '2024-02-09')).toBe('2027-02-09');
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/calendar/years/2027',
      headers: await t.as('admin'),
      payload: { holidays: [{ from: '2027-02-05', to: '2027-02-12', name: '春节' }], workdays: ['2027-02-20'] },
    });
    expect(put.statusCode, put.body).toBe(200);
    // 02-13 and 02-14 are the weekend after the holiday.
    expect(await importDue('LEND-AFTER', '2024-02-09')).toBe('2027-02-15');
  });

  it('moves a last day on a seeded holiday or a weekend too', async () => {
    expect(await importDue('LEND-NATIONAL', '2023-10-01')).toBe('2026-10-08'); // National Day 10-01..10-07
    expect(await importDue('LEND-SUNDAY', '2023-05-10')).toBe('2026-05-11'); // Sunday → Monday
  });
});
