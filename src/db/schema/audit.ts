import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { id, instant } from './common.js';
import { organisations } from './organisations.js';

/**
 * Security-relevant acts on accounts and keys (ASVS V7.2.2): who created, approved or disabled a
 * user, changed a password, made or revoked an API key. Append-only, like claim events.
 */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: id(),
    at: instant().notNull(),
    /** `user` or `system`. */
    actorKind: text().notNull(),
    actorId: integer(),
    actorName: text().notNull(),
    /** e.g. `user.created`, `user.approved`, `user.disabled`, `user.password_changed`, `api_key.created`. */
    action: text().notNull(),
    /** The organisation the target belongs to. */
    orgId: integer().references(() => organisations.id),
    targetKind: text().notNull(),
    targetId: integer().notNull(),
    detail: text({ mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_events_org_idx').on(t.orgId, t.at)],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
