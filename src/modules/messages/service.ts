/** The inbox of an organisation's staff: the messages the jobs write to it (objections/reply-deadlines.ts). */
import { desc, eq } from 'drizzle-orm';
import type { DB } from '../../db/open.js';
import { staffMessages } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Principal } from '../auth/principal.js';
import type { StaffMessage } from './schemas.js';

export type MessageService = ReturnType<typeof createMessageService>;

export function createMessageService({ db }: { db: DB }) {
  return {
    /** The messages to the principal's organisation, newest first. */
    list(p: Principal, limit = 100): StaffMessage[] {
      if (p.kind === 'debtor') throw new AppError('forbidden', 'The inbox is for staff of an organisation.');
      return db
        .select()
        .from(staffMessages)
        .where(eq(staffMessages.orgId, p.orgId))
        .orderBy(desc(staffMessages.id))
        .limit(limit)
        .all()
        .map((m) => ({
          id: m.id,
          kind: m.kind,
          subject: { kind: m.subjectKind as 'objection' | 'hardship', id: m.subjectId },
          claimId: m.claimId,
          text: m.text,
          createdAt: m.createdAt.toISOString(),
        }));
    },
  };
}
