/**
 * Date-effective reference data kept in the database so an admin can extend it: the LPR series
 * (DOMAIN.md §2.3) and the holiday calendar (§4.5). Seeded on start from the committed files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc } from 'drizzle-orm';
import type { DB, DbOrTx } from '../../db/open.js';
import { calendarDays, lprRates } from '../../db/schema/index.js';
import {
  type CalendarRow,
  calendarFrom,
  cnCalendarRows2025_2026,
  type HolidayCalendar,
} from '../../domain/holiday-calendar.js';
import { type LprRow, parseLprCsv } from '../../domain/rate-cap.js';

const LPR_CSV = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/reference/lpr-1y-5y.csv');

export type ReferenceData = ReturnType<typeof createReferenceData>;

/** The stored calendar rows, read in the caller's connection or transaction. */
export const storedCalendarRows = (db: DbOrTx): CalendarRow[] =>
  db.select({ date: calendarDays.date, kind: calendarDays.kind }).from(calendarDays).all();

/** Insert the committed LPR rows and holiday calendar; rows an admin added or changed stay as they are. */
export function seedReferenceData(db: DB): void {
  const lpr = parseLprCsv(fs.readFileSync(LPR_CSV, 'utf8'));
  db.transaction((tx) => {
    for (const row of lpr) tx.insert(lprRates).values(row).onConflictDoNothing().run();
    for (const row of cnCalendarRows2025_2026) tx.insert(calendarDays).values(row).onConflictDoNothing().run();
  });
}

export function createReferenceData(db: DB) {
  let rows: CalendarRow[] | null = null;
  let calendar: HolidayCalendar | null = null;
  let lpr: LprRow[] | null = null;
  const calendarRows = (): readonly CalendarRow[] => (rows ??= storedCalendarRows(db));
  return {
    /** The stored rows, for worker threads that build their own calendar. */
    calendarRows,
    calendar(): HolidayCalendar {
      calendar ??= calendarFrom(calendarRows());
      return calendar;
    },
    lprRows(): LprRow[] {
      lpr ??= db.select().from(lprRates).orderBy(asc(lprRates.publishDate)).all();
      return lpr;
    },
    /** Forget cached rows after an admin changes them. */
    invalidate() {
      rows = null;
      calendar = null;
      lpr = null;
    },
  };
}
