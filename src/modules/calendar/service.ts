/**
 * The holiday calendar by year (issue 15 item 7): which State Council arrangements are loaded, an
 * admin loading one, and the open deadlines that fall in a year without its arrangement.
 */

import { and, eq, isNotNull, like, ne, sql } from 'drizzle-orm';
import type { DB } from '../../db/open.js';
import { calendarDays, claims, objections } from '../../db/schema/index.js';
import { arrangementRows } from '../../domain/holiday-calendar.js';
import { AppError } from '../../errors.js';
import { committedClaims } from '../claims/access.js';
import type { ReferenceData } from '../reference/service.js';
import type { Arrangement, CalendarYearView } from './schemas.js';

export type CalendarService = ReturnType<typeof createCalendarService>;

export function createCalendarService(deps: { db: DB; reference: ReferenceData }) {
  const { db, reference } = deps;

  /** Loaded years with their counts, oldest first. */
  function loadedYears(): CalendarYearView[] {
    return db
      .select({
        year: sql<number>`cast(substr(${calendarDays.date}, 1, 4) as integer)`,
        holidays: sql<number>`sum(${calendarDays.kind} = 'holiday')`,
        workdays: sql<number>`sum(${calendarDays.kind} = 'workday')`,
      })
      .from(calendarDays)
      .groupBy(sql`1`)
      .orderBy(sql`1`)
      .all();
  }

  /** Open deadlines (mediation time limits, objection replies) per year whose arrangement is not loaded. */
  function unloadedDeadlineYears(): { year: number; deadlines: number }[] {
    const loaded = new Set(loadedYears().map((y) => y.year));
    const counts = new Map<number, number>();
    const add = (rows: { year: number; n: number }[]) => {
      for (const r of rows) if (!loaded.has(r.year)) counts.set(r.year, (counts.get(r.year) ?? 0) + r.n);
    };
    const yearOf = (col: typeof claims.stageDeadline | typeof objections.replyDue) =>
      sql<number>`cast(substr(${col}, 1, 4) as integer)`;
    add(
      db
        .select({ year: yearOf(claims.stageDeadline), n: sql<number>`count(*)` })
        .from(claims)
        .where(and(isNotNull(claims.stageDeadline), ne(claims.stage, 'closed'), committedClaims()))
        .groupBy(sql`1`)
        .all(),
    );
    add(
      db
        .select({ year: yearOf(objections.replyDue), n: sql<number>`count(*)` })
        .from(objections)
        .where(and(isNotNull(objections.replyDue), eq(objections.status, 'open')))
        .groupBy(sql`1`)
        .all(),
    );
    return [...counts].sort(([a], [b]) => a - b).map(([year, deadlines]) => ({ year, deadlines }));
  }

  return {
    loadedYears,
    unloadedDeadlineYears,

    /** Replaces the year's arrangement in one transaction; every problem of the upload is listed, nothing written. */
    loadYear(year: number, arrangement: Arrangement): CalendarYearView {
      const checked = arrangementRows(year, arrangement);
      if (!checked.ok) {
        throw new AppError(
          'validation_failed',
          `The arrangement for ${year} was not loaded: ${checked.problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`,
          { fields: checked.problems.map((p) => ({ field: `/body${p.field}`, message: p.message })) },
        );
      }
      const nameOf = (date: string) => arrangement.holidays.find((h) => h.from <= date && date <= h.to)?.name ?? null;
      db.transaction((tx) => {
        tx.delete(calendarDays)
          .where(like(calendarDays.date, `${year}-%`))
          .run();
        for (const row of checked.rows)
          tx.insert(calendarDays)
            .values({ ...row, name: row.kind === 'holiday' ? nameOf(row.date) : null })
            .run();
      });
      // Every later deadline is counted on the new rows.
      reference.invalidate();
      return loadedYears().find((y) => y.year === year)!;
    },
  };
}

/** At start: tell the operator which open deadlines rest on the statutory holidays alone. */
export function warnAboutUnloadedYears(calendar: CalendarService, log: { warn: (msg: string) => void }): void {
  const years = calendar.unloadedDeadlineYears();
  if (years.length === 0) return;
  log.warn(
    `Open deadlines fall in years whose State Council holiday arrangement is not loaded (${years
      .map((y) => `${y.year}: ${y.deadlines}`)
      .join(
        ', ',
      )}); they are counted on the statutory holidays alone. Load each year with PUT /api/calendar/years/:year.`,
  );
}
