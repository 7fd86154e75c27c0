/**
 * Fixed-term listings lapse (issue 16 item 6, DOMAIN.md §5.1 art. 2 and 10): a dishonest-debtor
 * listing lasts 2 years unless the court sets its term; the day after the term the job records the
 * 3-working-day deletion deadline, and the claim stops being listed when nothing else of it is in
 * force, once however often the job runs. A listing without a fixed term never lapses.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addYears, MS_PER_DAY, shanghaiDate } from '../domain/dates.js';
import { courtListDeletionDeadline } from '../domain/deadlines.js';
import { makeClaim } from '../testing/factories.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { main as listingLapse } from './listing-lapse.js';

type Row = Record<string, number | string | null>;

describe('listings lapse at the end of their term', () => {
  const key = crypto.randomBytes(32).toString('base64');
  let t: TestApp;
  const one = (q: string, ...args: unknown[]) => t.database.sqlite.prepare(q).get(...args) as Row;
  const records = (claimId: number) =>
    t.database.sqlite
      .prepare(
        'select kind, listed_on, term_ends_on, removal_due_on from credit_records where claim_id = ? order by id',
      )
      .all(claimId) as Row[];
  const listed = (claimId: number) => one('select credit_listing from claims where id = ?', claimId).credit_listing;
  const state = () =>
    one(`select (select count(*) from claim_events) events, (select sum(version) from claims) versions,
                (select group_concat(coalesce(removal_due_on, '-')) from credit_records) due`);
  const enforcementCase = (claimId: number) =>
    one("select id from court_cases where claim_id = ? and kind = 'enforcement'", claimId).id as number;
  const measure = async (claimId: number, body: object) =>
    t.app.inject({
      method: 'POST',
      url: `/api/court-cases/${enforcementCase(claimId)}/measures`,
      headers: await t.as('clerk1'),
      payload: body,
    });

  beforeAll(async () => {
    t = await createTestApp({ env: { DATA_KEY: key } });
  });
  afterAll(() => t.close());

  it('takes a term only for a dishonest listing, from 2 to 5 years, and writes nothing otherwise', async () => {
    const claim = makeClaim(t, { at: 'listed' }).claim;
    const on = shanghaiDate(t.clock.now());
    const before = state();
    const misplaced = await measure(claim.id, { kind: 'account_freeze', on, termYears: 3 });
    expect(misplaced.statusCode).toBe(422);
    expect(misplaced.json().fields).toEqual([{ field: '/body/termYears', message: expect.any(String) }]);
    for (const termYears of [1, 6, 2.5, '3'])
      expect((await measure(claim.id, { kind: 'dishonest_listing', on, termYears })).statusCode).toBe(400);
    expect(state()).toEqual(before);
    const five = await measure(claim.id, { kind: 'dishonest_listing', on, termYears: 5 });
    expect(five.json()).toMatchObject({ termEndsOn: addYears(on, 5) });
  });
  it('lapses a 2-year listing once, keeps a claim listed while a restriction stays, and never lapses an open-ended one', async () => {
    const today = shanghaiDate(t.clock.now());
    const alone = makeClaim(t, { at: 'listed' }).claim;
    const listing = records(alone.id).at(-1)!;
    expect(listing).toMatchObject({ kind: 'dishonest_listing', removal_due_on: null });
    const termEnd = addYears(String(listing.listed_on), 2);
    expect(listing.term_ends_on).toBe(termEnd);
    const restricted = makeClaim(t, { at: 'listed' }).claim;
    expect((await measure(restricted.id, { kind: 'consumption_restriction', on: today })).statusCode).toBe(201);
    const openEnded = makeClaim(t, { at: 'listed' }).claim;
    const longer = await measure(openEnded.id, { kind: 'dishonest_listing', on: today, termYears: null });
    expect(longer.statusCode, longer.body).toBe(201);
    expect(longer.json()).toMatchObject({ termEndsOn: null });

    const input = {
      env: { DATA_DIR: t.dataDir, DATA_KEY: key, LOG_LEVEL: 'silent' },
      dbFile: path.join(t.dataDir, 'platform.db'),
      clock: t.clock,
    };
    const mine = [alone.id, restricted.id, openEnded.id];
    const lapsed = () => mine.flatMap((id) => records(id)).filter((r) => r.removal_due_on !== null).length;
    // On the term's last day nothing of these lapses yet (the demo's older listings do).
    t.clock.advance(Date.parse(`${termEnd}T04:00:00Z`) - t.clock.now().getTime());
    expect(await listingLapse(input)).toMatchObject({ failed: 0 });
    expect(lapsed()).toBe(0);

    t.clock.advance(MS_PER_DAY);
    // The fourth is the first test's claim, whose 5-year listing keeps it listed.
    expect(await listingLapse(input)).toMatchObject({ done: 4, failed: 0, outcomes: { delisted: 1, term_ended: 3 } });
    expect(lapsed()).toBe(3);
    const due = courtListDeletionDeadline(t.reference.calendar(), termEnd);
    expect(records(alone.id).at(-1)).toMatchObject({ removal_due_on: due });
    expect(listed(alone.id)).toBe(0);
    const lapse = one(
      "select actor_kind, data from claim_events where claim_id = ? and action = 'lapse_listing'",
      alone.id,
    );
    expect(lapse.actor_kind).toBe('system');
    expect(JSON.parse(String(lapse.data))).toMatchObject({ termEndsOn: termEnd, removalDueOn: due });
    // A restriction, or a listing without a term, stays in force: the claim stays listed, the ended term on its chain.
    expect(listed(restricted.id)).toBe(1);
    expect(
      one(
        "select count(*) n from claim_events where claim_id = ? and action = 'credit_record.term_ended'",
        restricted.id,
      ).n,
    ).toBe(1);
    expect(listed(openEnded.id)).toBe(1);
    expect(records(openEnded.id).at(-1)).toMatchObject({ term_ends_on: null, removal_due_on: null });

    const after = state();
    expect(await listingLapse(input)).toMatchObject({ done: 0 });
    expect(state()).toEqual(after);
  });
});
