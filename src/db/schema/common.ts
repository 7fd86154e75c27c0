import { integer } from 'drizzle-orm/sqlite-core';

/** Primary key shared by every table. */
export const id = () => integer().primaryKey({ autoIncrement: true });
/** An instant, stored as UTC milliseconds and read as a Date. */
export const instant = () => integer({ mode: 'timestamp_ms' });
/** A boolean stored as 0/1. */
export const flag = () => integer({ mode: 'boolean' });
