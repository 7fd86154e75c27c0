import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWorkingDay } from '../../domain/holiday-calendar.js';
import { makeClaim } from '../../testing/factories.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createCalendarService, warnAboutUnloadedYears } from './service.js';

// The State Council's 2027 arrangement is not published in this repository; these blocks are a test
// arrangement shaped like one (holiday blocks and weekend make-up workdays).
const ARRANGEMENT_2027 = {
  holidays: [
    { from: '2027-01-01', to: '2027-01-03', name: '元旦' },
    { from: '2027-02-05', to: '2027-02-12', name: '春节' },
  ],
  workdays: ['2027-02-20'],
};

describe('the holiday calendar by year', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const put = async (year: number | string, payload: Record<string, unknown>, who = 'admin') =>
    t.app.inject({ method: 'PUT', url: `/api/calendar/years/${year}`, headers: await t.as(who), payload });
  const rows = () => t.database.sqlite.prepare('select date, kind, name from calendar_days order by date').all();

  it('shows the loaded years in /health and the admin API', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/health' });
    expect(health.json().calendar).toEqual({ loadedYears: [2025, 2026] });
    const res = await t.app.inject({ method: 'GET', url: '/api/calendar/years', headers: await t.as('admin') });
    expect(res.statusCode).toBe(200);
    expect(res.json().loadedYears.map((y: { year: number }) => y.year)).toEqual([2025, 2026]);
  });

  it('refuses a year with overlapping or malformed days, listing each, and writes nothing', async () => {
    const before = rows();
    const res = await put(2027, {
      holidays: [
        { from: '2027-01-01', to: '2027-01-03', name: '元旦' },
        { from: '2027-01-03', to: '2027-01-04', name: '重叠' },
        { from: '2027-02-31', to: '2027-03-01', name: '坏日期' },
      ],
      workdays: ['2027-03-03'],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed' });
    expect(res.json().fields).toEqual([
      { field: '/body/holidays/1', message: '2027-01-03 is already in holiday 元旦' },
      { field: '/body/holidays/2/from', message: '"2027-02-31" is not a real YYYY-MM-DD date' },
      { field: '/body/workdays/0', message: '2027-03-03 is a weekday, so it cannot be a make-up workday' },
    ]);
    expect(
      (await put(2027, { holidays: [{ from: '2027-1-1', to: '2027-01-01', name: '元旦' }], workdays: [] })).statusCode,
    ).toBe(400);
    expect((await put(2027, { ...ARRANGEMENT_2027, extra: true })).statusCode).toBe(400);
    expect(rows()).toEqual(before);
  });

  it('lets only an admin load a year, and then counts deadlines on it', async () => {
    expect((await put(2027, ARRANGEMENT_2027, 'creditor1')).statusCode).toBe(403);
    expect(isWorkingDay(t.reference.calendar(), '2027-02-09')).toBe(true);
    const res = await put(2027, ARRANGEMENT_2027);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ year: 2027, holidays: 11, workdays: 1 });
    expect(rows()).toEqual(expect.arrayContaining([{ date: '2027-02-09', kind: 'holiday', name: '春节' }]));
    // A calendar read from the stored rows: 2027-02-09 is now a day off, 2027-02-20 a workday.
    t.reference.invalidate();
    expect(isWorkingDay(t.reference.calendar(), '2027-02-09')).toBe(false);
    expect(isWorkingDay(t.reference.calendar(), '2027-02-20')).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json().calendar.loadedYears).toEqual([
      2025, 2026, 2027,
    ]);
    // Loading the year again replaces it rather than adding to it.
    await put(2027, { holidays: [{ from: '2027-01-01', to: '2027-01-01', name: '元旦' }], workdays: [] });
    expect(rows().filter((r) => (r as { date: string }).date.startsWith('2027'))).toHaveLength(1);
  });

  it('names the open deadlines in years that are not loaded, and warns about them at start', async () => {
    const calendar = createCalendarService({ db: t.db, reference: t.reference });
    const open = [makeClaim(t), makeClaim(t)];
    const set = t.database.sqlite.prepare('update claims set stage_deadline = ? where id = ?');
    // Years past any deadline the demo's claims hold (a judgment's enforcement window reaches 2028).
    set.run('2030-01-10', open[0]!.claimId);
    set.run('2031-03-01', open[1]!.claimId);
    const ours = [
      { year: 2030, deadlines: 1 },
      { year: 2031, deadlines: 1 },
    ];
    expect(calendar.unloadedDeadlineYears().filter((y) => y.year >= 2030)).toEqual(ours);
    const warnings: string[] = [];
    warnAboutUnloadedYears(calendar, { warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('2030: 1, 2031: 1');
    const overview = await t.app.inject({ method: 'GET', url: '/api/calendar/years', headers: await t.as('admin') });
    expect(overview.json().unloadedDeadlineYears.filter((y: { year: number }) => y.year >= 2030)).toEqual(ours);
  });
});
