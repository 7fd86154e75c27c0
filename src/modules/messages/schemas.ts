import { type Static, Type } from 'typebox';
import { STAFF_MESSAGE_KINDS } from '../../db/schema/messages.js';
import { Id, Instant, Nullable, StringEnum } from '../common/schemas.js';

export const StaffMessageSchema = Type.Object({
  id: Id,
  kind: StringEnum(STAFF_MESSAGE_KINDS, {
    description:
      'reply_reminder: a reply deadline of yours comes up; reply_overdue: one an organisation you supervise missed',
  }),
  subject: Type.Object({ kind: StringEnum(['objection', 'hardship'] as const), id: Id }),
  claimId: Nullable(Id),
  text: Type.String(),
  createdAt: Instant,
});
export type StaffMessage = Static<typeof StaffMessageSchema>;

export const MessagesQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) },
  { additionalProperties: false },
);
