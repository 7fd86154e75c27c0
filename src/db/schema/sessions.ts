import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { claims } from './claims.js';
import { id, instant } from './common.js';
import { debtors } from './debtors.js';
import { documents } from './documents.js';
import { organisations, users } from './organisations.js';

export const mediationSessions = sqliteTable('sessions', {
  id: id(),
  mediatorId: integer()
    .notNull()
    .references(() => users.id),
  /** A session is for one debtor's claims with one creditor. */
  creditorOrgId: integer()
    .notNull()
    .references(() => organisations.id),
  debtorId: integer()
    .notNull()
    .references(() => debtors.id),
  mode: text().notNull(),
  status: text().notNull(),
  scheduledAt: instant(),
  startedAt: instant(),
  endedAt: instant(),
  outcome: text(),
  createdAt: instant().notNull(),
});

export const sessionClaims = sqliteTable(
  'session_claims',
  {
    sessionId: integer()
      .notNull()
      .references(() => mediationSessions.id),
    claimId: integer()
      .notNull()
      .references(() => claims.id),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.claimId] })],
);

export const sessionParticipants = sqliteTable(
  'session_participants',
  {
    id: id(),
    sessionId: integer()
      .notNull()
      .references(() => mediationSessions.id),
    role: text().notNull(),
    userId: integer().references(() => users.id),
    debtorId: integer().references(() => debtors.id),
  },
  (t) => [index('session_participants_session_idx').on(t.sessionId)],
);

export const sessionMessages = sqliteTable(
  'session_messages',
  {
    id: id(),
    sessionId: integer()
      .notNull()
      .references(() => mediationSessions.id),
    seq: integer().notNull(),
    clientId: text(),
    senderKey: text().notNull(),
    type: text().notNull(),
    fromRole: text().notNull(),
    fromName: text().notNull(),
    body: text({ mode: 'json' }),
    at: instant().notNull(),
  },
  (t) => [uniqueIndex('session_messages_seq_idx').on(t.sessionId, t.seq)],
);

/**
 * Each registered export of a session's record (调解笔录): the document made of the frames up to
 * `lastSeq`. Exporting again with nothing new answers the same document; a new frame makes a new one.
 */
export const sessionRecords = sqliteTable(
  'session_records',
  {
    documentId: integer()
      .primaryKey()
      .references(() => documents.id),
    sessionId: integer()
      .notNull()
      .references(() => mediationSessions.id),
    lastSeq: integer().notNull(),
  },
  (t) => [uniqueIndex('session_records_session_seq_idx').on(t.sessionId, t.lastSeq)],
);
