import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { claims } from './claims.js';
import { id, instant } from './common.js';
import { organisations } from './organisations.js';

export const STAFF_MESSAGE_KINDS = ['reply_reminder', 'reply_overdue'] as const;

/**
 * A message to an organisation's staff (its inbox in GET /api/messages): a reply deadline coming up,
 * or one missed, sent to the supervising body. Text free of personal data; one per idempotency key.
 */
export const staffMessages = sqliteTable(
  'staff_messages',
  {
    id: id(),
    orgId: integer()
      .notNull()
      .references(() => organisations.id),
    kind: text({ enum: STAFF_MESSAGE_KINDS }).notNull(),
    /** What it is about: `objection` or `hardship`, and that row's id. */
    subjectKind: text().notNull(),
    subjectId: integer().notNull(),
    claimId: integer().references(() => claims.id),
    text: text().notNull(),
    idempotencyKey: text().notNull(),
    createdAt: instant().notNull(),
  },
  (t) => [
    uniqueIndex('staff_messages_key_idx').on(t.idempotencyKey),
    index('staff_messages_org_idx').on(t.orgId, t.createdAt),
  ],
);
