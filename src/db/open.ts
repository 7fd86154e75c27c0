/** Open the SQLite database on purpose: pragmas for a server that shares the file with workers, then migrate. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { DEFAULT_DB_BUSY_TIMEOUT_MS } from '../config.js';
import { installFunnelTallyTriggers } from './funnel-tallies.js';
import * as schema from './schema/index.js';

export type DB = BetterSQLite3Database<typeof schema>;
/** A transaction handle; helpers that must run inside the caller's transaction take `DB | Tx`. */
export type Tx = Parameters<Parameters<DB['transaction']>[0]>[0];
export type DbOrTx = DB | Tx;

export interface OpenedDatabase {
  db: DB;
  sqlite: Database.Database;
  close(): void;
}

/** The better-sqlite3 connection under a drizzle handle (drizzle keeps it as $client; the DB type leaves it out). */
export const driverOf = (db: DB): Database.Database => (db as DB & { $client: Database.Database }).$client;

// Resolved from this file so that both src/ (tests) and dist/ (server) find the committed migrations.
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

/** Open (creating it and its folder if needed) and migrate the database at `file`. */
export function openDatabase(
  file: string,
  { busyTimeoutMs = DEFAULT_DB_BUSY_TIMEOUT_MS }: { busyTimeoutMs?: number } = {},
): OpenedDatabase {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  const db = drizzle(sqlite, { schema, casing: 'snake_case' });
  // Transactions take the write lock when they begin, waiting for it up to the busy timeout. Other
  // connections write too (the frame store thread, jobs, imports), and SQLite never waits for a
  // transaction that has already read: a deferred one that read and then wrote would fail at once.
  // Read-only transactions say { behavior: 'deferred' }.
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn, config) => transaction(fn, { behavior: 'immediate', ...config })) as DB['transaction'];
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  installFunnelTallyTriggers(sqlite);
  return { db, sqlite, close: () => sqlite.close() };
}
