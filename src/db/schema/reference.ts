import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** One-year and five-year LPR by publication date (DOMAIN.md §2.3); an admin appends new months. */
export const lprRates = sqliteTable('lpr_rates', {
  publishDate: text().primaryKey(),
  lpr1yBp: integer().notNull(),
  lpr5yBp: integer().notNull(),
});

/** Official holidays and make-up working days (DOMAIN.md §4.5); an admin extends it each year. */
export const calendarDays = sqliteTable('calendar_days', {
  date: text().primaryKey(),
  kind: text({ enum: ['holiday', 'workday'] }).notNull(),
  name: text(),
});
