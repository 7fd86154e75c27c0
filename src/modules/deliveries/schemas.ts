import { type Static, Type } from 'typebox';
import { DELIVERY_STATUSES } from '../../domain/delivery-rules.js';
import { Id, Instant, IsoDate, Nullable, StringEnum } from '../common/schemas.js';

const Channel = StringEnum(['email', 'sms'] as const);

export const QueueDeliveryBody = Type.Object(
  {
    channels: Type.Optional(
      Type.Array(Channel, {
        minItems: 1,
        maxItems: 2,
        uniqueItems: true,
        description: 'default: every channel the debtor has an address for',
      }),
    ),
  },
  { additionalProperties: false },
);

export const DeliveryViewSchema = Type.Object({
  id: Id,
  documentId: Nullable(Id),
  claimId: Id,
  channel: Type.String(),
  addressMasked: Nullable(Type.String({ description: "the debtor's address, masked" })),
  status: StringEnum(DELIVERY_STATUSES, {
    description:
      'queued → sending → sent → opened; retrying (failed, will retry) → failed (for good); deferred or refused by a contact rule',
  }),
  attempts: Type.Integer({ minimum: 0 }),
  dueAt: Instant,
  lastAttemptAt: Nullable(Instant),
  sentAt: Nullable(Instant),
  openedAt: Nullable(Instant),
  reason: Nullable(
    Type.String({ description: 'why the last attempt failed, or the rule that deferred or refused it' }),
  ),
  createdAt: Instant,
});
export type DeliveryView = Static<typeof DeliveryViewSchema>;

export const RefusalSchema = Type.Object({
  channel: Type.String(),
  rule: Type.String({ description: 'claim_on_hold, not_debtor_address, invalid_address or no_address' }),
  detail: Type.String(),
});
export type Refusal = Static<typeof RefusalSchema>;

export const QueueResultSchema = Type.Object({
  created: Type.Boolean({ description: 'false when every channel already had a live delivery of the document' }),
  deliveries: Type.Array(DeliveryViewSchema),
  refused: Type.Array(RefusalSchema),
});
export type QueueResult = Static<typeof QueueResultSchema>;

export const DeliveryListSchema = Type.Object({ items: Type.Array(DeliveryViewSchema) });

export const PublicNoticeBody = Type.Object({ publishedOn: IsoDate }, { additionalProperties: false });

export const DocumentServiceViewSchema = Type.Object({
  id: Id,
  claimId: Id,
  kind: Type.String(),
  docNo: Type.String(),
  serviceMethod: Nullable(Type.String({ description: 'electronic or public_notice, once served' })),
  servedAt: Nullable(Instant),
  publicNoticeOn: Nullable(IsoDate),
  deemedServedOn: Nullable(IsoDate),
});
export type DocumentServiceView = Static<typeof DocumentServiceViewSchema>;

export const ReceiptParams = Type.Object({ token: Type.String({ maxLength: 256 }) }, { additionalProperties: false });
